import { beforeAll, describe, expect, it } from "vitest";
import { call, createKey, createOrg, expectProblem, ingest, type TestOrg, trace } from "./helpers";

/** Two organizations, each with a trace and a spare key; every endpoint is tried across the line. */
let alice: TestOrg;
let bob: TestOrg;
let bobTraceId: string;
let bobKeyId: string;

beforeAll(async () => {
  alice = await createOrg("Alice Clinic");
  bob = await createOrg("Bob Capital");
  await ingest(alice, trace({ id: "alice-1" }));
  bobTraceId = await ingest(bob, trace({ id: "bob-1", domain: "trading" }));
  bobKeyId = (await createKey(bob, ["traces:read"])).id;
});

describe("tenant isolation", () => {
  it.each([
    ["GET", () => `/api/v1/traces/${bobTraceId}`],
    ["GET", () => "/api/v1/traces/bob-1"],
    ["DELETE", () => `/api/v1/traces/${bobTraceId}`],
    ["DELETE", () => `/api/v1/keys/${bobKeyId}`],
  ])("answers 404, never 403, for another organization's resource: %s %s", async (method, path) => {
    await expectProblem(await call(method, path(), { key: alice.key }), 404);
  });

  it("leaves the other organization's resources untouched", async () => {
    const read = await call("GET", `/api/v1/traces/${bobTraceId}`, { key: bob.key });
    expect(read.status).toBe(200);
    const keys = await call("GET", "/api/v1/keys", { key: bob.key });
    const bobKey = (await keys.json<{ data: { id: string; revoked_at: string | null }[] }>()).data.find(
      (k) => k.id === bobKeyId,
    );
    expect(bobKey?.revoked_at).toBeNull();
  });

  it.each([
    ["/api/v1/traces", (body: string) => body.includes("bob-1") || body.includes(bobTraceId)],
    ["/api/v1/traces?session_id=&domain=trading", (body: string) => body.includes(bobTraceId)],
    ["/api/v1/keys", (body: string) => body.includes(bobKeyId) || body.includes(bob.keyId)],
    ["/api/v1/audit", (body: string) => body.includes(bob.orgId) || body.includes(bobTraceId)],
    ["/api/v1/organization", (body: string) => body.includes(bob.orgId)],
  ])("lists only the caller's own data on %s", async (path, leaksBob) => {
    const response = await call("GET", path, { key: alice.key });
    expect(response.status).toBe(200);
    expect(leaksBob(await response.text())).toBe(false);
  });

  it("verifies each organization's audit chain separately", async () => {
    const response = await call("GET", "/api/v1/audit/verify", { key: alice.key });
    expect(await response.json()).toEqual({ valid: true, events: 3 });
  });

  it("stores a trace sent with the other organization's client id as a new trace", async () => {
    const response = await call("POST", "/api/v1/traces", { key: alice.key, body: trace({ id: "bob-1" }) });
    expect(response.status).toBe(202);
    const { id } = await response.json<{ id: string }>();
    expect(id).not.toBe(bobTraceId);
  });
});
