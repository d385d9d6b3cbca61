import { describe, expect, it } from "vitest";
import { traceFromSpans } from "../../src/otlp/genai";
import type { Attributes, SpanRecord } from "../../src/otlp/model";

const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
let nextSpan = 0;

/** A span of TRACE_ID starting `start` ms into the trace; `parent` names another span built here. */
function span(name: string, attributes: Attributes, options: Partial<SpanRecord> = {}): SpanRecord {
  nextSpan += 1;
  const startMs = 1_764_230_400_000 + (options.startMs ?? 0);
  return {
    traceId: TRACE_ID,
    spanId: nextSpan.toString(16).padStart(16, "0"),
    parentSpanId: null,
    isRoot: options.parentSpanId === undefined || options.parentSpanId === null,
    name,
    kind: "internal",
    statusCode: "unset",
    statusMessage: null,
    events: [],
    resource: { "service.name": "svc" },
    ...options,
    attributes,
    startMs,
    endMs: options.endMs === undefined ? startMs + 100 : 1_764_230_400_000 + options.endMs,
  };
}

const child = (parent: SpanRecord, name: string, attributes: Attributes, options: Partial<SpanRecord> = {}) =>
  span(name, attributes, { parentSpanId: parent.spanId, ...options });

const build = (spans: SpanRecord[]) => {
  const result = traceFromSpans(TRACE_ID, spans);
  if (!result.ok) throw new Error(result.reason);
  return result.trace;
};

const messages = (...list: [role: string, text: string][]) =>
  JSON.stringify(list.map(([role, text]) => ({ role, parts: [{ type: "text", content: text }] })));

