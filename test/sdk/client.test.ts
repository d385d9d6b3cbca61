import { build } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { retryAfterSeconds, Transport } from "../../sdk/src/http";
import {
  Aegis,
  AegisError,
  type AegisOptions,
  type DeliveryFailure,
  type LiveEvent,
} from "../../sdk/src/index";
import { type FakeAegis, KEY, startFakeAegis } from "./fake-aegis";

let server: FakeAegis;
beforeEach(async () => {
  server = await startFakeAegis();
});
afterEach(async () => {
  await server.close();
});

/** A client with short backoffs, so retry tests take milliseconds. */
const client = (options: Partial<AegisOptions> = {}) =>
  new Aegis({ apiKey: KEY, baseUrl: server.url, retry: { baseDelayMs: 5, maxDelayMs: 200 }, ...options });

const trace = (n: number, extra: Record<string, unknown> = {}) => ({
  input: `question ${n}`,
  output: `answer ${n}`,
  ...extra,
});

const requestsTo = (path: string) => server.requests.filter((r) => r.path === path);

describe("traces.create", () => {
  it("gives the trace a client id, and a second send of it is answered as already stored", async () => {
    const aegis = client();
    const first = await aegis.traces.create(trace(1));
    expect(first).toMatchObject({ status: "queued", created: true });
    expect(first.client_id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await aegis.traces.create({ ...trace(1), id: first.client_id });
    expect(again).toEqual({ ...first, created: false });
  });

  it.each<[string, { status: number; headers?: Record<string, string>; hangUp?: boolean }, number, number]>([
    ["429 with Retry-After", { status: 429, headers: { "Retry-After": "0" } }, 2, 3],
    ["503 without Retry-After", { status: 503 }, 3, 4],
    ["500", { status: 500 }, 1, 2],
    ["a dropped connection", { status: 0, hangUp: true }, 2, 3],
  ])("retries %s with the same client id", async (_label, failure, failures, attempts) => {
    server.fail("/api/v1/traces", failure, failures);
    const created = await client().traces.create(trace(1));
    const sent = requestsTo("/api/v1/traces");
    expect(sent).toHaveLength(attempts);
    expect(new Set(sent.map((r) => (r.body as { id: string }).id))).toEqual(new Set([created.client_id]));
    expect(server.stored).toEqual([created.client_id]);
  });

  it.each<[string, () => void, number, string, number]>([
    ["a validation error", () => undefined, 1, "validation-error", 400],
    [
      "a Retry-After longer than the client waits",
      () => server.fail("/api/v1/traces", { status: 429, headers: { "Retry-After": "3600" } }),
      1,
      "scripted",
      429,
    ],
    ["retries that run out", () => server.fail("/api/v1/traces", { status: 503 }, 10), 4, "scripted", 503],
  ])("does not retry %s, and throws an AegisError", async (_label, script, attempts, type, status) => {
    script();
    const error = await client()
      .traces.create({ input: type === "validation-error" ? "" : "q", output: "a" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AegisError);
    expect(error).toMatchObject({ status, type, requestId: "req-fake-0001" });
    expect(requestsTo("/api/v1/traces")).toHaveLength(attempts);
    if (status === 400)
      expect((error as AegisError).errors).toEqual([{ path: "input", message: "must not be blank" }]);
  });

  it("sends the key as a bearer token, and reports a refused key", async () => {
    const error = await new Aegis({ apiKey: "aeg_live_wrong", baseUrl: server.url }).traces
      .create(trace(1))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, type: "unauthorized", retryable: false });
  });
});

