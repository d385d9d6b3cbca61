// Spans made by the real OpenTelemetry SDK and encoded by its own OTLP serializers, for the tests of
// the OTLP receiver (in workerd and in Node).
import { type Attributes, ROOT_CONTEXT, type SpanContext, type SpanStatus, trace } from "@opentelemetry/api";
import type { AnyValue, AnyValueMap } from "@opentelemetry/api-logs";
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from "@opentelemetry/sdk-logs";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

export interface SpanSpec {
  name: string;
  attributes?: Attributes;
  events?: { name: string; attributes?: Attributes }[];
  status?: SpanStatus;
  children?: SpanSpec[];
}

/**
 * Records a tree of spans, under `parent` when given (a span of another request); they come back in
 * the order they ended, children before their parent.
 */
export function recordSpans(root: SpanSpec, resource: Attributes = {}, parent?: SpanContext): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "triage-bot", ...resource }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("aegis-tests", "1.0.0");
  const record = (spec: SpanSpec, parent = ROOT_CONTEXT) => {
    const span = tracer.startSpan(spec.name, { attributes: spec.attributes }, parent);
    for (const event of spec.events ?? []) span.addEvent(event.name, event.attributes);
    if (spec.status) span.setStatus(spec.status);
    for (const child of spec.children ?? []) record(child, trace.setSpan(parent, span));
    span.end();
  };
  record(root, parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT);
  return exporter.getFinishedSpans();
}

export type OtlpEncoding = "json" | "protobuf";

export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  json: "application/json",
  protobuf: "application/x-protobuf",
};

/** An ExportTraceServiceRequest as the OTLP exporters send it. */
export function otlpBody(spans: ReadableSpan[], encoding: OtlpEncoding): Uint8Array<ArrayBuffer> {
  const serializer = encoding === "json" ? JsonTraceSerializer : ProtobufTraceSerializer;
  const body = serializer.serializeRequest(spans);
  if (!body) throw new Error("the serializer returned nothing");
  return new Uint8Array(body);
}

/** The partial_success of an ExportTraceServiceResponse, decoded by the exporters' own code. */
export function otlpResponse(body: Uint8Array, encoding: OtlpEncoding) {
  const serializer = encoding === "json" ? JsonTraceSerializer : ProtobufTraceSerializer;
  return serializer.deserializeResponse(body);
}

export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export const QUESTION = "My head hurts, how much acetaminophen can I take?";
export const ANSWER = "Take 1000 mg of acetaminophen every 4 hours, day and night, until the pain stops.";

/**
 * An agent run as GenAI-instrumented code reports it: invoke_agent, a chat call with the current
 * message conventions, and a tool call.
 */
export function agentRun(question = QUESTION, answer = ANSWER): SpanSpec {
  return {
    name: "invoke_agent triage",
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "triage" },
    children: [
      {
        name: "execute_tool lookup_dose",
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": "lookup_dose",
          "gen_ai.tool.call.arguments": JSON.stringify({ drug: "acetaminophen" }),
          "gen_ai.tool.call.result": JSON.stringify({ max_daily_mg: 4000 }),
        },
      },
      {
        name: "chat gpt-4o",
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.response.model": "gpt-4o-2024-08-06",
          "gen_ai.conversation.id": "conv-42",
          "gen_ai.usage.input_tokens": 21,
          "gen_ai.usage.output_tokens": 12,
          "gen_ai.system_instructions": JSON.stringify([
            { type: "text", content: "You are a triage nurse." },
          ]),
          "gen_ai.input.messages": JSON.stringify([
            { role: "user", parts: [{ type: "text", content: question }] },
          ]),
          "gen_ai.output.messages": JSON.stringify([
            { role: "assistant", parts: [{ type: "text", content: answer }], finish_reason: "stop" },
          ]),
        },
      },
    ],
  };
}

export interface LogSpec {
  eventName: string;
  body?: AnyValue;
  attributes?: AnyValueMap;
}

/**
 * Emits log records with the real logs SDK, correlated to `span` (its trace and span id), as GenAI
 * instrumentations emit their content events; they come back in the order they were emitted.
 */
export function recordLogs(span: SpanContext | undefined, logs: LogSpec[], resource: Attributes = {}) {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "triage-bot", ...resource }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger("aegis-tests", "1.0.0");
  const context = span ? trace.setSpanContext(ROOT_CONTEXT, span) : ROOT_CONTEXT;
  for (const log of logs) logger.emit({ ...log, context, timestamp: Date.now() });
  return exporter.getFinishedLogRecords();
}

/** An ExportLogsServiceRequest as the OTLP log exporters send it. */
export function otlpLogsBody(logs: ReadableLogRecord[], encoding: OtlpEncoding): Uint8Array<ArrayBuffer> {
  const serializer = encoding === "json" ? JsonLogsSerializer : ProtobufLogsSerializer;
  const body = serializer.serializeRequest(logs);
  if (!body) throw new Error("the serializer returned nothing");
  return new Uint8Array(body);
}

/** The partial_success of an ExportLogsServiceResponse, decoded by the exporters' own code. */
export function otlpLogsResponse(body: Uint8Array, encoding: OtlpEncoding) {
  const serializer = encoding === "json" ? JsonLogsSerializer : ProtobufLogsSerializer;
  return serializer.deserializeResponse(body);
}

/**
 * A chat call as OpenTelemetry's own OpenAI instrumentations report it: the span carries the model,
 * usage and ids, and the messages go out as log records (event-based GenAI conventions).
 */
export function chatWithoutContent(): SpanSpec {
  return {
    name: "chat gpt-4o",
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.usage.input_tokens": 21,
      "gen_ai.usage.output_tokens": 12,
    },
  };
}

/** The content events of that call, as the instrumentation emits them. */
export function chatContentLogs(question = QUESTION, answer = ANSWER): LogSpec[] {
  const system = { "gen_ai.system": "openai" };
  return [
    { eventName: "gen_ai.system.message", body: { content: "You are a triage nurse." }, attributes: system },
    { eventName: "gen_ai.user.message", body: { content: question }, attributes: system },
    {
      eventName: "gen_ai.choice",
      body: { index: 0, finish_reason: "stop", message: { content: answer } },
      attributes: system,
    },
  ];
}
