import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import worker from "../../src/index";
import { dropOrphanSpans, ORPHAN_SPAN_TTL_MS } from "../../src/services/otlp";
import {
  ANSWER,
  agentRun,
  CONTENT_TYPES,
  gzip,
  type OtlpEncoding,
  otlpBody,
  otlpResponse,
  QUESTION,
  recordSpans,
} from "../support/otel";
import { call, createKey, createOrg, type QueueRecorder, recordingQueue, type TestOrg } from "./helpers";

interface ExportOptions {
  encoding?: OtlpEncoding;
  compress?: boolean;
  via?: QueueRecorder;
}

async function exportSpans(org: TestOrg, spans: ReadableSpan[], options: ExportOptions = {}) {
  const { encoding = "protobuf", compress = false, via } = options;
  const body = otlpBody(spans, encoding);
  const headers: Record<string, string> = { "Content-Type": CONTENT_TYPES[encoding] };
  if (compress) headers["Content-Encoding"] = "gzip";
  const request = { key: org.key, rawBody: compress ? await gzip(body) : body, headers };
  return via ? via.call("POST", "/otlp/v1/traces", request) : call("POST", "/otlp/v1/traces", request);
}

interface SpanView {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  status: { code: string; message: string | null };
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  redactions: { type: string; field: string }[];
}

async function readTrace(org: TestOrg, id: string) {
  const response = await call("GET", `/api/v1/traces/${id}`, { key: org.key });
  return {
    status: response.status,
    body: await response.json<Record<string, unknown> & { spans: SpanView[] }>(),
  };
}

const traceIdOf = (spans: ReadableSpan[]) => spans[0]?.spanContext().traceId ?? "";
const rootOf = (spans: ReadableSpan[]) => spans.filter((s) => s.parentSpanContext === undefined);
const childrenOf = (spans: ReadableSpan[]) => spans.filter((s) => s.parentSpanContext !== undefined);

