// GenAI content that OpenTelemetry instrumentations send as log records, made and encoded by the real
// logs SDK and its OTLP serializers, meeting its spans in either order.
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import {
  ANSWER,
  CONTENT_TYPES,
  chatContentLogs,
  chatWithoutContent,
  gzip,
  type OtlpEncoding,
  otlpBody,
  otlpLogsBody,
  otlpLogsResponse,
  otlpResponse,
  QUESTION,
  recordLogs,
  recordSpans,
} from "../support/otel";
import { call, createOrg, type TestOrg } from "./helpers";

async function post(org: TestOrg, path: string, body: Uint8Array<ArrayBuffer>, encoding: OtlpEncoding) {
  return call("POST", path, {
    key: org.key,
    rawBody: await gzip(body),
    headers: { "Content-Type": CONTENT_TYPES[encoding], "Content-Encoding": "gzip" },
  });
}

async function exportLogs(org: TestOrg, logs: ReadableLogRecord[], encoding: OtlpEncoding) {
  const response = await post(org, "/otlp/v1/logs", otlpLogsBody(logs, encoding), encoding);
  expect(response.status).toBe(200);
  return otlpLogsResponse(new Uint8Array(await response.arrayBuffer()), encoding);
}

async function exportSpans(org: TestOrg, spans: ReadableSpan[], encoding: OtlpEncoding) {
  const response = await post(org, "/otlp/v1/traces", otlpBody(spans, encoding), encoding);
  expect(response.status).toBe(200);
  return otlpResponse(new Uint8Array(await response.arrayBuffer()), encoding);
}

async function readTrace(org: TestOrg, id: string) {
  const response = await call("GET", `/api/v1/traces/${id}`, { key: org.key });
  return { status: response.status, body: await response.json<Record<string, unknown>>() };
}

const traceIdOf = (spans: ReadableSpan[]) => spans[0]?.spanContext().traceId ?? "";

describe.each(["json", "protobuf"] as const)("OTLP/HTTP logs receiver (%s)", (encoding) => {
  it("attaches content sent as logs after its spans: the trace waits for it, then is made whole", async () => {
    const org = await createOrg();
    const spans = recordSpans(chatWithoutContent(), { "aegis.domain": "healthcare" });
    const first = await exportSpans(org, spans, encoding);
    expect(first.partialSuccess?.errorMessage).toMatch(/wait up to 30 s/);
    expect((await readTrace(org, traceIdOf(spans))).status).toBe(404);

    const logs = recordLogs(spans[0]?.spanContext(), chatContentLogs());
    expect((await exportLogs(org, logs, encoding)).partialSuccess).toBeUndefined();
    const { status, body } = await readTrace(org, traceIdOf(spans));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: "queued",
      domain: "healthcare",
      input: QUESTION,
      output: ANSWER,
      model: "gpt-4o-2024-08-06",
      usage: { input_tokens: 21, output_tokens: 12 },
      context: { system_instructions: "You are a triage nurse." },
    });
    const waiting = await env.DB.prepare("SELECT count(*) AS n FROM traces_awaiting_content WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ n: number }>();
    expect(waiting?.n).toBe(0);
  });

  it("keeps content sent as logs before its spans, and makes the trace when the root span arrives", async () => {
    const org = await createOrg();
    const spans = recordSpans(chatWithoutContent(), { "aegis.domain": "healthcare" });
    const logs = recordLogs(spans[0]?.spanContext(), chatContentLogs());
    expect((await exportLogs(org, logs, encoding)).partialSuccess).toBeUndefined();
    expect((await readTrace(org, traceIdOf(spans))).status).toBe(404);
    // A retried export of the same records stores nothing twice.
    await exportLogs(org, logs, encoding);

    expect((await exportSpans(org, spans, encoding)).partialSuccess).toBeUndefined();
    const { body } = await readTrace(org, traceIdOf(spans));
    expect(body).toMatchObject({ input: QUESTION, output: ANSWER });
    const evaluation = await call("GET", `/api/v1/traces/${traceIdOf(spans)}/evaluation?wait=10`, {
      key: org.key,
    });
    expect(await evaluation.json()).toMatchObject({ status: "completed", verdict: "fail" });
  });

  it("reads the newer gen_ai.client.inference.operation.details event with structured messages", async () => {
    const org = await createOrg();
    const spans = recordSpans(chatWithoutContent());
    const logs = recordLogs(spans[0]?.spanContext(), [
      {
        eventName: "gen_ai.client.inference.operation.details",
        attributes: {
          "gen_ai.input.messages": [{ role: "user", parts: [{ type: "text", content: QUESTION }] }],
          "gen_ai.output.messages": [
            { role: "assistant", parts: [{ type: "text", content: ANSWER }], finish_reason: "stop" },
          ],
        },
      },
    ]);
    await exportLogs(org, logs, encoding);
    await exportSpans(org, spans, encoding);
    expect((await readTrace(org, traceIdOf(spans))).body).toMatchObject({ input: QUESTION, output: ANSWER });
  });

  it("refuses GenAI records it cannot attach, and keeps none of an application's ordinary logs", async () => {
    const org = await createOrg();
    const uncorrelated = recordLogs(undefined, [
      { eventName: "gen_ai.user.message", body: { content: "hi" } },
    ]);
    const ordinary = recordLogs(recordSpans(chatWithoutContent())[0]?.spanContext(), [
      { eventName: "http.request", body: "GET /health 200", attributes: { "http.route": "/health" } },
    ]);
    const { partialSuccess } = await exportLogs(org, [...uncorrelated, ...ordinary], encoding);
    expect(Number(partialSuccess?.rejectedLogRecords)).toBe(1);
    expect(partialSuccess?.errorMessage).toMatch(
      /1 log record\(s\): a GenAI log record has no valid trace id/,
    );
    expect(partialSuccess?.errorMessage).toMatch(/1 log record\(s\) carry no GenAI content/);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM span_logs WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });
});

