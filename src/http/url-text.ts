import { createMiddleware } from "hono/factory";
import { hasControlCharacter } from "../lib/control-characters";
import type { AppEnv } from "./context";
import { badRequest } from "./problem";

function decodedSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/**
 * Refuses a path or query parameter that holds control characters, or a path whose percent-encoding
 * is broken, with a 400 naming it, before any route reads it.
 */
export const refuseControlCharacters = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  const segments = decodedSegments(url.pathname);
  if (segments === undefined || segments.some((segment) => hasControlCharacter(segment))) {
    throw badRequest("The request path is not valid: it has control characters or broken percent-encoding", [
      { path: "(path)", message: "must not contain control characters or invalid percent-encoding" },
    ]);
  }
  for (const [name, value] of url.searchParams) {
    if (hasControlCharacter(name) || hasControlCharacter(value, true)) {
      throw badRequest("A query parameter has control characters", [
        { path: name, message: "must not contain control characters" },
      ]);
    }
  }
  await next();
});
