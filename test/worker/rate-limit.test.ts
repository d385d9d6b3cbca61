import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import type { Env } from "../../src/env";
import { LEASE_TTL_MS } from "../../src/http/rate-limit";
import type { Allowance, LimitCheck, LimitDecision, PolicyName } from "../../src/live/rate-limiter";
import { BASE, call, createKey, createOrg, expectProblem, type TestOrg, trace } from "./helpers";
import { limiterOf } from "./live-helpers";

/** Requests until the first refusal; returns how many succeeded and the refusal. */
async function exhaust(key: string, max: number): Promise<{ ok: number; refusal: Response }> {
  for (let ok = 0; ok < max; ok++) {
    const response = await call("GET", "/api/v1/organization", { key });
    if (response.status === 429) return { ok, refusal: response };
    expect(response.status).toBe(200);
  }
  throw new Error(`no 429 within ${max} requests`);
}

/** Moves a bucket's last charge back in time, as if the requests were made that long ago. */
function age(orgId: string, bucket: string, ms: number) {
  return runInDurableObject(limiterOf(orgId), (_limiter, state) => {
    state.storage.sql.exec("UPDATE buckets SET updated_at = updated_at - ? WHERE name = ?", ms, bucket);
  });
}

function batchOf(count: number, invalid = 0) {
  return {
    traces: [
      ...Array.from({ length: count }, () => trace()),
      ...Array.from({ length: invalid }, () => trace({ input: "" })),
    ],
  };
}