describe("spans to an Aegis trace", () => {
  it.each<[string, () => SpanRecord[], Record<string, unknown>]>([
    [
      "GenAI: current message attributes, provider, models, usage, conversation id",
      () => [
        span("chat gpt-4o", {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.response.model": "gpt-4o-2024-08-06",
          "gen_ai.conversation.id": "conv-1",
          "gen_ai.usage.input_tokens": 10,
          "gen_ai.usage.output_tokens": 5,
          "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "Be brief." }]),
          "gen_ai.input.messages": messages(
            ["user", "Hi"],
            ["assistant", "Hello!"],
            ["user", "Dose of ibuprofen?"],
          ),
          "gen_ai.output.messages": messages(["assistant", "200-400 mg every 4-6 hours."]),
        }),
      ],
      {
        id: TRACE_ID,
        model: "gpt-4o-2024-08-06",
        input: "Dose of ibuprofen?",
        output: "200-400 mg every 4-6 hours.",
        session_id: "conv-1",
        usage: { input_tokens: 10, output_tokens: 5 },
        metadata: { service_name: "svc", provider: "openai", operation: "chat" },
        context: {
          system_instructions: "Be brief.",
          conversation: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "Hello!" },
          ],
        },
        latency_ms: 100,
        timestamp: "2025-11-27T08:00:00.000Z",
      },
    ],
    [
      "GenAI: older indexed prompt and completion attributes and gen_ai.system",
      () => [
        span("openai.chat", {
          "gen_ai.system": "openai",
          "gen_ai.request.model": "gpt-4",
          "gen_ai.usage.prompt_tokens": 7,
          "gen_ai.usage.completion_tokens": 3,
          "gen_ai.prompt.0.role": "system",
          "gen_ai.prompt.0.content": "You are terse.",
          "gen_ai.prompt.1.role": "user",
          "gen_ai.prompt.1.content": "Capital of France?",
          "gen_ai.completion.0.role": "assistant",
          "gen_ai.completion.0.content": "Paris.",
        }),
      ],
      {
        model: "gpt-4",
        input: "Capital of France?",
        output: "Paris.",
        usage: { input_tokens: 7, output_tokens: 3 },
        metadata: { provider: "openai" },
        context: { system_instructions: "You are terse." },
      },
    ],
    [
      "GenAI: older gen_ai.content.prompt / gen_ai.content.completion events",
      () => [
        span(
          "chat",
          { "gen_ai.request.model": "m" },
          {
            events: [
              { name: "gen_ai.content.prompt", timeMs: 0, attributes: { "gen_ai.prompt": "What is 2+2?" } },
              { name: "gen_ai.content.completion", timeMs: 0, attributes: { "gen_ai.completion": "4" } },
            ],
          },
        ),
      ],
      { input: "What is 2+2?", output: "4" },
    ],
    [
      "GenAI: messages on the gen_ai.client.inference.operation.details event",
      () => [
        span(
          "chat",
          {},
          {
            events: [
              {
                name: "gen_ai.client.inference.operation.details",
                timeMs: 0,
                attributes: {
                  "gen_ai.input.messages": messages(["user", "What is 3+3?"]),
                  "gen_ai.output.messages": messages(["assistant", "6"]),
                },
              },
            ],
          },
        ),
      ],
      { input: "What is 3+3?", output: "6" },
    ],
    [
      "OpenInference: chain root values, LLM messages, token counts, session, user, tags, retrieval, tools",
      () => {
        const chain = span("RAG", {
          "openinference.span.kind": "CHAIN",
          "input.value": "What does the formulary say about ibuprofen?",
          "output.value": "Up to 1,200 mg a day without a prescription.",
          "session.id": "sess-7",
          "user.id": "user-3",
          "tag.tags": ["rag", "beta"],
        });
        return [
          chain,
          child(chain, "retrieve", {
            "openinference.span.kind": "RETRIEVER",
            "retrieval.documents.0.document.id": "formulary-12",
            "retrieval.documents.0.document.content": "Ibuprofen: max 1200 mg/day OTC.",
            "retrieval.documents.0.document.score": 0.92,
          }),
          child(chain, "lookup", {
            "openinference.span.kind": "TOOL",
            "tool.name": "drug_lookup",
            "input.value": '{"name":"ibuprofen"}',
            "output.value": "found",
          }),
          child(
            chain,
            "ChatOpenAI",
            {
              "openinference.span.kind": "LLM",
              "llm.model_name": "gpt-4o-mini",
              "llm.provider": "openai",
              "llm.token_count.prompt": 120,
              "llm.token_count.completion": 30,
              "llm.input_messages.0.message.role": "user",
              "llm.input_messages.0.message.content": "not the input: the chain is outermost",
              "llm.output_messages.0.message.role": "assistant",
              "llm.output_messages.0.message.content": "not the output either",
            },
            { startMs: 10 },
          ),
        ];
      },
      {
        model: "gpt-4o-mini",
        input: "What does the formulary say about ibuprofen?",
        output: "Up to 1,200 mg a day without a prescription.",
        session_id: "sess-7",
        user_id: "user-3",
        tags: ["rag", "beta"],
        usage: { input_tokens: 120, output_tokens: 30 },
        retrieved_contexts: [
          { source: "formulary-12", content: "Ibuprofen: max 1200 mg/day OTC.", relevance_score: 0.92 },
        ],
        tool_calls: [{ name: "drug_lookup", arguments: { name: "ibuprofen" }, result: "found" }],
        metadata: { provider: "openai" },
      },
    ],
    [
      "an agent: input from its first model call, output from its last, usage summed over both",
      () => {
        const agent = span("invoke_agent", {
          "gen_ai.operation.name": "invoke_agent",
          "gen_ai.agent.name": "a",
        });
        return [
          agent,
          child(
            agent,
            "chat 1",
            {
              "gen_ai.input.messages": messages(["user", "Weather in Paris?"]),
              "gen_ai.output.messages": JSON.stringify([
                {
                  role: "assistant",
                  parts: [{ type: "tool_call", name: "weather", arguments: { city: "Paris" } }],
                },
              ]),
              "gen_ai.usage.input_tokens": 10,
              "gen_ai.usage.output_tokens": 4,
            },
            { startMs: 1, endMs: 20 },
          ),
          child(
            agent,
            "execute_tool weather",
            { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "weather" },
            { startMs: 21, endMs: 30 },
          ),
          child(
            agent,
            "chat 2",
            {
              "gen_ai.input.messages": JSON.stringify([
                { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
                { role: "tool", parts: [{ type: "tool_call_response", response: "18°C, sunny" }] },
              ]),
              "gen_ai.output.messages": messages(["assistant", "It is 18°C and sunny in Paris."]),
              "gen_ai.usage.input_tokens": 30,
              "gen_ai.usage.output_tokens": 9,
            },
            { startMs: 31, endMs: 60 },
          ),
        ];
      },
      {
        input: "Weather in Paris?",
        output: "It is 18°C and sunny in Paris.",
        usage: { input_tokens: 40, output_tokens: 13 },
        tool_calls: [{ name: "weather" }],
        metadata: { operation: "invoke_agent", agent_name: "a" },
      },
    ],
    [
      "Vercel AI SDK: ai.prompt and ai.response.text; the wrapper's usage is not counted twice",
      () => {
        const outer = span("ai.generateText", {
          "ai.model.id": "claude-sonnet",
          "ai.model.provider": "anthropic.messages",
          "ai.prompt": JSON.stringify({ system: "Be kind.", prompt: "Say hi to Ada." }),
          "ai.response.text": "Hi Ada!",
          "ai.usage.promptTokens": 12,
          "ai.usage.completionTokens": 3,
        });
        return [
          outer,
          child(outer, "ai.generateText.doGenerate", {
            "ai.usage.promptTokens": 12,
            "ai.usage.completionTokens": 3,
          }),
          child(outer, "ai.toolCall", { "ai.toolCall.name": "greet", "ai.toolCall.args": '{"who":"Ada"}' }),
        ];
      },
      {
        model: "claude-sonnet",
        input: "Say hi to Ada.",
        output: "Hi Ada!",
        usage: { input_tokens: 12, output_tokens: 3 },
        context: { system_instructions: "Be kind." },
        tool_calls: [{ name: "greet", arguments: { who: "Ada" } }],
        metadata: { provider: "anthropic.messages" },
      },
    ],
    [
      "aegis.* attributes: spans over resources, outer spans over inner ones, objects and lists",
      () => {
        const root = span(
          "handler",
          {
            "aegis.domain": "trading",
            "aegis.metadata.release": "2026.11",
            "aegis.context": JSON.stringify({ market: { symbol: "ACME" } }),
            "aegis.tags": "desk-a, beta",
          },
          { resource: { "aegis.domain": "healthcare", "aegis.application_id": "robo-advisor" } },
        );
        return [
          root,
          child(root, "chat", {
            "aegis.domain": "legal",
            "aegis.cost_usd": 0.002,
            "aegis.user_id": "trader-9",
            "input.value": "Buy ACME?",
            "output.value": "Yes, guaranteed to double.",
          }),
        ];
      },
      {
        domain: "trading",
        application_id: "robo-advisor",
        user_id: "trader-9",
        cost_usd: 0.002,
        tags: ["desk-a", "beta"],
        metadata: { release: "2026.11" },
        context: { market: { symbol: "ACME" } },
      },
    ],
  ])("reads %s", (_label, spans, expected) => {
    expect(build(spans())).toMatchObject(expected);
  });

  it.each<[string, SpanRecord[], RegExp]>([
    ["no input anywhere", [span("GET /health", { "http.route": "/health" })], /has no span with an input/],
    ["an input but no output", [span("chat", { "input.value": "hi" })], /has no span with an output/],
    [
      "fields the trace schema refuses",
      [span("chat", { "input.value": "hi", "output.value": "hello", "aegis.domain": "Bad Domain" })],
      /is not a valid Aegis trace: domain: must be lower-case/,
    ],
    [
      "a trace over 1 MB",
      [
        span("chat", {
          "input.value": "hi",
          "output.value": "x",
          "aegis.context": JSON.stringify({ blob: "y".repeat(1_100_000) }),
        }),
      ],
      /over the 1000000 a trace may have/,
    ],
  ])("refuses a trace with %s, saying why", (_label, spans, reason) => {
    const result = traceFromSpans(TRACE_ID, spans);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("reads OpenInference's tool.parameters as the tool's schema and the call's arguments from input.value", () => {
    const chain = span("agent", { "input.value": "Buy 10 ACME", "output.value": "Done" });
    const schema = { type: "object", properties: { symbol: { type: "string" }, qty: { type: "number" } } };
    const trace = build([
      chain,
      child(chain, "place_order", {
        "openinference.span.kind": "TOOL",
        "tool.name": "place_order",
        "tool.parameters": JSON.stringify(schema),
        "input.value": JSON.stringify({ symbol: "ACME", qty: 10 }),
        "output.value": "filled",
      }),
    ]);
    expect(trace.tool_calls).toEqual([
      { name: "place_order", arguments: { symbol: "ACME", qty: 10 }, result: "filled", definition: schema },
    ]);
  });

  it("takes the system prompt from whichever span has it, outermost first", () => {
    const agent = span("invoke_agent", {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.system_instructions": JSON.stringify([
        { type: "text", content: "You are a careful pharmacist." },
      ]),
    });
    const trace = build([
      agent,
      child(agent, "chat", {
        "gen_ai.input.messages": messages(["user", "Dose of ibuprofen?"]),
        "gen_ai.output.messages": messages(["assistant", "Up to 1,200 mg a day."]),
      }),
    ]);
    expect(trace.context).toMatchObject({ system_instructions: "You are a careful pharmacist." });
    expect(trace.input).toBe("Dose of ibuprofen?");
  });

  it.each<[string, SpanRecord["events"]]>([
    [
      "log-record bodies",
      [
        { name: "gen_ai.system.message", timeMs: 1, attributes: {}, body: { content: "Be brief." } },
        { name: "gen_ai.user.message", timeMs: 1, attributes: {}, body: { content: "Hi" } },
        { name: "gen_ai.assistant.message", timeMs: 1, attributes: {}, body: { content: "Hello!" } },
        { name: "gen_ai.user.message", timeMs: 1, attributes: {}, body: { content: "Dose?" } },
        { name: "gen_ai.choice", timeMs: 2, attributes: {}, body: { index: 1, message: { content: "B" } } },
        { name: "gen_ai.choice", timeMs: 2, attributes: {}, body: { index: 0, message: { content: "A" } } },
      ],
    ],
    [
      "span events with content attributes",
      [
        { name: "gen_ai.system.message", timeMs: 1, attributes: { content: "Be brief." } },
        { name: "gen_ai.user.message", timeMs: 1, attributes: { content: "Hi" } },
        { name: "gen_ai.assistant.message", timeMs: 1, attributes: { content: "Hello!" } },
        { name: "gen_ai.user.message", timeMs: 1, attributes: { content: "Dose?" } },
        { name: "gen_ai.choice", timeMs: 2, attributes: { index: 0, content: "A" } },
      ],
    ],
  ])("reads the event-based GenAI conventions from %s", (_label, events) => {
    const trace = build([span("chat gpt-4o", { "gen_ai.operation.name": "chat" }, { events })]);
    expect(trace).toMatchObject({
      input: "Dose?",
      output: "A",
      context: {
        system_instructions: "Be brief.",
        conversation: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello!" },
        ],
      },
    });
  });

  it("makes an incomplete trace when asked to, saying what is missing", () => {
    const result = traceFromSpans(TRACE_ID, [span("chat", { "gen_ai.request.model": "gpt-4o" })], {
      incomplete: true,
    });
    expect(result).toMatchObject({ ok: true, trace: { input: "", output: "", model: "gpt-4o" } });
    if (result.ok) expect(result.missing).toMatch(/has no span with an input/);
  });

  it("refuses, naming it, JSON nested too deep for the code that reads it, instead of overflowing the stack", () => {
    const deep = `[${'{"message":'.repeat(20_000)}{}${"}".repeat(20_000)}]`;
    for (const attributes of <Attributes[]>[
      { "gen_ai.input.messages": deep, "gen_ai.output.messages": messages(["assistant", "Hello"]) },
      { "input.value": "Hi", "gen_ai.output.messages": deep },
      {
        "input.value": "Hi",
        "gen_ai.output.messages": `[{"role":"assistant","parts":[{"type":"tool_call_response","response":${"[".repeat(20_000)}${"]".repeat(20_000)}}]}]`,
      },
    ]) {
      const result = traceFromSpans(TRACE_ID, [span("chat", attributes)]);
      expect(result).toMatchObject({ ok: false, missingContent: false });
      if (!result.ok)
        expect(result.reason).toMatch(
          /cannot be read: the JSON in gen_ai\.\w+\.messages.* deeper than 64 levels/,
        );
    }
  });

  it("refuses a __proto__ key in aegis.context or aegis.metadata rather than dropping it", () => {
    for (const attributes of <Attributes[]>[
      { "aegis.context": '{"__proto__":{"polluted":true},"ward":"B"}' },
      { "aegis.metadata": '{"team":"triage","__proto__":{"x":1}}' },
      { "aegis.metadata.__proto__": "x" },
    ]) {
      const result = traceFromSpans(TRACE_ID, [
        span("chat", { "input.value": "Hi", "output.value": "Hello", ...attributes }),
      ]);
      expect(result).toMatchObject({ ok: false, missingContent: false });
      if (!result.ok) expect(result.reason).toMatch(/__proto__.*not accepted/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a trace whose other fields are invalid while it still waits for its content", () => {
    const result = traceFromSpans(TRACE_ID, [span("chat", { "aegis.domain": "Not A Domain" })]);
    expect(result).toMatchObject({ ok: false, missingContent: false });
    if (!result.ok) expect(result.reason).toMatch(/is not a valid Aegis trace: domain/);
    expect(traceFromSpans(TRACE_ID, [span("chat", { "aegis.domain": "healthcare" })])).toMatchObject({
      ok: false,
      missingContent: true,
    });
  });
});
