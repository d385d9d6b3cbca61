import { describe, expect, it } from "vitest";
import { call, createOrg, expectProblem, ingest, trace } from "./helpers";

describe("trace ingestion round trip", () => {
  it("stores every field and returns them at the top level", async () => {
    const org = await createOrg();
    const full = trace({
      id: "client-trace-1",
      application_type: "clinical_support",
      application_id: "triage-bot",
      session_id: "sess-1",
      user_id: "user-9",
      tags: ["triage", "beta"],
      metadata: { release: "2026.11" },
      context: { patient: { age: 54, medications: ["warfarin"] }, ward: "B" },
      retrieved_contexts: [
        { source: "formulary", content: "Ibuprofen max 1200 mg/day OTC", relevance_score: 0.9 },
      ],
      tool_calls: [{ name: "lookup_drug", arguments: { name: "ibuprofen" }, result: { found: true } }],
      reasoning_steps: ["Identify the drug", { step: 2, content: "Check the daily maximum" }],
      agents: [{ agent: "triage", role: "assistant", content: "Routing to pharmacist", to: "pharmacist" }],
      counterfactuals: [{ input: "Same question, different name", output: "Same answer" }],
      usage: { input_tokens: 42, output_tokens: 77 },
      latency_ms: 812.5,
      cost_usd: 0.0021,
      timestamp: "2026-11-27T08:00:00.000Z",
    });
    const created = await call("POST", "/api/v1/traces", { key: org.key, body: full });
    expect(created.status).toBe(202);
    const { id, status } = await created.json<{ id: string; status: string }>();
    expect(status).toBe("queued");
    expect(id).toMatch(/^trc_[0-9A-Z]{26}$/);

    const read = await call("GET", `/api/v1/traces/${id}`, { key: org.key });
    expect(read.status).toBe(200);
    const body = await read.json<Record<string, unknown>>();
    const { id: clientId, ...sent } = full;
    expect(body).toMatchObject({ ...sent, id, client_id: clientId });
    expect(body).toHaveProperty("evaluation");
    expect(body.created_at).toEqual(expect.any(String));

    const byClientId = await call("GET", "/api/v1/traces/client-trace-1", { key: org.key });
    expect((await byClientId.json<{ id: string }>()).id).toBe(id);
  });

  it.each([
    ["a missing output", { output: undefined }, "output"],
    ["a blank input", { input: "   \n" }, "input"],
    ["an unknown field", { prompt: "hi" }, "(body)"],
    ["a wrongly typed nested field", { usage: { input_tokens: "many" } }, "usage.input_tokens"],
    ["an unknown nested field", { tool_calls: [{ name: "x", args: {} }] }, "tool_calls[0]"],
    ["a client id over 128 characters", { id: "x".repeat(129) }, "id"],
    ["a bad timestamp", { timestamp: "yesterday" }, "timestamp"],
  ])("rejects %s with the failing field", async (_label, change, path) => {
    const org = await createOrg();
    const problem = await expectProblem(
      await call("POST", "/api/v1/traces", { key: org.key, body: trace(change) }),
      400,
    );
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    const list = await call("GET", "/api/v1/traces", { key: org.key });
    expect((await list.json<{ data: unknown[] }>()).data).toHaveLength(0);
  });

  it("rejects a body that is not JSON, or not JSON at all by its type", async () => {
    const org = await createOrg();
    await expectProblem(
      await call("POST", "/api/v1/traces", {
        key: org.key,
        rawBody: "{not json",
        headers: { "Content-Type": "application/json" },
      }),
      400,
      /not valid JSON/,
    );
    await expectProblem(
      await call("POST", "/api/v1/traces", {
        key: org.key,
        rawBody: "a=b",
        headers: { "Content-Type": "text/plain" },
      }),
      415,
    );
  });
});

describe("batch ingestion", () => {
  it("accepts the valid items and reports each invalid one without rejecting its neighbours", async () => {
    const org = await createOrg();
    const response = await call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: {
        traces: [
          trace({ id: "b-1" }),
          trace({ output: "" }),
          trace({ id: "b-3", domain: "trading" }),
          { input: "only input" },
          trace({ extra: true }),
        ],
      },
    });
    expect(response.status).toBe(207);
    const { results } = await response.json<{
      results: { index: number; id: string | null; status: number; error?: { errors: { path: string }[] } }[];
    }>();
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 201],
      [1, 400],
      [2, 201],
      [3, 400],
      [4, 400],
    ]);
    expect(results[1]?.error?.errors.map((e) => e.path)).toEqual(["traces[1].output"]);
    expect(results[3]?.error?.errors.map((e) => e.path)).toEqual(["traces[3].output"]);

    const list = await call("GET", "/api/v1/traces", { key: org.key });
    const stored = (await list.json<{ data: { client_id: string }[] }>()).data.map((t) => t.client_id).sort();
    expect(stored).toEqual(["b-1", "b-3"]);
  });

  it.each([
    [{ traces: [] }, "traces"],
    [{ traces: Array.from({ length: 501 }, () => trace()) }, "traces"],
    [{ items: [trace()] }, "(body)"],
  ])("rejects a malformed envelope", async (body, path) => {
    const org = await createOrg();
    const problem = await expectProblem(
      await call("POST", "/api/v1/traces/batch", { key: org.key, body }),
      400,
    );
    expect(problem.errors?.map((e) => e.path)).toContain(path);
  });
});