/** Calls the app with a RateLimiter that cannot be reached, in the given failure mode. */
async function withUnreachableLimiter(org: TestOrg, mode: string | undefined): Promise<Response> {
  const unreachable = {
    idFromName: (name: string) => env.RATE_LIMITER.idFromName(name),
    get: () => ({ check: () => Promise.reject(new Error("network connection lost")) }),
  } as unknown as Env["RATE_LIMITER"];
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${BASE}/api/v1/organization`, { headers: { Authorization: `Bearer ${org.key}` } }),
    { ...env, RATE_LIMITER: unreachable, RATE_LIMIT_FAILURE_MODE: mode },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("rate limits", () => {
  it("puts the RateLimit headers of the plan on every successful response", async () => {
    const free = await createOrg();
    const response = await call("GET", "/api/v1/traces", { key: free.key });
    expect(response.status).toBe(200);
    expect(response.headers.get("RateLimit-Policy")).toMatch(
      /^"requests";q=60;w=60, "traces-monthly";q=10000;w=(2419200|2505600|2592000|2678400)$/,
    );
    expect(response.headers.get("RateLimit")).toMatch(
      /^"requests";r=59;t=1, "traces-monthly";r=10000;t=\d+$/,
    );
    expect(response.headers.get("Server-Timing")).toMatch(/^ratelimit;dur=\d+(\.\d)?$/);

    const pro = await createOrg("Pro Org", "pro");
    const proResponse = await call("POST", "/api/v1/traces", { key: pro.key, body: trace() });
    expect(proResponse.status).toBe(202);
    expect(proResponse.headers.get("RateLimit-Policy")).toMatch(
      /^"requests";q=1200;w=60, "traces-monthly";q=1000000;/,
    );
    expect(proResponse.headers.get("RateLimit")).toMatch(
      /^"requests";r=1199;t=\d+, "traces-monthly";r=999999;/,
    );

    const enterprise = await createOrg("Enterprise Org", "enterprise");
    const orgView = await call("GET", "/api/v1/organization", { key: enterprise.key });
    expect(orgView.headers.get("RateLimit-Policy")).toBe('"requests";q=100000;w=60');
    expect((await orgView.json<{ limits: unknown }>()).limits).toEqual({
      requests_per_minute: 100_000,
      traces_per_month: null,
    });
  });

  it("answers a burst beyond the limit with 429 and a Retry-After that is right", async () => {
    const org = await createOrg();
    const { ok, refusal } = await exhaust(org.key, 120);
    // 60 at once, plus what refilled (one a second) while the burst ran.
    expect(ok).toBeGreaterThanOrEqual(60);
    const problem = await expectProblem(refusal, 429, /organization's limit of 60 requests per minute/);
    expect(problem.type).toBe("https://aegis.dev/problems/rate-limited");
    expect(refusal.headers.get("Retry-After")).toBe("1");
    expect(refusal.headers.get("RateLimit")).toMatch(/^"requests";r=0;t=(59|60),/);

    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await call("GET", "/api/v1/organization", { key: org.key })).status).toBe(200);
  });

  it("refills tokens lazily, at the plan's rate", async () => {
    const org = await createOrg();
    await exhaust(org.key, 120);
    await age(org.orgId, "org", 10_000);
    const { ok } = await exhaust(org.key, 120);
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThanOrEqual(12);
  });

  it("limits a key with its own limit on top of the organization's", async () => {
    const org = await createOrg("Keyed Org", "pro");
    const limited = await createKey(org, ["traces:read", "traces:write"], { rate_limit_per_minute: 3 });
    expect(limited).toMatchObject({ rate_limit_per_minute: 3 });

    const first = await call("GET", "/api/v1/traces", { key: limited.key });
    expect(first.headers.get("RateLimit-Policy")).toMatch(
      /^"requests";q=1200;w=60, "key-requests";q=3;w=60, /,
    );
    const { ok, refusal } = await exhaust(limited.key, 10);
    expect(ok).toBe(2);
    await expectProblem(refusal, 429, /This API key's limit of 3 requests per minute/);
    // 3 per minute is one token every 20 s.
    const retryAfter = Number(refusal.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);

    // The organization's other keys are not held back by this one.
    expect((await call("GET", "/api/v1/traces", { key: org.key })).status).toBe(200);

    await age(org.orgId, `key:${limited.id}`, retryAfter * 1000);
    expect((await call("GET", "/api/v1/traces", { key: limited.key })).status).toBe(200);
    expect((await call("GET", "/api/v1/traces", { key: limited.key })).status).toBe(429);
  });

  it("charges a request that fails validation before it is ingested", async () => {
    const org = await createOrg();
    const limited = await createKey(org, ["traces:write"], { rate_limit_per_minute: 2 });
    const invalid = {
      key: limited.key,
      rawBody: "{not json",
      headers: { "Content-Type": "application/json" },
    };
    await expectProblem(await call("POST", "/api/v1/traces", invalid), 400);
    await expectProblem(await call("POST", "/api/v1/traces/batch", invalid), 400);
    await expectProblem(await call("POST", "/api/v1/traces", { key: limited.key, body: trace() }), 429);
  });

  it("rejects limits on a key or organization that are not allowed", async () => {
    const org = await createOrg();
    const response = await call("POST", "/api/v1/keys", {
      key: org.key,
      body: { name: "k", scopes: ["traces:read"], rate_limit_per_minute: 0 },
    });
    await expectProblem(response, 400, /rate_limit_per_minute/);
    const notEnterprise = await call("POST", "/api/v1/admin/organizations", {
      key: "test-operator-token-0123456789",
      body: { name: "Pro", plan: "pro", limits: { requests_per_minute: 5 } },
    });
    const problem = await expectProblem(notEnterprise, 400);
    expect(problem.errors).toEqual([
      { path: "limits", message: "only enterprise organizations have configurable limits" },
    ]);
  });
});

describe("monthly trace quota", () => {
  it("counts traces, not requests: a batch costs one request and each valid trace it carries", async () => {
    const org = await createOrg("Quota Org", "enterprise", {
      limits: { traces_per_month: 5, requests_per_minute: 1_000 },
    });
    const batch = await call("POST", "/api/v1/traces/batch", { key: org.key, body: batchOf(3, 2) });
    expect(batch.status).toBe(207);
    expect(batch.headers.get("RateLimit")).toMatch(/"traces-monthly";r=2;/);
    for (let i = 0; i < 5; i++)
      expect((await call("GET", "/api/v1/traces", { key: org.key })).status).toBe(200);

    const over = await call("POST", "/api/v1/traces/batch", { key: org.key, body: batchOf(3) });
    const problem = await expectProblem(over, 429, /monthly quota of 5 traces has 2 left, fewer than the 3/);
    const now = new Date();
    const reset = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    expect(problem).toMatchObject({
      type: "https://aegis.dev/problems/trace-quota-exceeded",
      quota: 5,
      used: 3,
      requested: 3,
      resets_at: reset,
    });
    expect(problem.detail).toContain(reset);
    const retryAfter = Number(over.headers.get("Retry-After"));
    expect(Math.abs(retryAfter - (Date.parse(reset) - Date.now()) / 1000)).toBeLessThan(5);

    expect((await call("POST", "/api/v1/traces", { key: org.key, body: trace() })).status).toBe(202);
    expect((await call("POST", "/api/v1/traces", { key: org.key, body: trace() })).status).toBe(202);
    await expectProblem(
      await call("POST", "/api/v1/traces", { key: org.key, body: trace() }),
      429,
      /has 0 left/,
    );
    // Reads are not traces: they go on.
    expect((await call("GET", "/api/v1/traces", { key: org.key })).status).toBe(200);
  });

  it("holds the free plan to 10,000 traces a month", async () => {
    const org = await createOrg();
    expect((await call("POST", "/api/v1/traces", { key: org.key, body: trace() })).status).toBe(202);
    await runInDurableObject(limiterOf(org.orgId), (_limiter, state) => {
      state.storage.sql.exec("UPDATE trace_usage SET used = 9999");
    });
    const last = await call("POST", "/api/v1/traces", { key: org.key, body: trace() });
    expect(last.status).toBe(202);
    expect(last.headers.get("RateLimit")).toMatch(/"traces-monthly";r=0;/);
    await expectProblem(
      await call("POST", "/api/v1/traces/batch", { key: org.key, body: batchOf(1) }),
      429,
      /10000 traces/,
    );
  });
});

describe("when the limiter is unreachable", () => {
  it("fails open by default, and logs it", async () => {
    const org = await createOrg();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = await withUnreachableLimiter(org, undefined);
    expect(response.status).toBe(200);
    expect(response.headers.get("RateLimit")).toBeNull();
    expect(
      warn.mock.calls.some(([line]) => String(line).includes("rate limiter unreachable; failing open")),
    ).toBe(true);
    warn.mockRestore();
  });

  it("fails closed with 503 when configured to", async () => {
    const org = await createOrg();
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await withUnreachableLimiter(org, "closed");
    const problem = await expectProblem(response, 503, /cannot be checked/);
    expect(problem.type).toBe("https://aegis.dev/problems/rate-limiter-unavailable");
    expect(response.headers.get("Retry-After")).toBe("1");
    error.mockRestore();
  });

  it("treats an unknown failure mode as a configuration error", async () => {
    const org = await createOrg();
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await expectProblem(await withUnreachableLimiter(org, "sideways"), 500, /RATE_LIMIT_FAILURE_MODE/);
    error.mockRestore();
  });
});

/** A check of 10 requests a minute and no trace quota, with `overrides`. */
function checkLimiter(name: string, overrides: Partial<LimitCheck>): Promise<LimitDecision> {
  return runInDurableObject(limiterOf(name), (limiter) =>
    limiter.check({ requestsPerMinute: 10, key: null, tracesPerMonth: null, traces: 0, ...overrides }),
  );
}

/** The limiter's stored state: tokens per bucket, and the traces counted this month. */
function storedLimits(name: string): Promise<{ buckets: Record<string, number>; traces: number }> {
  return runInDurableObject(limiterOf(name), (_limiter, state) => {
    const sql = state.storage.sql;
    const buckets = sql.exec<{ name: string; tokens: number }>("SELECT name, tokens FROM buckets").toArray();
    return {
      buckets: Object.fromEntries(buckets.map((b) => [b.name, b.tokens])),
      traces: sql.exec<{ used: number }>("SELECT used FROM trace_usage").toArray()[0]?.used ?? 0,
    };
  });
}

function remainingOf(decision: LimitDecision): Partial<Record<PolicyName, number>> {
  return Object.fromEntries(decision.policies.map((p) => [p.name, p.remaining]));
}

interface LeaseStep {
  check: Partial<LimitCheck>;
  outcome: LimitDecision["outcome"];
  /** For an allowed check: what it leased. */
  leased?: Allowance;
  remaining?: Partial<Record<PolicyName, number>>;
  stored?: { buckets?: Record<string, number>; traces?: number };
  /** Anything else the decision must carry. */
  decision?: Record<string, unknown>;
}

const NO_LEASE: Allowance = { requests: 0, traces: 0 };

/** Each case is a sequence of checks against one fresh limiter, with the clock standing still. */
const leaseCases: [string, LeaseStep[]][] = [
  [
    "grants a lease only as far as the bucket holds beyond the request itself",
    [
      {
        check: { lease: { requests: 5, traces: 0 } },
        outcome: "allowed",
        leased: { requests: 5, traces: 0 },
        remaining: { requests: 4 },
        stored: { buckets: { org: 4 } },
      },
      // 4 tokens: one for the request, 3 to lease.
      {
        check: { lease: { requests: 5, traces: 0 } },
        outcome: "allowed",
        leased: { requests: 3, traces: 0 },
        remaining: { requests: 0 },
        stored: { buckets: { org: 0 } },
      },
      {
        check: { lease: { requests: 5, traces: 0 } },
        outcome: "rate-limited",
        stored: { buckets: { org: 0 } },
        decision: { policy: "requests", retryAfterSeconds: 6 },
      },
    ],
  ],
  [
    "bounds the lease by the tightest bucket, the key's, and charges it to every bucket",
    [
      {
        check: {
          requestsPerMinute: 1_000,
          key: { id: "k1", requestsPerMinute: 4 },
          lease: { requests: 10, traces: 0 },
        },
        outcome: "allowed",
        leased: { requests: 3, traces: 0 },
        remaining: { requests: 996, "key-requests": 0 },
        stored: { buckets: { org: 996, "key:k1": 0 } },
      },
      {
        check: {
          requestsPerMinute: 1_000,
          key: { id: "k1", requestsPerMinute: 4 },
          lease: { requests: 10, traces: 0 },
        },
        outcome: "rate-limited",
        decision: { policy: "key-requests" },
        stored: { buckets: { org: 996, "key:k1": 0 } },
      },
    ],
  ],
  [
    "credits returned requests back before charging, never beyond the bucket's capacity",
    [
      { check: { lease: { requests: 5, traces: 0 } }, outcome: "allowed", remaining: { requests: 4 } },
      {
        check: { returned: { requests: 5, traces: 0 } },
        outcome: "allowed",
        leased: NO_LEASE,
        remaining: { requests: 8 },
        stored: { buckets: { org: 8 } },
      },
      {
        check: { returned: { requests: 20, traces: 0 } },
        outcome: "allowed",
        leased: NO_LEASE,
        remaining: { requests: 9 },
        stored: { buckets: { org: 9 } },
      },
    ],
  ],
  [
    "lets a request with returned requests through a bucket that is otherwise empty",
    [
      {
        check: { lease: { requests: 9, traces: 0 } },
        outcome: "allowed",
        leased: { requests: 9, traces: 0 },
      },
      { check: {}, outcome: "rate-limited" },
      {
        check: { returned: { requests: 2, traces: 0 } },
        outcome: "allowed",
        remaining: { requests: 1 },
        stored: { buckets: { org: 1 } },
      },
    ],
  ],
  [
    "takes returned traces off the month's count, never below zero",
    [
      {
        check: { tracesPerMonth: 1_000, traces: 10, lease: { requests: 0, traces: 100 } },
        outcome: "allowed",
        leased: { requests: 0, traces: 100 },
        remaining: { requests: 9, "traces-monthly": 890 },
        stored: { traces: 110 },
      },
      {
        check: { tracesPerMonth: 1_000, returned: { requests: 0, traces: 60 } },
        outcome: "allowed",
        remaining: { "traces-monthly": 950 },
        stored: { traces: 50 },
      },
      {
        check: { tracesPerMonth: 1_000, returned: { requests: 0, traces: 500 } },
        outcome: "allowed",
        remaining: { "traces-monthly": 1_000 },
        stored: { traces: 0 },
      },
    ],
  ],
  [
    "records returned traces even when the request itself is rate-limited",
    [
      {
        check: { requestsPerMinute: 1, tracesPerMonth: 1_000, lease: { requests: 0, traces: 100 } },
        outcome: "allowed",
        leased: { requests: 0, traces: 100 },
        stored: { buckets: { org: 0 }, traces: 100 },
      },
      {
        check: { requestsPerMinute: 1, tracesPerMonth: 1_000, returned: { requests: 0, traces: 40 } },
        outcome: "rate-limited",
        remaining: { requests: 0, "traces-monthly": 940 },
        stored: { buckets: { org: 0 }, traces: 60 },
      },
    ],
  ],
  [
    "never leases traces beyond the monthly quota",
    [
      {
        check: { tracesPerMonth: 100, traces: 30, lease: { requests: 0, traces: 500 } },
        outcome: "allowed",
        leased: { requests: 0, traces: 70 },
        remaining: { "traces-monthly": 0 },
        stored: { traces: 100 },
      },
      {
        check: { tracesPerMonth: 100, lease: { requests: 0, traces: 500 } },
        outcome: "allowed",
        leased: NO_LEASE,
        stored: { traces: 100 },
      },
      {
        check: { tracesPerMonth: 100, traces: 1 },
        outcome: "quota-exceeded",
        decision: { quota: 100, used: 100, requested: 1 },
      },
    ],
  ],
  [
    "leases traces without a quota, up to what was asked",
    [
      {
        check: { traces: 2, lease: { requests: 0, traces: 500 } },
        outcome: "allowed",
        leased: { requests: 0, traces: 500 },
        stored: { traces: 502 },
      },
    ],
  ],
  [
    "leases nothing to a request over the quota, which costs only its own token",
    [
      {
        check: { tracesPerMonth: 10, traces: 8, lease: { requests: 0, traces: 2 } },
        outcome: "allowed",
        leased: { requests: 0, traces: 2 },
        stored: { buckets: { org: 9 }, traces: 10 },
      },
      // 2 given back leaves 2 of the quota: not enough for 5, so nothing is leased either.
      {
        check: {
          tracesPerMonth: 10,
          traces: 5,
          lease: { requests: 5, traces: 5 },
          returned: { requests: 0, traces: 2 },
        },
        outcome: "quota-exceeded",
        remaining: { requests: 8, "traces-monthly": 2 },
        decision: { quota: 10, used: 8, requested: 5 },
        stored: { buckets: { org: 8 }, traces: 8 },
      },
      {
        check: { tracesPerMonth: 10, traces: 11, lease: { requests: 5, traces: 5 } },
        outcome: "quota-exceeded",
        remaining: { requests: 7, "traces-monthly": 2 },
        stored: { buckets: { org: 7 }, traces: 8 },
      },
      { check: { tracesPerMonth: 10 }, outcome: "allowed", remaining: { requests: 6 } },
    ],
  ],
];

describe("rate-limit leases", () => {
  beforeEach(() => {
    // Refill and lease expiry follow the clock; standing still, every count below is exact.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(leaseCases)("the limiter %s", async (_label, steps) => {
    const name = `lease-${crypto.randomUUID()}`;
    for (const [i, step] of steps.entries()) {
      const decision = await checkLimiter(name, step.check);
      const where = `step ${i + 1}`;
      expect(decision.outcome, where).toBe(step.outcome);
      if (step.leased) {
        expect(decision.outcome === "allowed" ? decision.leased : undefined, where).toEqual(step.leased);
      }
      if (step.remaining) expect(remainingOf(decision), where).toMatchObject(step.remaining);
      if (step.decision) expect(decision, where).toMatchObject(step.decision);
      if (step.stored) {
        const stored = await storedLimits(name);
        if (step.stored.buckets) expect(stored.buckets, where).toEqual(step.stored.buckets);
        if (step.stored.traces !== undefined) expect(stored.traces, where).toBe(step.stored.traces);
      }
    }
  });

  /** `r=` of one policy in a RateLimit header. */
  function remainingIn(response: Response, policy: PolicyName): number {
    const match = new RegExp(`"${policy}";r=(\\d+);`).exec(response.headers.get("RateLimit") ?? "");
    if (!match) throw new Error(`no ${policy} in RateLimit: ${response.headers.get("RateLimit")}`);
    return Number(match[1]);
  }

  const fromLease = (response: Response) =>
    response.headers.get("Server-Timing") === 'ratelimit;dur=0.0;desc="lease"';

  interface LeaseCase {
    label: string;
    plan: string;
    extra: Record<string, unknown>;
    /** The key's own limit; null to call with the organization's admin key. */
    keyLimit: number | null;
    ingest: boolean;
    /** The tightest bucket's capacity, and the requests each check leases beyond itself. */
    capacity: number;
    lease: number;
    /** Whether requests are served from the lease (ingestion needs leased traces too). */
    spendsLease: boolean;
    /** The month's trace count once the requests are made. */
    traces: (requests: number) => number;
  }

  const none = () => 0;
  const ingested = (requests: number) => requests;

  it.each<LeaseCase>([
    {
      label: "a free organization (60/min)",
      plan: "free",
      extra: {},
      keyLimit: null,
      ingest: false,
      capacity: 60,
      lease: 0,
      spendsLease: false,
      traces: none,
    },
    {
      label: "a pro organization (1,200/min)",
      plan: "pro",
      extra: {},
      keyLimit: null,
      ingest: false,
      capacity: 1_200,
      lease: 2,
      spendsLease: true,
      traces: none,
    },
    {
      label: "an enterprise organization at 60,000/min",
      plan: "enterprise",
      extra: { limits: { requests_per_minute: 60_000 } },
      keyLimit: null,
      ingest: false,
      capacity: 60_000,
      lease: 50,
      spendsLease: true,
      traces: none,
    },
    {
      label: "an enterprise key of 300/min",
      plan: "enterprise",
      extra: {},
      keyLimit: 300,
      ingest: false,
      capacity: 300,
      lease: 0,
      spendsLease: false,
      traces: none,
    },
    {
      label: "an enterprise key of 6,000/min",
      plan: "enterprise",
      extra: {},
      keyLimit: 6_000,
      ingest: false,
      capacity: 6_000,
      lease: 10,
      spendsLease: true,
      traces: none,
    },
    // Under a trace quota ingestion leases nothing: every ingestion request is checked by the limiter.
    {
      label: "a free organization ingesting",
      plan: "free",
      extra: {},
      keyLimit: null,
      ingest: true,
      capacity: 60,
      lease: 0,
      spendsLease: false,
      traces: ingested,
    },
    {
      label: "a pro organization ingesting",
      plan: "pro",
      extra: {},
      keyLimit: null,
      ingest: true,
      capacity: 1_200,
      lease: 0,
      spendsLease: false,
      traces: ingested,
    },
    // Without one, each check leases 500 traces with its requests; what the last lease holds is counted.
    {
      label: "an enterprise organization at 3,000/min ingesting",
      plan: "enterprise",
      extra: { limits: { requests_per_minute: 3_000 } },
      keyLimit: null,
      ingest: true,
      capacity: 3_000,
      lease: 5,
      spendsLease: true,
      traces: (requests) => requests + 500,
    },
  ])("leases $lease requests per check to $label, and counts down exactly", async (c) => {
    const org = await createOrg(undefined, c.plan, c.extra);
    const { key, id } =
      c.keyLimit === null
        ? { key: org.key, id: org.keyId }
        : await createKey(org, ["traces:read"], { rate_limit_per_minute: c.keyLimit });
    const bucket = c.keyLimit === null ? "org" : `key:${id}`;
    const policy: PolicyName = c.keyLimit === null ? "requests" : "key-requests";
    const perCheck = c.lease + 1;
    // Two whole leases, and the request that takes a third.
    const count = 2 * perCheck + 1;
    for (let i = 0; i < count; i++) {
      const response = c.ingest
        ? await call("POST", "/api/v1/traces", { key, body: trace() })
        : await call("GET", "/api/v1/organization", { key });
      expect(response.status).toBe(c.ingest ? 202 : 200);
      expect(fromLease(response), `request ${i + 1}`).toBe(c.spendsLease && i % perCheck !== 0);
      // What the lease holds counts as remaining, so the count never jumps, up or down.
      expect(remainingIn(response, policy), `request ${i + 1}`).toBe(c.capacity - 1 - i);
      if (c.spendsLease && i === c.lease) {
        // The limiter was charged once, for the first request and its lease, however many were spent.
        expect((await storedLimits(org.orgId)).buckets[bucket]).toBe(c.capacity - perCheck);
      }
    }
    // Every request made, and the lease the last one took.
    const stored = await storedLimits(org.orgId);
    expect(stored.buckets[bucket]).toBe(c.capacity - count - c.lease);
    // The organization's bucket also paid for the admin key's request that created the key, and its
    // lease of 50.
    if (c.keyLimit !== null) expect(stored.buckets.org).toBe(100_000 - 51 - count - c.lease);
    expect(stored.traces).toBe(c.traces(count));
  });

  it("gives an expired lease's unspent requests and traces back with the next check", async () => {
    // 60,000 a minute leases 50 requests; without a trace quota, ingestion leases 500 traces too.
    const org = await createOrg(undefined, "enterprise", { limits: { requests_per_minute: 60_000 } });
    const granted = Date.now();
    const first = await call("POST", "/api/v1/traces", { key: org.key, body: trace() });
    expect(first.status).toBe(202);
    expect(fromLease(first)).toBe(false);
    expect(await storedLimits(org.orgId)).toEqual({ buckets: { org: 60_000 - 51 }, traces: 1 + 500 });

    const second = await call("POST", "/api/v1/traces", { key: org.key, body: trace() });
    expect(second.status).toBe(202);
    expect(fromLease(second)).toBe(true);
    expect(remainingIn(second, "requests")).toBe(59_998);

    vi.setSystemTime(granted + LEASE_TTL_MS - 1);
    const late = await call("GET", "/api/v1/organization", { key: org.key });
    expect(fromLease(late)).toBe(true);
    // Spending from a lease never reaches the limiter.
    expect(await storedLimits(org.orgId)).toEqual({ buckets: { org: 60_000 - 51 }, traces: 1 + 500 });

    // The lease is over: its 48 requests and 499 traces go back. The bucket is kept from refilling
    // meanwhile, so that what comes back shows.
    vi.setSystemTime(granted + LEASE_TTL_MS);
    await runInDurableObject(limiterOf(org.orgId), (_limiter, state) => {
      state.storage.sql.exec("UPDATE buckets SET updated_at = ?", Date.now());
    });
    const next = await call("GET", "/api/v1/organization", { key: org.key });
    expect(fromLease(next)).toBe(false);
    expect(remainingIn(next, "requests")).toBe(59_996);
    // A read leases requests only; the month counts just the two traces ingested.
    expect(await storedLimits(org.orgId)).toEqual({ buckets: { org: 60_000 - 51 + 48 - 51 }, traces: 2 });
  });
});