describe("backoff", () => {
  const transport = (random: number) =>
    new Transport({
      apiKey: KEY,
      baseUrl: "http://x",
      retry: { baseDelayMs: 100, maxDelayMs: 1_000 },
      random: () => random,
    });

  it.each([
    [1, 1, 100],
    [1, 3, 400],
    [1, 6, 1_000],
    [0.5, 2, 100],
    [0, 4, 0],
  ])("with jitter %d, retry %d waits %d ms at most", (random, attempt, ms) => {
    expect(transport(random).backoffMs(attempt, new AegisError(503, "x", "x"))).toBe(ms);
  });

  it("honours Retry-After, in seconds or as a date, up to the longest wait", () => {
    const now = Date.parse("2026-11-27T08:00:00Z");
    expect(retryAfterSeconds("2", now)).toBe(2);
    expect(retryAfterSeconds("Fri, 27 Nov 2026 08:00:30 GMT", now)).toBe(30);
    expect(retryAfterSeconds("soon", now)).toBeNull();
    expect(transport(1).backoffMs(1, new AegisError(429, "x", "x", [], null, 0.25))).toBe(250);
    expect(transport(1).backoffMs(1, new AegisError(429, "x", "x", [], null, 2))).toBeNull();
  });
});

describe("traces.createMany", () => {
  it("splits 1,203 traces into batches of 500 and reports every item", async () => {
    const traces = Array.from({ length: 1_203 }, (_, i) => trace(i, i === 700 ? { input: "" } : {}));
    const { results, failed } = await client().traces.createMany(traces);
    expect(
      requestsTo("/api/v1/traces/batch").map((r) => (r.body as { traces: unknown[] }).traces.length),
    ).toEqual([500, 500, 203]);
    expect(results).toHaveLength(1_203);
    expect(results.map((r) => r.index)).toEqual(traces.map((_, i) => i));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      index: 700,
      ok: false,
      error: { status: 400, type: "validation-error" },
    });
    expect(failed[0]?.error.errors).toEqual([{ path: "traces[200].input", message: "must not be blank" }]);
    expect(server.stored).toHaveLength(1_202);
  });

  it("cuts batches below the API's 10 MB body limit", async () => {
    const big = "x".repeat(1_000_000);
    await client().traces.createMany(Array.from({ length: 12 }, (_, i) => trace(i, { output: big })));
    expect(
      requestsTo("/api/v1/traces/batch").map((r) => (r.body as { traces: unknown[] }).traces.length),
    ).toEqual([8, 4]);
  });

  it("reports the items of a batch that could not be sent, and still sends the others", async () => {
    server.fail("/api/v1/traces/batch", { status: 503 }, 4);
    const { results, failed } = await client().traces.createMany(
      Array.from({ length: 501 }, (_, i) => trace(i)),
    );
    expect(failed).toHaveLength(500);
    expect(failed.every((f) => f.error.status === 503)).toBe(true);
    expect(results[500]).toMatchObject({ ok: true, created: true });
  });
});

describe("reading traces and evaluations", () => {
  it("gets a trace by client id", async () => {
    const aegis = client();
    const created = await aegis.traces.create(trace(1, { id: "chat/42" }));
    expect(created.client_id).toBe("chat/42");
    expect(await aegis.traces.get("chat/42")).toMatchObject({ client_id: "chat/42" });
    await expect(aegis.traces.get("missing")).rejects.toMatchObject({ status: 404, type: "not-found" });
  });

  it("evaluate() sends the trace and waits for its verdict, 30 s per request at most", async () => {
    server.pendingReads = 2;
    const evaluation = await client().evaluate(trace(1), { timeoutSeconds: 90 });
    expect(evaluation).toMatchObject({ status: "completed", verdict: "fail" });
    const waits = requestsTo(`/api/v1/traces/trc_${server.stored[0]}/evaluation`).map((r) =>
      r.query.get("wait"),
    );
    expect(waits).toEqual(["30", "30", "30"]);
  });

  it("answers at once without wait", async () => {
    server.pendingReads = 5;
    expect(await client().evaluations.get("trc_x")).toMatchObject({ status: "pending" });
  });
});