describe("GenAI content sent as logs", () => {
  it("is stored after the organization's PHI policy", async () => {
    const org = await createOrg();
    await call("PATCH", "/api/v1/organization/settings", { key: org.key, body: { phi_redaction: "mask" } });
    const spans = recordSpans(chatWithoutContent());
    const logs = recordLogs(spans[0]?.spanContext(), [
      {
        eventName: "gen_ai.user.message",
        body: { content: "I'm at ana.silva@example.com or 555-201-3344, dose?" },
        attributes: { "user.id": "ana.silva@example.com" },
      },
      {
        eventName: "gen_ai.choice",
        body: { index: 0, message: { content: "Email me: ana.silva@example.com" } },
      },
    ]);
    await exportLogs(org, logs, "json");
    await exportSpans(org, spans, "json");
    const { body } = await readTrace(org, traceIdOf(spans));
    expect(body.input).toBe("I'm at [EMAIL] or [PHONE], dose?");
    const rows = await env.DB.prepare("SELECT * FROM span_logs WHERE org_id = ?").bind(org.orgId).all();
    const stored = JSON.stringify([rows.results, body]);
    for (const value of ["ana.silva@example.com", "555-201-3344"]) expect(stored).not.toContain(value);
  });

  it("a trace whose content never comes is stored failed by the scheduled sweep, not deleted", async () => {
    const org = await createOrg();
    const spans = recordSpans(chatWithoutContent());
    await exportSpans(org, spans, "protobuf");
    await env.DB.prepare("UPDATE traces_awaiting_content SET root_received_at = ? WHERE trace_id = ?")
      .bind(Date.now() - 31_000, traceIdOf(spans))
      .run();
    await worker.scheduled(createScheduledController(), env, createExecutionContext());
    const { body } = await readTrace(org, traceIdOf(spans));
    expect(body).toMatchObject({ status: "failed", model: "gpt-4o-2024-08-06" });
    expect(body.error).toMatch(/no GenAI content arrived within 30 s/);
  });

  it("a request that comes after the wait completes the trace and reports it in partial_success", async () => {
    const org = await createOrg();
    const spans = recordSpans(chatWithoutContent());
    await exportSpans(org, spans, "json");
    await env.DB.prepare("UPDATE traces_awaiting_content SET root_received_at = ? WHERE trace_id = ?")
      .bind(Date.now() - 31_000, traceIdOf(spans))
      .run();
    const late = recordLogs(spans[0]?.spanContext(), [
      { eventName: "gen_ai.system.message", body: { content: "You are a triage nurse." } },
    ]);
    const { partialSuccess } = await exportLogs(org, late, "json");
    expect(Number(partialSuccess?.rejectedLogRecords ?? 0)).toBe(0);
    expect(partialSuccess?.errorMessage).toMatch(
      new RegExp(`1 trace\\(s\\) stored without their GenAI content.*${traceIdOf(spans)}`),
    );
    expect((await readTrace(org, traceIdOf(spans))).body).toMatchObject({ status: "failed" });
  });
});
