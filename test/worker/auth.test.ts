import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, createKey, createOrg, expectProblem, trace } from "./helpers";

describe("API key authentication", () => {
  it("accepts the key as a Bearer token and as X-API-Key", async () => {
    const org = await createOrg();
    expect((await call("GET", "/api/v1/traces", { key: org.key })).status).toBe(200);
    expect((await call("GET", "/api/v1/traces", { headers: { "X-API-Key": org.key } })).status).toBe(200);
  });

  it.each([
    ["no credentials", {}, /Send an API key/],
    ["a malformed key", { Authorization: "Bearer hello" }, /not valid/],
    ["an unknown key", { "X-API-Key": `aeg_live_${"A".repeat(32)}` }, /not valid/],
    ["a basic auth header", { Authorization: "Basic dXNlcjpwYXNz" }, /Send an API key/],
  ])("answers 401 for %s", async (_label, headers, detail) => {
    const response = await call("GET", "/api/v1/traces", { headers });
    const problem = await expectProblem(response, 401, detail);
    expect(problem.type).toMatch(/unauthorized$/);
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
  });

  it("answers 401 with a distinct message for a revoked key", async () => {
    const org = await createOrg();
    const other = await createKey(org, ["traces:read"]);
    expect((await call("DELETE", `/api/v1/keys/${other.id}`, { key: org.key })).status).toBe(200);
    await expectProblem(await call("GET", "/api/v1/traces", { key: other.key }), 401, /revoked/);
  });

  it("answers 401 with a distinct message for an expired key", async () => {
    const org = await createOrg();
    const soon = new Date(Date.now() + 60_000).toISOString();
    const key = await createKey(org, ["traces:read"], { expires_at: soon });
    await env.DB.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, key.id)
      .run();
    await expectProblem(await call("GET", "/api/v1/traces", { key: key.key }), 401, /expired/);
  });

  it.each([
    ["traces:read", "POST", "/api/v1/traces", trace()],
    ["traces:write", "GET", "/api/v1/traces", undefined],
    ["traces:write", "GET", "/api/v1/keys", undefined],
    ["traces:read", "GET", "/api/v1/audit", undefined],
    ["traces:read", "PATCH", "/api/v1/organization/settings", { phi_redaction: "mask" }],
  ])("answers 403 to a key with only %s for %s %s", async (scope, method, path, body) => {
    const org = await createOrg();
    const limited = await createKey(org, [scope]);
    await expectProblem(await call(method, path, { key: limited.key, body }), 403, /lacks the '.+' scope/);
  });

  it("stores only the prefix and a SHA-256 hash, never the key", async () => {
    const org = await createOrg();
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?")
      .bind(org.keyId)
      .first<Record<string, unknown>>();
    expect(org.key).toMatch(/^aeg_live_[0-9A-Za-z]{32}$/);
    expect(row?.prefix).toBe(org.key.slice(0, 12));
    expect(row?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(org.key.slice(12));
  });
});

describe("operator bootstrap", () => {
  it("creates an organization with an admin key shown once", async () => {
    const response = await call("POST", "/api/v1/admin/organizations", {
      key: ADMIN_TOKEN,
      body: { name: "Acme Health", plan: "pro" },
    });
    expect(response.status).toBe(201);
    const body = await response.json<{
      organization: Record<string, unknown>;
      api_key: Record<string, unknown>;
    }>();
    expect(body.organization).toMatchObject({
      name: "Acme Health",
      plan: "pro",
      id: expect.stringMatching(/^org_/),
    });
    expect(body.api_key).toMatchObject({
      key: expect.stringMatching(/^aeg_live_/),
      prefix: expect.any(String),
      scopes: ["traces:write", "traces:read", "reviews:write", "admin"],
    });
    const listed = await call("GET", "/api/v1/admin/organizations", { key: ADMIN_TOKEN });
    expect(JSON.stringify(await listed.json())).not.toContain(String(body.api_key.key));
  });

  it.each([
    ["no token", undefined, 401],
    ["a wrong token", "not-the-operator-token", 401],
    ["an organization's key", "org-key", 401],
  ])("refuses %s", async (_label, token, status) => {
    const org = await createOrg();
    const key = token === "org-key" ? org.key : token;
    await expectProblem(
      await call("POST", "/api/v1/admin/organizations", { key, body: { name: "Nope" } }),
      status,
    );
  });

  it("validates the body with the failing field", async () => {
    const problem = await expectProblem(
      await call("POST", "/api/v1/admin/organizations", {
        key: ADMIN_TOKEN,
        body: { name: "", plan: "gold" },
      }),
      400,
    );
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(["name", "plan"]);
  });
});

describe("key management", () => {
  it("creates, lists without secrets, and revokes keys", async () => {
    const org = await createOrg();
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const created = await call("POST", "/api/v1/keys", {
      key: org.key,
      body: { name: "ingest-only", scopes: ["traces:write"], expires_at: expires },
    });
    expect(created.status).toBe(201);
    const key = await created.json<{
      id: string;
      key: string;
      prefix: string;
      name: string;
      scopes: string[];
      expires_at: string;
    }>();
    expect(key).toMatchObject({ name: "ingest-only", scopes: ["traces:write"], expires_at: expires });

    const listed = await call("GET", "/api/v1/keys", { key: org.key });
    const text = await listed.text();
    expect(text).not.toContain(key.key);
    expect(text).not.toContain("key_hash");
    expect(
      JSON.parse(text)
        .data.map((k: { id: string }) => k.id)
        .sort(),
    ).toEqual([key.id, org.keyId].sort());

    const revoked = await call("DELETE", `/api/v1/keys/${key.id}`, { key: org.key });
    expect((await revoked.json<{ revoked_at: string | null }>()).revoked_at).not.toBeNull();
  });

  it.each([
    [{ name: "k", scopes: ["everything"] }, "scopes[0]"],
    [{ name: "k", scopes: [] }, "scopes"],
    [{ name: "k", expires_at: "2001-01-01T00:00:00Z" }, "expires_at"],
    [{ scopes: ["admin"] }, "name"],
  ])("rejects an invalid key request", async (body, path) => {
    const org = await createOrg();
    const problem = await expectProblem(await call("POST", "/api/v1/keys", { key: org.key, body }), 400);
    expect(problem.errors?.[0]?.path).toBe(path);
  });
});

describe("secrets", () => {
  it("answers a clear 500 when ADMIN_TOKEN is not configured", async () => {
    const { app } = await import("../../src/app");
    const { createExecutionContext } = await import("cloudflare:test");
    const response = await app.fetch(
      new Request("http://aegis.test/api/v1/admin/organizations", {
        method: "POST",
        headers: { Authorization: "Bearer whatever", "Content-Type": "application/json" },
        body: JSON.stringify({ name: "x" }),
      }),
      { ...env, ADMIN_TOKEN: undefined },
      createExecutionContext(),
    );
    const problem = await expectProblem(response, 500, /ADMIN_TOKEN/);
    expect(problem.errors).toEqual([{ path: "ADMIN_TOKEN", message: "is not set" }]);
  });
});
