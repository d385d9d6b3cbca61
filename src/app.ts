import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { adminApi } from "./api/admin";
import { analyticsApi } from "./api/analytics";
import { auditApi } from "./api/audit";
import { deadLettersApi } from "./api/dead-letters";
import { domainsApi } from "./api/domains";
import { healthApi } from "./api/health";
import { issuesApi } from "./api/issues";
import { keysApi } from "./api/keys";
import { liveApi } from "./api/live";
import { organizationApi } from "./api/organization";
import { otlpApi } from "./api/otlp";
import { searchApi } from "./api/search";
import { tracesApi } from "./api/traces";
import { createDb } from "./db/client";
import { corsOrigins } from "./env";
import type { AppEnv } from "./http/context";
import { logger, requestContext, writeLog } from "./http/logging";
import { ApiError, problemBody } from "./http/problem";
import { refuseControlCharacters } from "./http/url-text";
import { sweepOnIsolateStart } from "./services/sweep";

export const app = new Hono<AppEnv>();

app.use("*", requestContext);
app.use("*", secureHeaders({ crossOriginResourcePolicy: "cross-origin" }));
app.use(
  "*",
  cors({
    origin: (origin, c) => {
      const allowed = corsOrigins(c.env);
      return allowed.includes("*") || allowed.includes(origin) ? origin : null;
    },
    allowHeaders: ["Authorization", "X-API-Key", "Content-Type", "X-Request-Id"],
    allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    exposeHeaders: ["X-Request-Id", "Retry-After", "RateLimit", "RateLimit-Policy"],
    maxAge: 600,
  }),
);
app.use("*", refuseControlCharacters);
app.use("*", async (c, next) => {
  c.set("db", createDb(c.env.DB));
  const check = sweepOnIsolateStart(c.var.db, c.env.EVAL_QUEUE, logger(c));
  if (check) c.executionCtx.waitUntil(check);
  await next();
});

app.route("/health", healthApi);
app.route("/api/v1/admin/dead-letters", deadLettersApi);
app.route("/api/v1/admin", adminApi);
app.route("/api/v1/keys", keysApi);
app.route("/api/v1/organization", organizationApi);
app.route("/api/v1/traces", tracesApi);
app.route("/api/v1/audit", auditApi);
app.route("/api/v1/domains", domainsApi);
app.route("/api/v1/live", liveApi);
app.route("/api/v1/search", searchApi);
app.route("/api/v1/analytics", analyticsApi);
app.route("/api/v1/issues", issuesApi);
app.route("/otlp", otlpApi);

app.notFound((c) =>
  problemResponse(
    c,
    new ApiError(
      404,
      "not-found",
      "Not found",
      `No route for ${c.req.method} ${new URL(c.req.url).pathname}`,
    ),
  ),
);

app.onError((error, c) => {
  if (error instanceof ApiError) return problemResponse(c, error);
  if (error instanceof HTTPException)
    return problemResponse(
      c,
      new ApiError(error.status, "http-error", error.message || "HTTP error", error.message),
    );
  const requestId = c.var.requestId;
  writeLog({
    level: "error",
    msg: "unhandled error",
    request_id: requestId,
    org_id: c.var.caller?.orgId,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return problemResponse(
    c,
    new ApiError(
      500,
      "internal-error",
      "Internal server error",
      `An unexpected error occurred (request ${requestId})`,
    ),
  );
});

function problemResponse(c: Context<AppEnv>, problem: ApiError): Response {
  const requestId = c.var.requestId ?? crypto.randomUUID();
  const headers: Record<string, string> = {
    "Content-Type": "application/problem+json",
    "X-Request-Id": requestId,
    ...problem.headers,
  };
  return new Response(JSON.stringify(problemBody(problem, requestId)), { status: problem.status, headers });
}