describe("log(): the background batcher", () => {
  function collecting(options: Partial<AegisOptions> = {}) {
    const failures: DeliveryFailure[] = [];
    const aegis = client({ onError: (failure) => failures.push(failure), ...options });
    return { aegis, failures };
  }

  it("sends full batches at once and the rest after the interval, each trace once", async () => {
    const { aegis, failures } = collecting({ batch: { maxBatchSize: 3, flushIntervalMs: 30 } });
    const ids = Array.from({ length: 7 }, (_, i) => aegis.log(trace(i)));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(
      requestsTo("/api/v1/traces/batch").map((r) => (r.body as { traces: unknown[] }).traces.length),
    ).toEqual([3, 3, 1]);
    expect(server.stored).toEqual(ids);
    expect(aegis.pending).toBe(0);
    expect(failures).toEqual([]);
  });

  it("retries a throttled batch, and flush() waits for it", async () => {
    server.fail("/api/v1/traces/batch", { status: 429, headers: { "Retry-After": "0.05" } }, 2);
    const { aegis } = collecting({ batch: { flushIntervalMs: 60_000 } });
    const ids = [aegis.log(trace(1)), aegis.log(trace(2))];
    await aegis.flush();
    expect(server.stored).toEqual(ids);
    expect(requestsTo("/api/v1/traces/batch")).toHaveLength(3);
  });

  it("reports what it cannot deliver instead of dropping it", async () => {
    const { aegis, failures } = collecting({
      batch: { maxBatchSize: 2, maxQueueSize: 4, flushIntervalMs: 60_000 },
    });
    server.fail("/api/v1/traces/batch", { status: 500 }, 4);
    aegis.log(trace(1));
    aegis.log(trace(2));
    aegis.log(trace(3, { input: "" }));
    await aegis.flush();
    for (let i = 4; i <= 9; i++) aegis.log(trace(i));
    await aegis.shutdown();
    aegis.log(trace(10));
    const summary = failures.map((f) => [f.error.type, f.traces.map((t) => t.input)]);
    // log() returns before anything is sent: with 4 waiting, the 8th and 9th find the queue full.
    expect(summary).toEqual([
      ["scripted", ["question 1", "question 2"]],
      ["validation-error", [""]],
      ["queue-full", ["question 8"]],
      ["queue-full", ["question 9"]],
      ["client-shut-down", ["question 10"]],
    ]);
    expect(server.stored).toHaveLength(4);
  });
});

describe("live.subscribe over SSE", () => {
  const event = (n: number): LiveEvent => ({
    id: `evt_${String(n).padStart(12, "0")}`,
    org_id: "org_1",
    at: "2026-11-27T08:00:00.000Z",
    type: "trace.received",
    data: { trace_id: `trc_${n}`, client_id: null, domain: "healthcare", model: null },
  });
  const sse = (e: LiveEvent) => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

  it("delivers events, skips control messages, and resumes after the last event when it reconnects", async () => {
    server.sse = [
      ["retry: 3000\n\n", ": keepalive\n\n", sse(event(1)), 'event: replayed\ndata: {"type":"replayed"}\n\n'],
      [sse(event(2))],
    ];
    const received: string[] = [];
    const aegis = client();
    const subscription = aegis.live.subscribe(
      { domain: "healthcare", min_severity: "high" },
      (e) => received.push(e.id),
      {
        since: "evt_000000000000",
        reconnectDelayMs: 10,
      },
    );
    await subscription.ready;
    await expect.poll(() => received).toEqual([event(1).id, event(2).id]);
    await aegis.shutdown();
    const connects = requestsTo("/api/v1/live/sse");
    expect(connects[0]?.query.get("domain")).toBe("healthcare");
    expect(connects[0]?.query.get("min_severity")).toBe("high");
    expect(connects[0]?.query.get("since")).toBe("evt_000000000000");
    expect(connects[1]?.query.get("since")).toBe(event(1).id);
    expect(subscription.lastEventId).toBe(event(2).id);
  });

  it("stops, and rejects ready, when the key is refused", async () => {
    const errors: AegisError[] = [];
    const subscription = new Aegis({ apiKey: "aeg_live_wrong", baseUrl: server.url }).live.subscribe(
      {},
      () => undefined,
      {
        onError: (e) => errors.push(e),
      },
    );
    await expect(subscription.ready).rejects.toMatchObject({ status: 401 });
    expect(errors).toHaveLength(1);
  });
});

describe("the package", () => {
  it("bundles for any platform with no dependency, Node built-in or server code", async () => {
    const result = await build({
      entryPoints: ["sdk/src/index.ts"],
      bundle: true,
      platform: "neutral",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.every((file) => file.startsWith("sdk/src/"))).toBe(true);
    expect(result.outputFiles[0]?.text.length).toBeLessThan(20_000);
  });
});
