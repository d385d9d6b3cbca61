// The real OpenTelemetry JS SDK exporting GenAI spans to `wrangler dev` (as `npm start` runs it), over
// OTLP/HTTP with JSON and with protobuf, then the trace and its evaluation read back from the API.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { aegisForSuite } from "../support/e2e";
import { ANSWER, agentRun, QUESTION, recordSpans } from "../support/otel";

describe("OpenTelemetry exporters to Aegis", () => {
  const server = aegisForSuite("otel", 9000);

  async function api(path: string) {
    const response = await fetch(`${server.base}${path}`, {
      headers: { Authorization: `Bearer ${server.key}` },
    });
    // biome-ignore lint/suspicious/noExplicitAny: the assertions below read what the server answered.
    return { status: response.status, body: (await response.json()) as any };
  }

  /** Exports each span in its own request, in the order they ended: children first, the root last. */
  async function exportOneByOne(exporter: SpanExporter, spans: ReadableSpan[]) {
    for (const span of spans) {
      const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
        exporter.export([span], resolve),
      );
      assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    }
    await exporter.shutdown();
  }

  async function assertEvaluatedTrace(traceId: string, domain: string) {
    const evaluation = await api(`/api/v1/traces/${traceId}/evaluation?wait=30`);
    assert.equal(evaluation.body.status, "completed", JSON.stringify(evaluation.body));
    assert.equal(evaluation.body.verdict, "fail");
    const trace = await api(`/api/v1/traces/${traceId}`);
    assert.equal(trace.status, 200);
    assert.equal(trace.body.client_id, traceId);
    assert.equal(trace.body.domain, domain);
    assert.equal(trace.body.input, QUESTION);
    assert.equal(trace.body.output, ANSWER);
    assert.equal(trace.body.model, "gpt-4o-2024-08-06");
    assert.deepEqual(trace.body.usage, { input_tokens: 21, output_tokens: 12 });
    assert.deepEqual(trace.body.spans.map((s: { name: string }) => s.name).sort(), [
      "chat gpt-4o",
      "execute_tool lookup_dose",
      "invoke_agent triage",
    ]);
    assert.ok(
      trace.body.evaluation.issues.some((i: { rule: string }) => i.rule === "healthcare.medication_overdose"),
    );
  }

  it("takes OTLP/JSON with gzip from the http exporter, span by span, as one trace", async () => {
    const spans = recordSpans(agentRun(), { "aegis.domain": "healthcare" });
    const exporter = new JsonExporter({
      url: `${server.base}/otlp/v1/traces`,
      headers: { Authorization: `Bearer ${server.key}` },
      compression: CompressionAlgorithm.GZIP,
    });
    await exportOneByOne(exporter, spans);
    await assertEvaluatedTrace(spans[0]?.spanContext().traceId ?? "", "healthcare");
  });

  it("takes OTLP/protobuf from the proto exporter configured only by the standard variables", async () => {
    const saved = { ...process.env };
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `${server.base}/otlp`;
    process.env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer%20${server.key}`;
    process.env.OTEL_EXPORTER_OTLP_COMPRESSION = "gzip";
    const exporter = new ProtobufExporter();
    process.env = saved;
    const spans = recordSpans(agentRun(), { "aegis.domain": "trading" });
    // Children in one request, the root in the next: the trace is made when the root arrives.
    await new Promise((resolve) => exporter.export(spans.slice(0, 2), resolve));
    assert.equal((await api(`/api/v1/traces/${spans[0]?.spanContext().traceId}`)).status, 404);
    await exportOneByOne(exporter, spans.slice(2));
    const traceId = spans[0]?.spanContext().traceId ?? "";
    const trace = await api(`/api/v1/traces/${traceId}`);
    assert.equal(trace.body.domain, "trading");
    assert.equal(trace.body.spans.length, 3);
  });

  it("accepts a trace it cannot evaluate as a partial success the exporter does not retry", async () => {
    const spans = recordSpans({ name: "GET /health" });
    const exporter = new ProtobufExporter({
      url: `${server.base}/otlp/v1/traces`,
      headers: { "X-API-Key": server.key },
    });
    await exportOneByOne(exporter, spans);
    assert.equal((await api(`/api/v1/traces/${spans[0]?.spanContext().traceId}`)).status, 404);
  });

  it("rejects an exporter without a key", async () => {
    const exporter = new JsonExporter({ url: `${server.base}/otlp/v1/traces` });
    const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
      exporter.export(recordSpans(agentRun()), resolve),
    );
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(String(result.error), /401|Unauthorized/);
    await exporter.shutdown();
  });
});
