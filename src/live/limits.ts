import type { OrganizationRow } from "../db/schema";
import type { Plan } from "../schema/organization";
import type {
  Allowance,
  AuthAttempt,
  LimitCheck,
  LimitDecision,
  PolicyStatus,
  RateLimiter,
} from "./rate-limiter";

interface Limits {
  requestsPerMinute: number;
  /** null: no monthly quota. */
  tracesPerMonth: number | null;
}

export const PLAN_LIMITS: Record<Plan, Limits> = {
  free: { requestsPerMinute: 60, tracesPerMonth: 10_000 },
  pro: { requestsPerMinute: 1_200, tracesPerMonth: 1_000_000 },
  enterprise: { requestsPerMinute: 100_000, tracesPerMonth: null },
};

/** The plan's limits, with an enterprise organization's negotiated ones where the operator set them. */
export function organizationLimits(org: Pick<OrganizationRow, "plan" | "limits">): Limits {
  const plan = PLAN_LIMITS[org.plan];
  const custom = org.plan === "enterprise" ? org.limits : null;
  const tracesPerMonth = custom?.traces_per_month;
  return {
    requestsPerMinute: custom?.requests_per_minute ?? plan.requestsPerMinute,
    tracesPerMonth: tracesPerMonth === undefined ? plan.tracesPerMonth : tracesPerMonth,
  };
}

/**
 * How much an isolate asks to lease beyond the request in hand: a tenth of a second of the tightest
 * request limit at full rate (at most 50), so small limits (the free plan, a key with its own few
 * requests a minute) lease nothing and every request is checked by the limiter itself, while busy
 * organizations pay one round trip per lease instead of one per request. Traces are leased only
 * without a monthly quota, where their count decides nothing: a quota is always checked exactly, so
 * no trace is counted against it that was not ingested.
 */
const MAX_LEASED_REQUESTS = 50;
const MAX_LEASED_TRACES = 500;

export function leaseSize(limits: Limits, keyRequestsPerMinute: number | null, ingests: boolean): Allowance {
  const requestsPerMinute = Math.min(
    limits.requestsPerMinute,
    keyRequestsPerMinute ?? Number.POSITIVE_INFINITY,
  );
  const requests = Math.min(MAX_LEASED_REQUESTS, Math.floor(requestsPerMinute / 600));
  if (!ingests) return { requests, traces: 0 };
  // An ingestion lease is spent only with traces to go with its requests: under a quota it would
  // come back unspent with the next check, so none is taken.
  if (requests === 0 || limits.tracesPerMonth !== null) return { requests: 0, traces: 0 };
  return { requests, traces: MAX_LEASED_TRACES };
}

/** The policies as a lease holder sees them: what it holds unspent is still its to use. */
export function withUnspent(policies: readonly PolicyStatus[], unspent: Allowance): PolicyStatus[] {
  return policies.map((p) => ({
    ...p,
    remaining: p.remaining + (p.name === "traces-monthly" ? unspent.traces : unspent.requests),
  }));
}

/** Past this the limiter counts as unreachable: a request never waits on it for long. */
const LIMITER_TIMEOUT_MS = 1_000;

async function withinTimeout<T>(call: PromiseLike<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the rate limiter did not answer within ${LIMITER_TIMEOUT_MS} ms`)),
      LIMITER_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Charges one request (and its traces) to the organization's limiter: a single RPC. */
export function checkLimits(
  ns: DurableObjectNamespace<RateLimiter>,
  orgId: string,
  check: LimitCheck,
): Promise<LimitDecision> {
  return withinTimeout<LimitDecision>(ns.get(ns.idFromName(orgId)).check(check));
}

/**
 * Charges traces that no request brought (the scheduled sweep making OTel traces that waited for
 * their content) to the organization's monthly quota alone: one RPC, no request token.
 */
export function chargeSystemTraces(
  ns: DurableObjectNamespace<RateLimiter>,
  organization: Pick<OrganizationRow, "id" | "plan" | "limits">,
  traces: number,
): Promise<LimitDecision> {
  return checkLimits(ns, organization.id, {
    ...organizationLimits(organization),
    key: null,
    traces,
    system: true,
  });
}

/** Failed operator-token attempts a client address may make per minute before it must wait. */
export const OPERATOR_FAILURES_PER_MINUTE = 10;

const operatorGuard = (ns: DurableObjectNamespace<RateLimiter>, address: string) =>
  ns.get(ns.idFromName(`operator-token:${address}`));

/**
 * Reserves an operator-token attempt for the address (see RateLimiter.reserveAuthAttempt): the
 * reservation to release when the token was right, or the seconds the address must wait.
 */
export function reserveOperatorAttempt(
  ns: DurableObjectNamespace<RateLimiter>,
  address: string,
): Promise<AuthAttempt> {
  return withinTimeout<AuthAttempt>(
    operatorGuard(ns, address).reserveAuthAttempt(OPERATOR_FAILURES_PER_MINUTE),
  );
}

/** The attempt was the operator's: it does not count as a failure. */
export function releaseOperatorAttempt(
  ns: DurableObjectNamespace<RateLimiter>,
  address: string,
  reserved: number,
): Promise<void> {
  return withinTimeout(operatorGuard(ns, address).releaseAuthAttempt(reserved));
}

/** The limits in effect, as the API shows them. */
export function limitsView(org: Pick<OrganizationRow, "plan" | "limits">) {
  const limits = organizationLimits(org);
  return { requests_per_minute: limits.requestsPerMinute, traces_per_month: limits.tracesPerMonth };
}
