import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { call, expectProblem } from "./helpers";

describe("across the API", () => {
  it("echoes a valid X-Request-Id and mints one otherwise", async () => {
    const echoed = await call("GET", "/health", { headers: { "X-Request-Id": "req-12345678" } });
    expect(echoed.headers.get("X-Request-Id")).toBe("req-12345678");
    const minted = await call("GET", "/health", { headers: { "X-Request-Id": "bad id with spaces" } });
    expect(minted.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown routes with a problem document", async () => {
    const problem = await expectProblem(await call("GET", "/api/v1/nothing-here"), 404, /No route/);
    expect(problem.type).toBe("https://aegis.dev/problems/not-found");
    expect(problem.title).toBe("Not found");
  });

  it("sets security headers", async () => {
    const response = await call("GET", "/health");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Strict-Transport-Security")).toMatch(/max-age/);
  });

  it("allows CORS from configured origins only", async () => {
    const preflight = (origin: string, origins: string) =>
      app.fetch(
        new Request("http://aegis.test/api/v1/traces", {
          method: "OPTIONS",
          headers: { Origin: origin, "Access-Control-Request-Method": "POST" },
        }),
        { ...env, CORS_ORIGINS: origins },
        createExecutionContext(),
      );
    const allowed = await preflight("https://app.example.com", "https://app.example.com");
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("https://app.example.com");
    const refused = await preflight("https://evil.example.com", "https://app.example.com");
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("health", () => {
  it("answers liveness without dependencies", async () => {
    const response = await call("GET", "/health");
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("checks D1 and R2 for readiness", async () => {
    const response = await call("GET", "/health/ready");
    expect(response.status).toBe(200);
    const body = await response.json<{ status: string; checks: { name: string; ok: boolean }[] }>();
    expect(body.status).toBe("ready");
    expect(body.checks.map((c) => [c.name, c.ok])).toEqual([
      ["d1", true],
      ["r2", true],
    ]);
  });

  it("answers 503 naming the failing check", async () => {
    const brokenR2 = { head: () => Promise.reject(new Error("bucket unreachable")) } as unknown as R2Bucket;
    const response = await app.fetch(
      new Request("http://aegis.test/health/ready"),
      { ...env, REPORTS: brokenR2 },
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    const body = await response.json<{ checks: { name: string; ok: boolean; error?: string }[] }>();
    expect(body.checks.find((c) => c.name === "r2")).toMatchObject({
      ok: false,
      error: expect.stringContaining("unreachable"),
    });
  });
});
