import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import type { Env } from "../../src/env";
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