describe("idempotent retries", () => {
  it("stores a client id once when the same trace is sent again alone", async () => {
    const org = await createOrg();
    const first = await call("POST", "/api/v1/traces", { key: org.key, body: trace({ id: "retry-1" }) });
    const again = await call("POST", "/api/v1/traces", { key: org.key, body: trace({ id: "retry-1" }) });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect((await again.json<{ id: string }>()).id).toBe((await first.json<{ id: string }>()).id);
    const list = await call("GET", "/api/v1/traces", { key: org.key });
    expect((await list.json<{ data: unknown[] }>()).data).toHaveLength(1);
  });

  it("answers 200 for ids already stored and for repeats within one batch", async () => {
    const org = await createOrg();
    const firstId = await ingest(org, trace({ id: "dup-a" }));
    const response = await call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: { traces: [trace({ id: "dup-a" }), trace({ id: "dup-b" }), trace({ id: "dup-b" }), trace()] },
    });
    const { results } = await response.json<{ results: { id: string; status: number }[] }>();
    expect(results.map((r) => r.status)).toEqual([200, 201, 200, 201]);
    expect(results[0]?.id).toBe(firstId);
    expect(results[2]?.id).toBe(results[1]?.id);

    const replay = await call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: { traces: [trace({ id: "dup-a" }), trace({ id: "dup-b" })] },
    });
    const replayed = await replay.json<{ results: { status: number }[] }>();
    expect(replayed.results.map((r) => r.status)).toEqual([200, 200]);
    const list = await call("GET", "/api/v1/traces?limit=200", { key: org.key });
    expect((await list.json<{ data: unknown[] }>()).data).toHaveLength(3);
  });

  it("keeps client ids per organization", async () => {
    const [a, b] = [await createOrg(), await createOrg()];
    const idA = await ingest(a, trace({ id: "shared-id" }));
    const idB = await ingest(b, trace({ id: "shared-id" }));
    expect(idA).not.toBe(idB);
  });
});

describe("size limits", () => {
  it.each([
    ["input", { input: "x".repeat(100_001) }],
    ["output", { output: "y".repeat(100_001) }],
  ])("answers 413 for %s over 100,000 characters", async (field, change) => {
    const org = await createOrg();
    const problem = await expectProblem(
      await call("POST", "/api/v1/traces", { key: org.key, body: trace(change) }),
      413,
      /100000 characters/,
    );
    expect(problem.errors?.[0]?.path).toBe(field);
  });

  it("accepts input of exactly 100,000 characters", async () => {
    const org = await createOrg();
    await ingest(org, trace({ input: "z".repeat(100_000) }));
  });

  it("answers 413 for a single body over 1 MB and a batch over 10 MB", async () => {
    const org = await createOrg();
    const bigMetadata = { blob: "m".repeat(1_000_001) };
    await expectProblem(
      await call("POST", "/api/v1/traces", { key: org.key, body: trace({ metadata: bigMetadata }) }),
      413,
      /1000000 bytes/,
    );
    const batch = { traces: Array.from({ length: 110 }, () => trace({ output: "o".repeat(95_000) })) };
    await expectProblem(
      await call("POST", "/api/v1/traces/batch", { key: org.key, body: batch }),
      413,
      /10000000 bytes/,
    );
  });
});

describe("listing traces", () => {
  it("pages newest first with an opaque cursor and applies filters", async () => {
    const org = await createOrg();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await ingest(org, trace({ domain: i % 2 === 0 ? "trading" : "legal", session_id: `s${i % 2}` })),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await call("GET", `/api/v1/traces?limit=2${query}`, { key: org.key });
      const body = await page.json<{ data: { id: string }[]; next_cursor: string | null }>();
      seen.push(...body.data.map((t) => t.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const trading = await call("GET", "/api/v1/traces?domain=trading&session_id=s0", { key: org.key });
    expect((await trading.json<{ data: { id: string }[] }>()).data.map((t) => t.id)).toEqual([
      ids[4],
      ids[2],
      ids[0],
    ]);
    const future = await call("GET", "/api/v1/traces?since=2999-01-01T00:00:00Z", { key: org.key });
    expect((await future.json<{ data: unknown[] }>()).data).toHaveLength(0);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=abc", "limit"],
    ["status=done", "status"],
    ["since=tuesday", "since"],
    ["cursor=not-a-cursor", "cursor"],
    ["colour=blue", "(body)"],
  ])("rejects the query %s", async (query, path) => {
    const org = await createOrg();
    const problem = await expectProblem(await call("GET", `/api/v1/traces?${query}`, { key: org.key }), 400);
    expect(problem.errors?.[0]?.path).toBe(path);
  });
});

describe("deleting a trace", () => {
  it("removes it and records the deletion in the audit trail", async () => {
    const org = await createOrg();
    const id = await ingest(org);
    expect((await call("DELETE", `/api/v1/traces/${id}`, { key: org.key })).status).toBe(204);
    await expectProblem(await call("GET", `/api/v1/traces/${id}`, { key: org.key }), 404);
    await expectProblem(await call("DELETE", `/api/v1/traces/${id}`, { key: org.key }), 404);
    const audit = await call("GET", "/api/v1/audit", { key: org.key });
    const events = (await audit.json<{ data: { action: string; target: string }[] }>()).data;
    expect(events[0]).toMatchObject({ action: "trace.deleted", target: id });
  });
});
