import type { Context } from "hono";
import { rateLimitFailureMode } from "../env";
import { checkLimits, organizationLimits } from "../live/limits";
import type { LimitDecision, PolicyStatus } from "../live/rate-limiter";
import type { AppEnv, RateLimitState } from "./context";
import { logger } from "./logging";
import { ApiError } from "./problem";

/** `RateLimit-Policy` and `RateLimit` as in the IETF httpapi draft: one list item per policy. */
function rateLimitHeaders(policies: readonly PolicyStatus[]): Record<string, string> {
  return {
    "RateLimit-Policy": policies.map((p) => `"${p.name}";q=${p.quota};w=${p.windowSeconds}`).join(", "),
    RateLimit: policies.map((p) => `"${p.name}";r=${p.remaining};t=${p.resetSeconds}`).join(", "),
  };
}

function refusal(decision: Exclude<LimitDecision, { outcome: "allowed" }>): ApiError {
  const headers = rateLimitHeaders(decision.policies);
  if (decision.outcome === "rate-limited") {
    const whose = decision.policy === "key-requests" ? "This API key's" : "The organization's";
    const quota = decision.policies.find((p) => p.name === decision.policy)?.quota;
    return new ApiError(
      429,
      "rate-limited",
      "Too many requests",
      `${whose} limit of ${quota} requests per minute is used up; retry in ${decision.retryAfterSeconds} s`,
      undefined,
      { ...headers, "Retry-After": String(decision.retryAfterSeconds) },
    );
  }
  const resetsAt = new Date(decision.resetsAt).toISOString();
  return new ApiError(
    429,
    "trace-quota-exceeded",
    "Monthly trace quota exceeded",
    `The monthly quota of ${decision.quota} traces has ${Math.max(0, decision.quota - decision.used)} left, ` +
      `fewer than the ${decision.requested} in this request; it resets at ${resetsAt}`,
    undefined,
    { ...headers, "Retry-After": String(Math.ceil((decision.resetsAt - Date.now()) / 1000)) },
    { quota: decision.quota, used: decision.used, requested: decision.requested, resets_at: resetsAt },
  );
}

/**
 * Charges this request, and the traces it ingests, to the caller's organization (and key): one RPC
 * to its RateLimiter. Throws the 429 to answer with; on success the headers wait in `rateLimit` for
 * requireApiKey to put on the response. Each request is charged once.
 */
export async function chargeRateLimit(c: Context<AppEnv>, traces: number): Promise<void> {
  const { caller } = c.var;
  const state: RateLimitState = { headers: {} };
  c.set("rateLimit", state);
  const started = performance.now();
  let decision: LimitDecision;
  try {
    decision = await checkLimits(c.env.RATE_LIMITER, caller.orgId, {
      ...organizationLimits(caller.organization),
      key:
        caller.keyRateLimitPerMinute === null
          ? null
          : { id: caller.keyId, requestsPerMinute: caller.keyRateLimitPerMinute },
      traces,
    });
  } catch (error) {
    const mode = rateLimitFailureMode(c.env);
    logger(c)({
      level: mode === "open" ? "warn" : "error",
      msg: `rate limiter unreachable; failing ${mode}`,
      error: String(error),
    });
    if (mode === "open") return;
    throw new ApiError(
      503,
      "rate-limiter-unavailable",
      "Service unavailable",
      "Rate limits cannot be checked right now; retry shortly",
      undefined,
      { "Retry-After": "1" },
    );
  }
  if (decision.outcome !== "allowed") throw refusal(decision);
  // What the check cost this request, for clients and benchmarks (bench/ingest.ts reports it).
  const elapsed = performance.now() - started;
  state.headers = {
    ...rateLimitHeaders(decision.policies),
    "Server-Timing": `ratelimit;dur=${elapsed.toFixed(1)}`,
  };
}
