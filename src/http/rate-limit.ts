import type { Context } from "hono";
import { rateLimitFailureMode } from "../env";
import { checkLimits, leaseSize, organizationLimits, withUnspent } from "../live/limits";
import type { Allowance, LimitDecision, PolicyStatus } from "../live/rate-limiter";
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

interface Lease extends Allowance {
  expiresAt: number;
  /** The limiter's answer when it granted the lease. */
  policies: PolicyStatus[];
}

/**
 * Requests and traces this isolate has leased from RateLimiters and not spent yet, per API key. The
 * limiter charged them already, so spending them here can never exceed a limit. What a lease has left
 * when it expires goes back with the key's next check; an isolate that goes quiet or dies strands at
 * most one lease of request tokens, which the bucket refills like spent ones.
 */
const leases = new Map<string, Lease>();
/**
 * How long a lease is spent from before what is left goes back. What an isolate holds is at most one
 * lease either way; the lifetime only decides how often a steady client pays a round trip.
 */
export const LEASE_TTL_MS = 10_000;
/** Bounds the map for an isolate that serves very many keys; a dropped lease is stranded, not lost. */
const MAX_LEASES = 10_000;

/**
 * Charges this request, and the traces it ingests, to the caller's organization (and key): from this
 * isolate's lease when it holds enough, otherwise one RPC to its RateLimiter, which may grant a new
 * lease. Throws the 429 to answer with; on success the headers wait in `rateLimit` for requireApiKey
 * to put on the response. Each request is charged once.
 */
export async function chargeRateLimit(c: Context<AppEnv>, traces: number): Promise<void> {
  const { caller } = c.var;
  const state: RateLimitState = { headers: {} };
  c.set("rateLimit", state);
  const leaseKey = `${caller.orgId}/${caller.keyId}`;
  const held = leases.get(leaseKey);
  if (held && held.expiresAt > Date.now() && held.requests >= 1 && held.traces >= traces) {
    held.requests -= 1;
    held.traces -= traces;
    state.headers = {
      ...rateLimitHeaders(withUnspent(held.policies, held)),
      "Server-Timing": 'ratelimit;dur=0.0;desc="lease"',
    };
    return;
  }
  if (held) leases.delete(leaseKey);
  const started = performance.now();
  const limits = organizationLimits(caller.organization);
  let decision: LimitDecision;
  try {
    decision = await checkLimits(c.env.RATE_LIMITER, caller.orgId, {
      ...limits,
      key:
        caller.keyRateLimitPerMinute === null
          ? null
          : { id: caller.keyId, requestsPerMinute: caller.keyRateLimitPerMinute },
      traces,
      lease: leaseSize(limits, caller.keyRateLimitPerMinute, traces > 0),
      returned: held && { requests: held.requests, traces: held.traces },
    });
  } catch (error) {
    // What the lease held was charged already: it stays this isolate's to spend or give back.
    if (held && !leases.has(leaseKey)) leases.set(leaseKey, held);
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
  const lease = keepLease(leaseKey, decision.policies, decision.leased);
  // What the check cost this request, for clients and benchmarks (bench/ingest.ts reports it).
  const elapsed = performance.now() - started;
  state.headers = {
    ...rateLimitHeaders(withUnspent(decision.policies, lease)),
    "Server-Timing": `ratelimit;dur=${elapsed.toFixed(1)}`,
  };
}

/**
 * Adds a granted lease to what the isolate holds (concurrent checks may each bring one; tokens stay
 * good however long they were held, since the limiter charged them when it granted them).
 */
function keepLease(leaseKey: string, policies: PolicyStatus[], granted: Allowance): Allowance {
  if (granted.requests === 0 && granted.traces === 0) return granted;
  const expiresAt = Date.now() + LEASE_TTL_MS;
  const held = leases.get(leaseKey);
  if (held) {
    held.requests += granted.requests;
    held.traces += granted.traces;
    held.policies = policies;
    held.expiresAt = expiresAt;
    return held;
  }
  const lease: Lease = { ...granted, expiresAt, policies };
  if (leases.size >= MAX_LEASES) leases.delete(leases.keys().next().value ?? "");
  leases.set(leaseKey, lease);
  return lease;
}
