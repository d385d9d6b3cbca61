import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import type { Env } from "../../src/env";
import type { OrgHub } from "../../src/live/org-hub";
import { ADMIN_TOKEN, BASE, call, createKey, createOrg, expectProblem } from "./helpers";
import { openSocket, SseReader, ticketFor } from "./live-helpers";

const REVOCATION_BUDGET_MS = 5_000;

async function revoke(adminKey: string, keyId: string) {
  const response = await call("DELETE", `/api/v1/keys/${keyId}`, { key: adminKey });
  expect(response.status).toBe(200);
}

describe("revoking a key", () => {
  it("closes its open WebSockets, by header and by ticket, within 5 s, and leaves other keys' open", async () => {
    const org = await createOrg();
    const reader = await createKey(org, ["traces:read"]);
    const byHeader = await openSocket(reader.key);
    const byTicket = await openSocket(undefined, `?ticket=${(await ticketFor(reader.key)).ticket}`);
    const other = await openSocket(org.key);
    const started = Date.now();
    await revoke(org.key, reader.id);
    for (const socket of [byHeader, byTicket]) {
      const closed = await Promise.race([
        socket.closed,
        new Promise<"open">((resolve) => setTimeout(() => resolve("open"), REVOCATION_BUDGET_MS)),
      ]);
      expect(closed).toEqual({ code: 1008, reason: "API key revoked" });
    }
    expect(Date.now() - started).toBeLessThan(REVOCATION_BUDGET_MS);
    other.send({ type: "ping" });
    expect(await other.next()).toEqual({ type: "pong" });
    other.close();
  });

  it("ends its SSE streams with an error event", async () => {
    const org = await createOrg();
    const reader = await createKey(org, ["traces:read"]);
    const stream = new SseReader(await call("GET", "/api/v1/live/sse", { key: reader.key }));
    await revoke(org.key, reader.id);
    expect(await stream.next()).toMatchObject({
      event: "error",
      data: { type: "error", message: "API key revoked" },
    });
  });

  it("voids the tickets it minted at once, for WebSockets and SSE", async () => {
    const org = await createOrg();
    const reader = await createKey(org, ["traces:read"]);
    const [forSocket, forStream] = [await ticketFor(reader.key), await ticketFor(reader.key)];
    await revoke(org.key, reader.id);
    const socket = await openSocket(undefined, `?ticket=${forSocket.ticket}`);
    expect(await socket.closed).toEqual({
      code: 1008,
      reason: "the API key that issued the ticket is revoked or expired",
    });
    await expectProblem(
      await call("GET", `/api/v1/live/sse?ticket=${forStream.ticket}`),
      401,
      /revoked or expired/,
    );
  });
});

/** ORG_HUB whose revokeKey fails the first `failures` times it is called, then reaches the real hub. */
function flakyHub(failures: number) {
  const real = env.ORG_HUB;
  let left = failures;
  const calls: number[] = [];
  const ns = {
    idFromName: (name: string) => real.idFromName(name),
    get: (id: DurableObjectId) => {
      const stub = real.get(id);
      return {
        revokeKey: async (keyId: string) => {
          calls.push(Date.now());
          if (left-- > 0) throw new Error("the hub is unreachable");
          return stub.revokeKey(keyId);
        },
      };
    },
  } as unknown as DurableObjectNamespace<OrgHub>;
  return { ns, calls };
}

describe("revoking a key while its organization's hub fails", () => {
  it("keeps trying after the response, and closes the key's sockets within 5 s", async () => {
    const org = await createOrg();
    const reader = await createKey(org, ["traces:read"]);
    const socket = await openSocket(reader.key);
    const hub = flakyHub(2);
    const ctx = createExecutionContext();
    const started = Date.now();
    const response = await app.fetch(
      new Request(`${BASE}/api/v1/keys/${reader.id}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${org.key}` },
      }),
      { ...env, ORG_HUB: hub.ns } satisfies Env,
      ctx,
    );
    expect(response.status).toBe(200);
    const closed = await Promise.race([
      socket.closed,
      new Promise<"open">((resolve) => setTimeout(() => resolve("open"), REVOCATION_BUDGET_MS)),
    ]);
    expect(closed).toEqual({ code: 1008, reason: "API key revoked" });
    expect(Date.now() - started).toBeLessThan(REVOCATION_BUDGET_MS);
    await waitOnExecutionContext(ctx);
    expect(hub.calls).toHaveLength(3);
  });

  it("gives up after a few seconds of failures, having answered at once", async () => {
    const org = await createOrg();
    const reader = await createKey(org, ["traces:read"]);
    const hub = flakyHub(100);
    const ctx = createExecutionContext();
    const started = Date.now();
    const response = await app.fetch(
      new Request(`${BASE}/api/v1/keys/${reader.id}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${org.key}` },
      }),
      { ...env, ORG_HUB: hub.ns } satisfies Env,
      ctx,
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    await waitOnExecutionContext(ctx);
    expect(hub.calls.length).toBeGreaterThan(2);
    expect((hub.calls.at(-1) ?? 0) - started).toBeLessThan(REVOCATION_BUDGET_MS);
  });
});

