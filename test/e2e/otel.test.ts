// The real OpenTelemetry JS SDK exporting GenAI spans to `wrangler dev` (as `npm start` runs it), over
// OTLP/HTTP with JSON and with protobuf, then the trace and its evaluation read back from the API.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtobufLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OpenAIInstrumentation } from "@opentelemetry/instrumentation-openai";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from "@opentelemetry/sdk-logs";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
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

  it("accepts a trace without content yet as a success the exporter does not retry; the trace waits", async () => {
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

  describe("GenAI content sent as log records", () => {
    /** A local OpenAI-compatible server answering chat completions in the real wire format. */
    async function fakeOpenAi(answer: string) {
      const server = createServer((request, response) => {
        request.resume();
        request.on("end", () => {
          response.setHeader("Content-Type", "application/json");
          response.end(
            JSON.stringify({
              id: "chatcmpl-1",
              object: "chat.completion",
              created: Math.floor(Date.now() / 1000),
              model: "gpt-4o-2024-08-06",
              choices: [
                {
                  index: 0,
                  finish_reason: "stop",
                  message: { role: "assistant", content: answer, refusal: null },
                },
              ],
              usage: { prompt_tokens: 21, completion_tokens: 12, total_tokens: 33 },
            }),
          );
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return { server, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
    }

    /**
     * Chat completions through the `openai` package, instrumented by OpenTelemetry's own OpenAI
     * instrumentation (which sends the messages as log records), recorded in memory so the test
     * decides the order in which the real OTLP exporters send spans and logs. One instrumentation
     * for all calls: it patches the package when it is first loaded.
     */
    async function instrumentedChats(calls: readonly { question: string; answer: string }[]) {
      const spans = new InMemorySpanExporter();
      const logs = new InMemoryLogRecordExporter();
      const resource = resourceFromAttributes({ "service.name": "nurse-line", "aegis.domain": "healthcare" });
      const tracerProvider = new BasicTracerProvider({
        resource,
        spanProcessors: [new SimpleSpanProcessor(spans)],
      });
      const loggerProvider = new LoggerProvider({
        resource,
        processors: [new SimpleLogRecordProcessor({ exporter: logs })],
      });
      const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
      instrumentation.setTracerProvider(tracerProvider);
      instrumentation.setLoggerProvider(loggerProvider);
      instrumentation.enable();
      try {
        // Loaded after the instrumentation is enabled, so that it is patched.
        const { default: OpenAI } = createRequire(import.meta.url)("openai") as typeof import("openai");
        const runs = [];
        for (const { question, answer } of calls) {
          const { server, baseURL } = await fakeOpenAi(answer);
          try {
            const client = new OpenAI({ apiKey: "sk-test", baseURL });
            await client.chat.completions.create({
              model: "gpt-4o",
              messages: [
                { role: "system", content: "You are a triage nurse." },
                { role: "user", content: question },
              ],
            });
          } finally {
            server.close();
          }
          const [span] = spans.getFinishedSpans().slice(-1);
          const traceId = span?.spanContext().traceId;
          runs.push({
            question,
            answer,
            spans: spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId),
            logs: logs.getFinishedLogRecords().filter((l) => l.spanContext?.traceId === traceId),
          });
        }
        return runs;
      } finally {
        instrumentation.disable();
      }
    }

    async function exportLogs(exporter: LogRecordExporter, records: ReadableLogRecord[]) {
      const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
        exporter.export(records, resolve),
      );
      assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
      await exporter.shutdown();
    }

    it("makes one trace from the OpenAI instrumentation's spans and log records, in either order", async () => {
      const runs = await instrumentedChats([
        {
          question: "Can I give my 4 year old adult Tylenol?",
          answer: "Give 2 adult 500 mg tablets every 4 hours.",
        },
        {
          question: "How much ibuprofen for a sprained ankle?",
          answer: "Take 4 Advil every 4 hours for a week.",
        },
      ]);
      const orders = [
        { encoding: "protobuf", logsFirst: true },
        { encoding: "json", logsFirst: false },
      ] as const;
      for (const [i, { encoding, logsFirst }] of orders.entries()) {
        const run = runs[i];
        assert.ok(run);
        assert.equal(run.spans.length, 1);
        assert.ok(run.logs.length >= 3, `the instrumentation sent ${run.logs.length} log records`);
        const headers = { Authorization: `Bearer ${server.key}` };
        const logExporter =
          encoding === "protobuf"
            ? new ProtobufLogExporter({ url: `${server.base}/otlp/v1/logs`, headers })
            : new JsonLogExporter({ url: `${server.base}/otlp/v1/logs`, headers });
        const spanExporter =
          encoding === "protobuf"
            ? new ProtobufExporter({ url: `${server.base}/otlp/v1/traces`, headers })
            : new JsonExporter({ url: `${server.base}/otlp/v1/traces`, headers });
        const traceId = run.spans[0]?.spanContext().traceId ?? "";
        if (logsFirst) await exportLogs(logExporter, run.logs);
        else await exportOneByOne(spanExporter, run.spans);
        assert.equal(
          (await api(`/api/v1/traces/${traceId}`)).status,
          404,
          "made before its other half arrived",
        );
        if (logsFirst) await exportOneByOne(spanExporter, run.spans);
        else await exportLogs(logExporter, run.logs);
        const trace = await api(`/api/v1/traces/${traceId}`);
        assert.equal(trace.status, 200, JSON.stringify(trace.body));
        assert.equal(trace.body.input, run.question);
        assert.equal(trace.body.output, run.answer);
        assert.equal(trace.body.context.system_instructions, "You are a triage nurse.");
        assert.equal(trace.body.model, "gpt-4o-2024-08-06");
        const evaluation = await api(`/api/v1/traces/${traceId}/evaluation?wait=30`);
        assert.equal(evaluation.body.status, "completed", JSON.stringify(evaluation.body));
      }
    });
  });
});
