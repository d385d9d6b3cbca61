import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { AppEnv } from "./context";

export type LogEvent = Record<string, unknown>;

/** One JSON line per event, so logs can be queried (Workers Logs, Logpush, wrangler tail). */
export function writeLog(event: LogEvent): void {
  const line = JSON.stringify({ ts: new Date().toISOString(), level: "info", ...event });
  if (event.level === "error") console.error(line);
  else if (event.level === "warn") console.warn(line);
  else console.log(line);
}

/** A logger that stamps each line with the request's id and organization. */
export function logger(c: Context<AppEnv>): (event: LogEvent) => void {
  return (event) => writeLog({ request_id: c.var.requestId, org_id: c.var.caller?.orgId, ...event });
}

const REQUEST_ID_PATTERN = /^[\w.:-]{8,128}$/;

/** Echoes a well-formed incoming X-Request-Id, or mints one, and logs the request when it ends. */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const incoming = c.req.header("X-Request-Id");
  const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", requestId);
  await next();
  c.res.headers.set("X-Request-Id", requestId);
  writeLog({
    level: c.res.status >= 500 ? "error" : "info",
    msg: "request",
    request_id: requestId,
    org_id: c.var.caller?.orgId,
    method: c.req.method,
    route: routePath(c, -1),
    status: c.res.status,
    latency_ms: Date.now() - started,
  });
});