describe("the operator token", () => {
  const from = (address: string, token: string) =>
    call("GET", "/api/v1/admin/organizations", {
      key: token,
      headers: { "CF-Connecting-IP": address },
    });

  it("answers 429 with Retry-After after 10 failures a minute from one address, and only there", async () => {
    const guessing = "203.0.113.7";
    for (let attempt = 0; attempt < 10; attempt += 1)
      await expectProblem(await from(guessing, `guess-${attempt}-0123456789`), 401);
    const limited = await from(guessing, ADMIN_TOKEN);
    await expectProblem(limited, 429, /failed operator-token attempts/);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await from("203.0.113.8", ADMIN_TOKEN)).status).toBe(200);
  });

  it("counts concurrent wrong guesses too: 40 at once from one address get 10 × 401 and 30 × 429", async () => {
    const statuses = await Promise.all(
      Array.from(
        { length: 40 },
        async (_, i) => (await from("203.0.113.40", `guess-${i}-0123456789`)).status,
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  });

  it("does not count the operator's own successful attempts", async () => {
    const address = "203.0.113.41";
    for (let attempt = 0; attempt < 9; attempt += 1)
      await expectProblem(await from(address, `guess-${attempt}-0123456789`), 401);
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect((await from(address, ADMIN_TOKEN)).status).toBe(200);
    await expectProblem(await from(address, "one-more-wrong-guess-0123"), 401);
    await expectProblem(await from(address, ADMIN_TOKEN), 429);
  });

  it("counts an IPv6 client by its /64: a new address in the same /64 is still locked out", async () => {
    for (let host = 1; host <= 10; host += 1)
      await expectProblem(await from(`2001:db8:7:8::${host.toString(16)}`, `guess-${host}-0123456789`), 401);
    await expectProblem(await from("2001:db8:7:8:ffff:ffff:ffff:fffe", ADMIN_TOKEN), 429);
    await expectProblem(await from("2001:0db8:0007:0008:0:0:0:abcd", ADMIN_TOKEN), 429);
    expect((await from("2001:db8:7:9::1", ADMIN_TOKEN)).status).toBe(200);
  });

  it("mints a new admin key for an organization whose key was lost, audited as the operator's", async () => {
    const org = await createOrg();
    const minted = await call("POST", `/api/v1/admin/organizations/${org.orgId}/keys`, {
      key: ADMIN_TOKEN,
      body: {},
    });
    expect(minted.status).toBe(201);
    const key = await minted.json<{ key: string; scopes: string[]; name: string }>();
    expect(key.scopes).toEqual(["traces:write", "traces:read", "reviews:write", "admin"]);
    expect((await call("GET", "/api/v1/keys", { key: key.key })).status).toBe(200);
    const audit = await call("GET", "/api/v1/audit?limit=1", { key: key.key });
    expect((await audit.json<{ data: { action: string; actor: string }[] }>()).data[0]).toMatchObject({
      action: "api_key.created",
      actor: "admin",
    });
    await expectProblem(
      await call("POST", "/api/v1/admin/organizations/org_missing/keys", { key: ADMIN_TOKEN, body: {} }),
      404,
    );
    await expectProblem(
      await call("POST", `/api/v1/admin/organizations/${org.orgId}/keys`, { key: org.key, body: {} }),
      401,
    );
  });
});

describe("control characters in URLs", () => {
  it.each([
    ["/api/v1/search?q=x%00y", "q"],
    ["/api/v1/traces?session_id=a%01b", "session_id"],
    ["/api/v1/traces/abc%00def", "(path)"],
    ["/api/v1/traces/%E0%A4%A", "(path)"],
    ["/api/v1/traces?model=%E0%A4", "model"],
    ["/api/v1/search?q=dose&session_id=%ED%A0%80", "session_id"],
    ["/api/v1/search?q=100%", "q"],
    ["/api/v1/traces?%FF=1", "%FF"],
  ])("refuses %s with a 400 naming %s", async (path, field) => {
    const org = await createOrg();
    const body = await expectProblem(await call("GET", path, { key: org.key }), 400);
    expect(body.errors?.[0]?.path).toBe(field);
  });

  it("accepts percent-encoded UTF-8 and '+' for spaces in a query", async () => {
    const org = await createOrg();
    expect((await call("GET", "/api/v1/search?q=caf%C3%A9+dose", { key: org.key })).status).toBe(200);
  });

  it("lets a search carry tabs and line breaks as whitespace", async () => {
    const org = await createOrg();
    expect((await call("GET", "/api/v1/search?q=warfarin%0Aibuprofen%09dose", { key: org.key })).status).toBe(
      200,
    );
  });
});
