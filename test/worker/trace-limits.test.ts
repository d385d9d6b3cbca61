// What a stored trace may take in D1 (review item 10) and the single-trace route's validation
// (review item 21).
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { MAX_REDACTION_RECORDS, OMITTED_REDACTIONS } from "../../src/eval/phi";
import { traceInputSchema } from "../../src/schema/trace";
import { agentRun, CONTENT_TYPES, otlpBody, recordSpans } from "../support/otel";
import { call, createOrg, expectProblem, type TestOrg, trace } from "./helpers";

async function withMode(mode: string): Promise<TestOrg> {
  const org = await createOrg();
  const response = await call("PATCH", "/api/v1/organization/settings", {
    key: org.key,
    body: { phi_redaction: mode },
  });
  expect(response.status).toBe(200);
  return org;
}

async function traceCount(orgId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM traces WHERE org_id = ?")
    .bind(orgId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** 300,000 one-digit numbers under `ssn`: a 600 kB body that pseudonymizes to 5 MB. */
const MANY_SSNS = trace({ metadata: { ssn: Array.from({ length: 300_000 }, () => 7) } });

interface BatchResult {
  index: number;
  id: string | null;
  status: number;
  error?: { detail: string; errors: { path: string; message: string }[] };
}

describe("a trace too large to store once redacted (review item 10)", () => {
  it("is refused with 413 naming the field, not a 500 from D1", async () => {
    const org = await withMode("pseudonymize");
    expect(JSON.stringify(MANY_SSNS).length).toBeLessThan(1_000_000);
    const response = await call("POST", "/api/v1/traces", { key: org.key, body: MANY_SSNS });
    const problem = await expectProblem(response, 413, /would be stored as \d+ bytes/);
    expect(problem.errors).toEqual([{ path: "metadata", message: expect.stringMatching(/bytes as stored/) }]);
    expect(await traceCount(org.orgId)).toBe(0);
  });

  it("in a batch, is refused alone: its neighbours are stored", async () => {
    const org = await withMode("pseudonymize");
    const response = await call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: { traces: [trace({ id: "fine-1" }), { ...MANY_SSNS, id: "huge" }, trace({ id: "fine-2" })] },
    });
    expect(response.status).toBe(207);
    const { results } = await response.json<{ results: BatchResult[] }>();
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 201],
      [1, 413],
      [2, 201],
    ]);
    expect(results[1]?.id).toBe("huge");
    expect(results[1]?.error?.errors.map((e) => e.path)).toEqual(["traces[1].metadata"]);
    expect(await traceCount(org.orgId)).toBe(2);
  });

  it("is refused when its search text doubles it, redaction off", async () => {
    const org = await createOrg();
    const big = trace({ tool_calls: [{ name: "lookup", arguments: { q: "x".repeat(1_200_000) } }] });
    const response = await call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: { traces: [big, trace()] },
    });
    const { results } = await response.json<{ results: BatchResult[] }>();
    expect(results.map((r) => r.status)).toEqual([413, 201]);
    expect(results[0]?.error?.errors[0]?.path).toBe("traces[0].tool_calls");
  });

  it("keeps a bounded list of redaction records, with a count of the rest", async () => {
    const org = await withMode("mask");
    const emails = Array.from({ length: 60_000 }, (_, i) => `p${i}@ex.io`);
    const response = await call("POST", "/api/v1/traces", {
      key: org.key,
      body: trace({ metadata: { contacts: emails } }),
    });
    expect(response.status).toBe(202);
    const { id } = await response.json<{ id: string }>();
    const row = await env.DB.prepare(
      "SELECT redactions, length(redactions) AS bytes FROM traces WHERE id = ?",
    )
      .bind(id)
      .first<{ redactions: string; bytes: number }>();
    // 4.1 MB of records before: one per address.
    expect(row?.bytes).toBeLessThan(150_000);
    const records = JSON.parse(row?.redactions ?? "[]") as { field: string; omitted?: number }[];
    expect(records).toHaveLength(MAX_REDACTION_RECORDS + 1);
    expect(records.at(-1)).toEqual({
      type: "email",
      field: OMITTED_REDACTIONS,
      start: 0,
      end: 0,
      omitted: 60_000 - MAX_REDACTION_RECORDS,
    });
    const shown = await call("GET", `/api/v1/traces/${id}`, { key: org.key });
    expect((await shown.json<{ redactions: unknown[] }>()).redactions).toHaveLength(
      MAX_REDACTION_RECORDS + 1,
    );
  });
});

describe("POST /api/v1/traces validation (review item 21)", () => {
  it("validates the body once", async () => {
    const org = await createOrg();
    const safeParse = vi.spyOn(traceInputSchema, "safeParse");
    try {
      expect((await call("POST", "/api/v1/traces", { key: org.key, body: trace() })).status).toBe(202);
      expect(safeParse).toHaveBeenCalledTimes(1);
    } finally {
      safeParse.mockRestore();
    }
  });

  it("answers invalid fields with 400 and texts over the limit with 413, as before", async () => {
    const org = await createOrg();
    const invalid = await call("POST", "/api/v1/traces", {
      key: org.key,
      body: trace({ output: " ", latency_ms: -1 }),
    });
    const problem = await expectProblem(invalid, 400, /^2 field\(s\) failed validation: output, latency_ms$/);
    expect(problem.errors?.map((e) => e.path)).toEqual(["output", "latency_ms"]);
    const long = await call("POST", "/api/v1/traces", {
      key: org.key,
      body: trace({ output: "x".repeat(100_001) }),
    });
    await expectProblem(long, 413, /limited to 100000 characters/);
  });
});

describe("an OpenTelemetry trace too large to store once redacted", () => {
  it("is refused in partial_success, not a 500, and its spans are not kept", async () => {
    const org = await withMode("pseudonymize");
    const run = agentRun();
    run.attributes = { ...run.attributes, "aegis.metadata": JSON.stringify(MANY_SSNS.metadata) };
    const spans = recordSpans(run);
    const response = await call("POST", "/otlp/v1/traces", {
      key: org.key,
      rawBody: otlpBody(spans, "json"),
      headers: { "Content-Type": CONTENT_TYPES.json },
    });
    expect(response.status).toBe(200);
    const { partialSuccess } = await response.json<{
      partialSuccess?: { rejectedSpans: string; errorMessage: string };
    }>();
    expect(Number(partialSuccess?.rejectedSpans)).toBeGreaterThan(0);
    expect(partialSuccess?.errorMessage).toMatch(/cannot be stored|bytes/);
    expect(await traceCount(org.orgId)).toBe(0);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM spans WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });
});