async function storedSpanCount(orgId: string, traceId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM spans WHERE org_id = ? AND trace_id = ?")
    .bind(orgId, traceId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** google.rpc.Status's message (field 2), the body of an OTLP/HTTP protobuf error. */
function statusMessage(bytes: Uint8Array): string {
  expect(bytes[0]).toBe(0x12);
  let length = 0;
  let i = 1;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[i++] ?? 0;
    length |= (byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  return new TextDecoder().decode(bytes.subarray(i, i + length));
}

describe("OTLP/HTTP trace ingestion", () => {
  it.each([
    ["protobuf", false],
    ["protobuf", true],
    ["json", false],
    ["json", true],
  ] as const)(
    "accepts %s (gzip: %s) and makes one Aegis trace of the OTel trace",
    async (encoding, compress) => {
      const org = await createOrg();
      const spans = recordSpans(agentRun(), { "aegis.domain": "healthcare" });
      const response = await exportSpans(org, spans, { encoding, compress });
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toMatch(CONTENT_TYPES[encoding]);
      expect(otlpResponse(new Uint8Array(await response.arrayBuffer()), encoding)).toEqual({});

      const traceId = traceIdOf(spans);
      const { status, body } = await readTrace(org, traceId);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        client_id: traceId,
        domain: "healthcare",
        model: "gpt-4o-2024-08-06",
        input: QUESTION,
        output: ANSWER,
        session_id: "conv-42",
        usage: { input_tokens: 21, output_tokens: 12 },
        tool_calls: [
          { name: "lookup_dose", arguments: { drug: "acetaminophen" }, result: { max_daily_mg: 4000 } },
        ],
        metadata: {
          service_name: "triage-bot",
          provider: "openai",
          operation: "invoke_agent",
          agent_name: "triage",
        },
        context: { system_instructions: "You are a triage nurse." },
        status: "queued",
      });
      const root = body.spans.find((s) => s.parent_span_id === null);
      expect(root?.name).toBe("invoke_agent triage");
      expect(body.spans.map((s) => s.name).sort()).toEqual([
        "chat gpt-4o",
        "execute_tool lookup_dose",
        "invoke_agent triage",
      ]);
      expect(body.spans.filter((s) => s.parent_span_id === root?.span_id)).toHaveLength(2);
      expect(body.spans.find((s) => s.name === "chat gpt-4o")?.attributes).toMatchObject({
        "gen_ai.usage.input_tokens": 21,
        "gen_ai.request.model": "gpt-4o",
      });
    },
  );

  it("reads OTLP/JSON as the specification writes it: hex ids in any case, integer enums, 64-bit strings, unknown keys", async () => {
    const org = await createOrg();
    const traceId = "5B8EFFF798038103D269B633813FC60C";
    const attribute = (key: string, value: Record<string, unknown>) => ({ key, value, futureKey: true });
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [attribute("aegis.domain", { stringValue: "trading" })], futureKey: 1 },
          scopeSpans: [
            {
              scope: { name: "hand-written" },
              spans: [
                {
                  traceId,
                  spanId: "EEE19B7EC3C1B174",
                  name: "chat",
                  kind: 3,
                  startTimeUnixNano: "1764230400000000000",
                  endTimeUnixNano: "1764230400250000000",
                  flags: 257,
                  attributes: [
                    attribute("input.value", { stringValue: "Should I buy ACME?" }),
                    attribute("output.value", { stringValue: "Yes, it is guaranteed to double." }),
                    attribute("llm.token_count.prompt", { intValue: "9007199254740993" }),
                    attribute("llm.token_count.completion", { intValue: 8 }),
                    attribute("ratio", { doubleValue: "Infinity" }),
                    attribute("flags", {
                      arrayValue: { values: [{ boolValue: true }, { stringValue: "x" }] },
                    }),
                    attribute("nested", { kvlistValue: { values: [attribute("a", { intValue: "1" })] } }),
                  ],
                  status: { code: 2, message: "upstream timeout" },
                  futureKey: { deeply: ["ignored"] },
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await call("POST", "/otlp/v1/traces", {
      key: org.key,
      rawBody: JSON.stringify(body),
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    const read = await readTrace(org, traceId.toLowerCase());
    expect(read.body).toMatchObject({
      domain: "trading",
      input: "Should I buy ACME?",
      output: "Yes, it is guaranteed to double.",
      latency_ms: 250,
      timestamp: "2025-11-27T08:00:00.000Z",
    });
    // A token count beyond 2^53 is kept exactly (as text), so it is not a usable count.
    expect(read.body.usage).toEqual({ output_tokens: 8 });
    expect(read.body.spans[0]).toMatchObject({
      span_id: "eee19b7ec3c1b174",
      kind: "client",
      status: { code: "error", message: "upstream timeout" },
      attributes: {
        "llm.token_count.prompt": "9007199254740993",
        ratio: "Infinity",
        flags: [true, "x"],
        nested: { a: 1 },
      },
    });
  });

  it.each([
    ["a media type other than OTLP's", { "Content-Type": "text/plain" }, "x", 415, /application\/x-protobuf/],
    [
      "an encoding other than gzip",
      { "Content-Type": "application/x-protobuf", "Content-Encoding": "br" },
      "x",
      415,
      /'br' is not supported/,
    ],
    ["JSON that does not parse", { "Content-Type": "application/json" }, "{", 400, /not valid JSON/],
    [
      "JSON of another shape",
      { "Content-Type": "application/json" },
      '{"resourceSpans":{}}',
      400,
      /resourceSpans must be an array/,
    ],
    [
      "a wrongly typed JSON field",
      { "Content-Type": "application/json" },
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_SERVER"}]}]}]}',
      400,
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.kind must be an integer/,
    ],
    [
      "protobuf that is truncated",
      { "Content-Type": "application/x-protobuf" },
      new Uint8Array([0x0a, 0x10, 0x0a]),
      400,
      /runs past the end/,
    ],
    [
      "gzip that is not gzip",
      { "Content-Type": "application/x-protobuf", "Content-Encoding": "gzip" },
      "plainly not gzip",
      400,
      /not valid gzip/,
    ],
  ])("refuses %s", async (_label, headers, rawBody, status, detail) => {
    const org = await createOrg();
    const response = await call("POST", "/otlp/v1/traces", { key: org.key, rawBody, headers });
    expect(response.status).toBe(status);
    // OTLP/HTTP: a Status in the request's own encoding; a media type we do not speak gets problem+json.
    if (headers["Content-Type"] === "application/x-protobuf") {
      expect(response.headers.get("Content-Type")).toBe("application/x-protobuf");
      expect(statusMessage(new Uint8Array(await response.arrayBuffer()))).toMatch(detail);
    } else {
      const problem = await response.json<{ detail: string; message?: string; status: number }>();
      expect(problem.detail).toMatch(detail);
      expect(problem.status).toBe(status);
      if (headers["Content-Type"] === "application/json") expect(problem.message).toBe(problem.detail);
    }
  });

  it.each([
    ["declared", false],
    ["after decompression", true],
  ])("answers 413 for a body over 20 MiB (%s)", async (_label, compress) => {
    const org = await createOrg();
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    const response = await call("POST", "/otlp/v1/traces", {
      key: org.key,
      rawBody: compress ? await gzip(big) : big,
      headers: { "Content-Type": "application/json", ...(compress ? { "Content-Encoding": "gzip" } : {}) },
    });
    expect(response.status).toBe(413);
    expect((await response.json<{ message: string }>()).message).toMatch(/20 MiB/);
  });

  it("answers an empty request with success", async () => {
    const org = await createOrg();
    const response = await call("POST", "/otlp/v1/traces", {
      key: org.key,
      rawBody: new Uint8Array(),
      headers: { "Content-Type": "application/x-protobuf" },
    });
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it.each(["protobuf", "json"] as const)(
    "keeps a trace without GenAI content waiting (a %s partial-success warning), then stores it failed, never deleted",
    async (encoding) => {
      const org = await createOrg();
      const good = recordSpans(agentRun());
      const noContent = recordSpans({ name: "GET /health", children: [{ name: "SELECT 1" }] });
      const response = await exportSpans(org, [...good, ...noContent], { encoding });
      expect(response.status).toBe(200);
      const { partialSuccess } = otlpResponse(new Uint8Array(await response.arrayBuffer()), encoding);
      // Nothing was rejected: the sender is only warned that the trace waits.
      expect(Number(partialSuccess?.rejectedSpans ?? 0)).toBe(0);
      expect(partialSuccess?.errorMessage).toMatch(
        /1 trace\(s\) have no GenAI content yet and wait up to 30 s/,
      );
      expect((await readTrace(org, traceIdOf(good))).status).toBe(200);
      expect((await readTrace(org, traceIdOf(noContent))).status).toBe(404);
      expect(await storedSpanCount(org.orgId, traceIdOf(noContent))).toBe(2);

      // The wait runs out: the scheduled sweep makes the trace with what it has.
      await env.DB.prepare("UPDATE traces_awaiting_content SET root_received_at = ? WHERE trace_id = ?")
        .bind(Date.now() - 31_000, traceIdOf(noContent))
        .run();
      await worker.scheduled(createScheduledController(), env, createExecutionContext());
      const { status, body } = await readTrace(org, traceIdOf(noContent));
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: "failed", input: "", output: "" });
      expect(body.error).toMatch(
        /no GenAI content arrived within 30 s of the root span: .*has no span with an input/,
      );
      expect(body.spans).toHaveLength(2);
      const evaluation = await call("GET", `/api/v1/traces/${traceIdOf(noContent)}/evaluation`, {
        key: org.key,
      });
      expect(await evaluation.json()).toMatchObject({ status: "failed" });
      const left = await env.DB.prepare("SELECT count(*) AS n FROM traces_awaiting_content WHERE org_id = ?")
        .bind(org.orgId)
        .first<{ n: number }>();
      expect(left?.n).toBe(0);
    },
  );

  it("rejects spans with invalid ids, and a trace the spans cannot make valid, naming why", async () => {
    const org = await createOrg();
    const span = (traceId: string, spanId: string, attributes: unknown[] = []) => ({
      traceId,
      spanId,
      name: "chat",
      attributes,
    });
    const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const body = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                span("00000000000000000000000000000000", "1111111111111111"),
                span("abc", "1111111111111111"),
                span("1234567890abcdef1234567890abcdef", "0000000000000000"),
                span("1234567890abcdef1234567890abcdee", "1111111111111111", [
                  text("input.value", "hi"),
                  text("output.value", "hello"),
                  text("aegis.domain", "Not A Domain"),
                ]),
              ],
            },
          ],
        },
      ],
    };
    const response = await call("POST", "/otlp/v1/traces", {
      key: org.key,
      rawBody: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });
    const { partialSuccess } = await response.json<{
      partialSuccess: { rejectedSpans: string; errorMessage: string };
    }>();
    expect(partialSuccess.rejectedSpans).toBe("4");
    expect(partialSuccess.errorMessage).toContain(
      "2 span(s): the trace id is not 16 bytes in hex, or is all zeros",
    );
    expect(partialSuccess.errorMessage).toContain(
      "1 span(s): the span id is not 8 bytes in hex, or is all zeros",
    );
    expect(partialSuccess.errorMessage).toMatch(/is not a valid Aegis trace: domain: must be lower-case/);
  });
});

