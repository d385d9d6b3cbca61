// OpenTelemetry, unchanged, exporting to Aegis: the standard OTLP exporter reads its endpoint and
// key from the standard variables, and spans that follow the GenAI semantic conventions become
// Aegis traces (one per OTel trace), evaluated like any other.
//
//   npm start                                   # Aegis on :8787; note the API key it prints
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:8787/otlp \
//   OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20aeg_live_..." \
//   OTEL_RESOURCE_ATTRIBUTES="aegis.domain=healthcare" \
//   npx tsx examples/otel-setup.ts "How much acetaminophen can I take?"
import { fileURLToPath } from "node:url";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { modelEndpoint } from "./model-stand-in";

/**
 * The whole setup: a provider with a batching OTLP/protobuf exporter, both configured from the
 * environment (OTEL_RESOURCE_ATTRIBUTES carries `aegis.*` attributes such as the domain).
 */
export function setupTracing(serviceName: string): BasicTracerProvider {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }).merge(
      detectResources({ detectors: [envDetector] }),
    ),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
}

interface ChatCompletion {
  model: string;
  choices: { message: { content: string | null }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number };
}

/** A chat call wrapped in GenAI spans (an agent span around a model span); answers the OTel trace id. */
export async function ask(provider: BasicTracerProvider, modelUrl: string, question: string) {
  const tracer = provider.getTracer("pharmacy-assistant", "1.0.0");
  const agent = tracer.startSpan("invoke_agent pharmacy", {
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "pharmacy" },
  });
  const messages = [{ role: "user", content: question }];
  const chat = tracer.startSpan(
    "chat gpt-4o-mini",
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.input.messages": JSON.stringify(
          messages.map((m) => ({ role: m.role, parts: [{ type: "text", content: m.content }] })),
        ),
      },
    },
    trace.setSpan(context.active(), agent),
  );
  const response = await fetch(`${modelUrl}/chat/completions`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${process.env.MODEL_API_KEY ?? "stand-in"}`,
    },
    body: JSON.stringify({ model: "gpt-4o-mini", messages }),
  });
  const completion = (await response.json()) as ChatCompletion;
  const choice = completion.choices[0];
  chat.setAttributes({
    "gen_ai.response.model": completion.model,
    "gen_ai.usage.input_tokens": completion.usage.prompt_tokens,
    "gen_ai.usage.output_tokens": completion.usage.completion_tokens,
    "gen_ai.output.messages": JSON.stringify([
      {
        role: "assistant",
        parts: [{ type: "text", content: choice?.message.content ?? "" }],
        finish_reason: choice?.finish_reason,
      },
    ]),
  });
  chat.setStatus({ code: SpanStatusCode.OK });
  chat.end();
  agent.end();
  return { traceId: agent.spanContext().traceId, answer: choice?.message.content ?? "" };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const model = await modelEndpoint();
  const provider = setupTracing("pharmacy-assistant");
  try {
    const { traceId, answer } = await ask(
      provider,
      model.url,
      process.argv[2] ?? "How much acetaminophen can I take?",
    );
    console.log(`model: ${answer}\nOTel trace ${traceId}: GET /api/v1/traces/${traceId} once exported`);
  } finally {
    // Exports what is batched before the process exits.
    await provider.shutdown();
    await model.close();
  }
}
