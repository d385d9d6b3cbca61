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
 * The query's parameters as sent, each decoded strictly: `name` is undefined for one whose
 * percent-encoding is broken (URLSearchParams would decode it leniently, to U+FFFD), which is then
 * named by its raw text.
 */
function strictQuery(search: string): { raw: string; name?: string; value?: string }[] {
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text.replaceAll("+", " "));
    } catch {
      return undefined;
    }
  };
  return search
    .replace(/^\?/, "")
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const rawName = equals === -1 ? pair : pair.slice(0, equals);
      const name = decode(rawName);
      const value = decode(equals === -1 ? "" : pair.slice(equals + 1));
      const shown = rawName.slice(0, 100);
      return name === undefined || value === undefined ? { raw: shown } : { raw: shown, name, value };
    });
}

/**
 * Refuses a path or query parameter that holds control characters or whose percent-encoding is
 * broken, with a 400 naming it, before any route reads it.
 */
export const refuseControlCharacters = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  const segments = decodedSegments(url.pathname);
  if (segments === undefined || segments.some((segment) => hasControlCharacter(segment))) {
    throw badRequest("The request path is not valid: it has control characters or broken percent-encoding", [
      { path: "(path)", message: "must not contain control characters or invalid percent-encoding" },
    ]);
  }
  for (const { raw, name, value } of strictQuery(url.search)) {
    if (name === undefined || value === undefined) {
      throw badRequest(`The query parameter '${raw}' has broken percent-encoding`, [
        { path: raw, message: "must be valid percent-encoded UTF-8" },
      ]);
    }
    if (hasControlCharacter(name) || hasControlCharacter(value, true)) {
      throw badRequest("A query parameter has control characters", [
        { path: name, message: "must not contain control characters" },
      ]);
    }
  }
  await next();
});