describe("OTLP spans across requests", () => {
  it("merges spans exported in several requests and queues the trace once, when its root arrives", async () => {
    const org = await createOrg();
    const queue = recordingQueue("hold");
    const spans = recordSpans(agentRun());
    const traceId = traceIdOf(spans);

    expect((await exportSpans(org, childrenOf(spans), { via: queue })).status).toBe(200);
    expect((await readTrace(org, traceId)).status).toBe(404);
    expect(await storedSpanCount(org.orgId, traceId)).toBe(2);
    expect(queue.messages).toEqual([]);

    expect((await exportSpans(org, rootOf(spans), { via: queue, encoding: "json" })).status).toBe(200);
    const made = await readTrace(org, traceId);
    expect(made.body).toMatchObject({
      input: QUESTION,
      output: ANSWER,
      tool_calls: [{ name: "lookup_dose" }],
    });
    expect(made.body.spans).toHaveLength(3);
    expect(queue.messages).toEqual([{ trace_id: made.body.id, org_id: org.orgId }]);

    // The exporter retries the root; then a span that ended after it arrives.
    expect((await exportSpans(org, rootOf(spans), { via: queue })).status).toBe(200);
    const root = rootOf(spans)[0]?.spanContext();
    const late = recordSpans({ name: "late audit log", attributes: { "log.lines": 3 } }, {}, root);
    expect((await exportSpans(org, late, { via: queue })).status).toBe(200);

    const after = await readTrace(org, traceId);
    expect(after.body.id).toBe(made.body.id);
    expect(after.body.spans.map((s) => s.name)).toContain("late audit log");
    expect(after.body.spans).toHaveLength(4);
    expect(after.body.input).toBe(QUESTION);
    expect(queue.messages).toHaveLength(1);
  });

  it("treats a span whose parent is in another service as its trace's root", async () => {
    const org = await createOrg();
    const remoteParent = {
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
      isRemote: true,
    };
    const spans = recordSpans(agentRun(), {}, remoteParent);
    await exportSpans(org, spans);
    const { body } = await readTrace(org, remoteParent.traceId);
    expect(body).toMatchObject({ input: QUESTION, output: ANSWER });
    expect(body.spans.find((s) => s.name === "invoke_agent triage")?.parent_span_id).toBe(
      remoteParent.spanId,
    );
  });

  it("is idempotent: the same export twice stores one trace, its spans once, and one audit event", async () => {
    const org = await createOrg();
    const queue = recordingQueue("hold");
    const spans = recordSpans(agentRun());
    await exportSpans(org, spans, { via: queue });
    await exportSpans(org, spans, { via: queue, encoding: "json", compress: true });
    const list = await call("GET", "/api/v1/traces", { key: org.key });
    expect((await list.json<{ data: unknown[] }>()).data).toHaveLength(1);
    expect(await storedSpanCount(org.orgId, traceIdOf(spans))).toBe(3);
    expect(queue.messages).toHaveLength(1);
    const audit = await call("GET", "/api/v1/audit", { key: org.key });
    const actions = (await audit.json<{ data: { action: string }[] }>()).data.map((e) => e.action);
    expect(actions.filter((a) => a === "trace.ingested")).toHaveLength(1);
  });

  it("drops spans whose root never arrived once they are a day old, and keeps those of traces", async () => {
    const org = await createOrg();
    const orphaned = recordSpans(agentRun());
    const complete = recordSpans(agentRun());
    await exportSpans(org, [...childrenOf(orphaned), ...complete]);
    const db = createDb(env.DB);
    expect(await dropOrphanSpans(db)).toBe(0);
    expect(await dropOrphanSpans(db, Date.now() + ORPHAN_SPAN_TTL_MS + 1)).toBeGreaterThanOrEqual(2);
    expect(await storedSpanCount(org.orgId, traceIdOf(orphaned))).toBe(0);
    expect(await storedSpanCount(org.orgId, traceIdOf(complete))).toBe(3);
  });

  it("deletes a trace's spans with the trace", async () => {
    const org = await createOrg();
    const spans = recordSpans(agentRun());
    await exportSpans(org, spans);
    const response = await call("DELETE", `/api/v1/traces/${traceIdOf(spans)}`, { key: org.key });
    expect(response.status).toBe(204);
    expect(await storedSpanCount(org.orgId, traceIdOf(spans))).toBe(0);
  });
});

describe("OTLP ingestion keeps the native route's guarantees", () => {
  it("redacts PHI in the trace and in every stored span", async () => {
    const org = await createOrg();
    await call("PATCH", "/api/v1/organization/settings", { key: org.key, body: { phi_redaction: "mask" } });
    const question = "I am John Carter, reach me at john.carter@example.com or 555-201-3344. Dose?";
    const spans = recordSpans(agentRun(question), { "host.ip": "10.20.30.40" });
    await exportSpans(org, spans);
    const { body } = await readTrace(org, traceIdOf(spans));
    expect(body.input).toBe("I am John Carter, reach me at [EMAIL] or [PHONE]. Dose?");
    const chat = body.spans.find((s) => s.name === "chat gpt-4o");
    expect(chat?.attributes["gen_ai.input.messages"]).toContain("[EMAIL]");
    expect(chat?.redactions).toContainEqual(
      // The attribute holds JSON: the record names the place inside it.
      expect.objectContaining({
        type: "email",
        field: expect.stringMatching(/^attributes\.gen_ai\.input\.messages#json\[0\]/),
      }),
    );
    const rows = await env.DB.prepare("SELECT * FROM spans WHERE org_id = ?").bind(org.orgId).all();
    const traces = await env.DB.prepare("SELECT * FROM traces WHERE org_id = ?").bind(org.orgId).all();
    for (const value of ["john.carter@example.com", "555-201-3344", "10.20.30.40"]) {
      expect(JSON.stringify([rows.results, traces.results])).not.toContain(value);
    }
  });

  it("keeps organizations apart, even for the same OTel trace id", async () => {
    const [a, b] = [await createOrg(), await createOrg()];
    const spans = recordSpans(agentRun());
    await exportSpans(a, spans);
    expect((await readTrace(b, traceIdOf(spans))).status).toBe(404);
    await exportSpans(b, childrenOf(spans));
    expect((await readTrace(b, traceIdOf(spans))).status).toBe(404);
    await exportSpans(b, rootOf(spans));
    const [readA, readB] = [await readTrace(a, traceIdOf(spans)), await readTrace(b, traceIdOf(spans))];
    expect(readA.body.id).not.toBe(readB.body.id);
    expect(readA.body.spans).toHaveLength(3);
    expect(readB.body.spans).toHaveLength(3);
  });

  it("authenticates like every route: a missing key, a key without traces:write", async () => {
    const org = await createOrg();
    const unauthenticated = await call("POST", "/otlp/v1/traces", {
      rawBody: otlpBody(recordSpans(agentRun()), "protobuf"),
      headers: { "Content-Type": "application/x-protobuf" },
    });
    expect(unauthenticated.status).toBe(401);
    expect(statusMessage(new Uint8Array(await unauthenticated.arrayBuffer()))).toMatch(/Send an API key/);
    const reader = await createKey(org, ["traces:read"]);
    const forbidden = await exportSpans({ ...org, key: reader.key }, recordSpans(agentRun()), {
      encoding: "json",
    });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json<{ message: string }>()).message).toMatch(/traces:write/);
  });

  it("counts each trace it makes against the monthly quota, and stores nothing it refuses", async () => {
    const org = await createOrg("OTLP Quota", "enterprise", {
      limits: { traces_per_month: 1, requests_per_minute: 1_000 },
    });
    const first = recordSpans(agentRun());
    const second = recordSpans(agentRun());
    const ok = await exportSpans(org, first);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("RateLimit")).toMatch(/"traces-monthly";r=0;/);
    // Spans that make no trace yet cost a request only.
    expect((await exportSpans(org, childrenOf(second))).status).toBe(200);
    const refused = await exportSpans(org, rootOf(second), { encoding: "json" });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      type: "https://aegis.dev/problems/trace-quota-exceeded",
      message: expect.stringMatching(/monthly quota of 1 traces/),
    });
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect((await readTrace(org, traceIdOf(second))).status).toBe(404);
    expect(await storedSpanCount(org.orgId, traceIdOf(second))).toBe(2);
  });
});
