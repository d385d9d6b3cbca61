// Turns the spans of one OpenTelemetry trace into one Aegis trace. It reads the GenAI semantic
// conventions (current: gen_ai.input.messages / gen_ai.output.messages / gen_ai.system_instructions,
// also when recorded on the gen_ai.client.inference.operation.details event; older: indexed
// gen_ai.prompt.N.* / gen_ai.completion.N.* and the gen_ai.content.* events), OpenInference
// (input.value, output.value, llm.input_messages.N.*, llm.token_count.*, retrieval.documents.N.*), the
// Vercel AI SDK's ai.* attributes, and `aegis.*` attributes, which set Aegis fields directly.
import { jsonValueProblem } from "../lib/json-value";
import {
  incompleteTraceSchema,
  type ToolCall,
  TRACE_LIMITS,
  type TraceInput,
  traceInputSchema,
} from "../schema/trace";
import type { Attributes, AttributeValue, SpanEvent, SpanRecord } from "./model";

export type TraceBuild =
  | {
      ok: true;
      trace: TraceInput;
      /** Made without its input or output (asked for with `incomplete`): why, for its status. */
      missing?: string;
    }
  /** `missingContent`: no input or output yet, which may still arrive (as log records). */
  | { ok: false; reason: string; missingContent: boolean };

interface Message {
  role: string;
  text: string;
}

interface SpanContent {
  input?: string;
  output?: string;
  system?: string;
  /** The other turns of the conversation the input came with. */
  conversation?: { role: string; content: string }[];
}

type JsonRecord = { [key: string]: AttributeValue };

const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: AttributeValue | undefined): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined;

const count = (value: AttributeValue | undefined): number | undefined => {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/**
 * JSON in an attribute that Aegis will neither read nor store (src/lib/json-value.ts: nested too
 * deep for the code that reads it, a `__proto__` key, text that is not valid Unicode, a number out
 * of range): the trace it belongs to is refused, naming the attribute, as the native API refuses
 * such a document.
 */
class UnreadableAttribute extends Error {
  override readonly name = "UnreadableAttribute";
}

/**
 * Instrumentations put structured content into string attributes as JSON; structured values pass
 * through (the OTLP decoders have bounded them already). `name` is the attribute's, for a refusal.
 */
function parsed(value: AttributeValue | undefined, name: string): AttributeValue | undefined {
  if (typeof value !== "string") return value;
  let json: AttributeValue;
  try {
    json = JSON.parse(value) as AttributeValue;
  } catch {
    return undefined;
  }
  const problem = jsonValueProblem(json);
  if (problem) {
    const at = problem.path.map((segment) => `[${JSON.stringify(segment)}]`).join("");
    throw new UnreadableAttribute(`the JSON in ${name}${at} ${problem.message}`);
  }
  return json;
}

/** Tool arguments and results: the JSON they hold when they hold some, else the text itself. */
const jsonOrText = (value: AttributeValue | undefined, name: string) =>
  typeof value === "string" ? (parsed(value, name) ?? value) : value;

/** The text of message content: a string, or the text parts of GenAI `parts` and OpenAI-style arrays. */
function contentText(content: AttributeValue | undefined): string {
  if (typeof content === "string") return content.trim();
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => {
      if (typeof part === "string") return part;
      if (!isRecord(part)) return "";
      if (part.type === "tool_call_response") {
        return typeof part.response === "string" ? part.response : JSON.stringify(part.response ?? null);
      }
      return part.type === undefined || part.type === "text"
        ? (text(part.content) ?? text(part.text) ?? "")
        : "";
    })
    .filter((piece) => piece.trim() !== "")
    .join("\n")
    .trim();
}

function messageOf(value: AttributeValue): Message | undefined {
  if (!isRecord(value)) return undefined;
  // Chat-completion choices wrap the message: {index, message: {role, content}, finish_reason}.
  if (isRecord(value.message)) return messageOf(value.message);
  return {
    role: typeof value.role === "string" ? value.role : "user",
    text: contentText(value.parts ?? value.content),
  };
}

function messageList(value: AttributeValue | undefined, name: string): Message[] | undefined {
  const list = parsed(value, name);
  if (!Array.isArray(list)) return undefined;
  const messages = list.flatMap((item) => messageOf(item) ?? []);
  return messages.length > 0 ? messages : undefined;
}

/** `prefix.N.rest` attributes (gen_ai.prompt.0.content, llm.input_messages.0.message.role) grouped by N, in order. */
function indexed(attributes: Attributes, prefix: string): Map<string, AttributeValue>[] {
  const items = new Map<number, Map<string, AttributeValue>>();
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const rest = key.slice(prefix.length + 1);
    const dot = rest.indexOf(".");
    const index = Number(rest.slice(0, dot));
    if (dot <= 0 || !Number.isInteger(index)) continue;
    const item = items.get(index) ?? new Map<string, AttributeValue>();
    items.set(index, item.set(rest.slice(dot + 1), value));
  }
  return [...items].sort(([a], [b]) => a - b).map(([, item]) => item);
}

function indexedMessages(attributes: Attributes, prefix: string, roleKey: string, contentKey: string) {
  const messages = indexed(attributes, prefix).map((item) => ({
    role: text(item.get(roleKey)) ?? "user",
    text: contentText(item.get(contentKey)),
  }));
  return messages.length > 0 ? messages : undefined;
}

const SYSTEM_ROLES = new Set(["system", "developer"]);

/** The input is the last user turn; system turns and the rest of the conversation are kept beside it. */
function inputFrom(messages: readonly Message[]): SpanContent {
  const turns = messages.filter((m) => !SYSTEM_ROLES.has(m.role) && m.text !== "");
  let index = turns.findLastIndex((m) => m.role === "user");
  if (index === -1) index = turns.length - 1;
  const system = messages
    .filter((m) => SYSTEM_ROLES.has(m.role) && m.text !== "")
    .map((m) => m.text)
    .join("\n\n");
  const conversation = turns.filter((_, i) => i !== index).map((m) => ({ role: m.role, content: m.text }));
  return {
    input: turns[index]?.text,
    system: system || undefined,
    conversation: conversation.length > 0 ? conversation : undefined,
  };
}

const outputText = (messages: readonly Message[] | undefined) => messages?.find((m) => m.text !== "")?.text;

/** Newer conventions may record the messages on an event instead of the span; the span's own attributes win. */
const CONTENT_EVENTS = new Set([
  "gen_ai.client.inference.operation.details",
  "gen_ai.content.prompt",
  "gen_ai.content.completion",
]);

function contentAttributes(span: SpanRecord): Attributes {
  const merged: Attributes = {};
  for (const event of span.events)
    if (CONTENT_EVENTS.has(event.name)) Object.assign(merged, event.attributes);
  return Object.assign(merged, span.attributes);
}

/** The message events of the event-based GenAI conventions, sent as span events or as log records. */
const MESSAGE_EVENT_ROLES: Readonly<Record<string, string>> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};

/** What an event says: its log record's body (an object, or the text itself), else its attributes. */
function eventFields(event: SpanEvent): JsonRecord {
  if (isRecord(event.body)) return event.body;
  if (typeof event.body === "string") return { ...event.attributes, content: event.body };
  return event.attributes;
}

/** The conversation as message events give it, in the order they were recorded. */
function eventMessages(span: SpanRecord): Message[] | undefined {
  const messages = span.events.flatMap((event) => {
    const role = MESSAGE_EVENT_ROLES[event.name];
    if (role === undefined) return [];
    const fields = eventFields(event);
    return [
      { role: text(fields.role) ?? role, text: contentText(fields.content ?? fields["gen_ai.prompt"]) },
    ];
  });
  return messages.length > 0 ? messages : undefined;
}

/** The answer of a `gen_ai.choice` event: the first choice (index 0) when several were recorded. */
function eventChoice(span: SpanRecord): string | undefined {
  const choices = span.events
    .filter((event) => event.name === "gen_ai.choice")
    .map((event) => eventFields(event))
    .sort((a, b) => (count(a.index) ?? 0) - (count(b.index) ?? 0));
  for (const choice of choices) {
    const message = isRecord(choice.message) ? choice.message : choice;
    const answer = contentText(message.content ?? choice["gen_ai.completion"]);
    if (answer !== "") return answer;
  }
  return undefined;
}

function spanContent(span: SpanRecord): SpanContent {
  const a = contentAttributes(span);
  const vercel = parsed(a["ai.prompt"], "ai.prompt");
  const vercelPrompt = isRecord(vercel) ? vercel : {};
  const messages =
    messageList(a["gen_ai.input.messages"], "gen_ai.input.messages") ??
    indexedMessages(a, "gen_ai.prompt", "role", "content") ??
    indexedMessages(a, "llm.input_messages", "message.role", "message.content") ??
    messageList(a["ai.prompt.messages"], "ai.prompt.messages") ??
    messageList(vercelPrompt.messages, "ai.prompt") ??
    messageList(a["gen_ai.prompt"], "gen_ai.prompt") ??
    eventMessages(span);
  const fromMessages = messages ? inputFrom(messages) : {};
  const instructions =
    parsed(a["gen_ai.system_instructions"], "gen_ai.system_instructions") ?? a["gen_ai.system_instructions"];
  const system = [contentText(instructions), contentText(vercelPrompt.system), fromMessages.system ?? ""]
    .filter((part) => part !== "")
    .join("\n\n");
  return {
    input:
      fromMessages.input ?? text(vercelPrompt.prompt) ?? text(a["input.value"]) ?? text(a["gen_ai.prompt"]),
    output:
      outputText(messageList(a["gen_ai.output.messages"], "gen_ai.output.messages")) ??
      outputText(indexedMessages(a, "gen_ai.completion", "role", "content")) ??
      outputText(indexedMessages(a, "llm.output_messages", "message.role", "message.content")) ??
      text(a["ai.response.text"]) ??
      text(a["output.value"]) ??
      outputText(messageList(a["gen_ai.completion"], "gen_ai.completion")) ??
      text(a["gen_ai.completion"]) ??
      eventChoice(span),
    system: system || undefined,
    conversation: fromMessages.conversation,
  };
}

function isToolSpan(span: SpanRecord): boolean {
  const a = span.attributes;
  return (
    a["gen_ai.operation.name"] === "execute_tool" ||
    a["openinference.span.kind"] === "TOOL" ||
    a["ai.toolCall.name"] !== undefined
  );
}

function toolCall(span: SpanRecord): ToolCall {
  const a = span.attributes;
  const name =
    text(a["gen_ai.tool.name"]) ?? text(a["tool.name"]) ?? text(a["ai.toolCall.name"]) ?? text(span.name);
  // OpenInference's tool.parameters is the tool's JSON schema; the call's arguments are its input.value.
  const definition = jsonOrText(a["tool.json_schema"] ?? a["tool.parameters"], "the tool's schema");
  return {
    name: (name ?? "tool").slice(0, 256),
    arguments: jsonOrText(
      a["gen_ai.tool.call.arguments"] ?? a["ai.toolCall.args"] ?? a["input.value"],
      "the tool call's arguments",
    ),
    result: jsonOrText(
      a["gen_ai.tool.call.result"] ?? a["ai.toolCall.result"] ?? a["output.value"],
      "the tool call's result",
    ),
    ...(definition === undefined || definition === null ? {} : { definition }),
  };
}

const INPUT_TOKENS = [
  "gen_ai.usage.input_tokens",
  "gen_ai.usage.prompt_tokens",
  "llm.token_count.prompt",
  "ai.usage.inputTokens",
  "ai.usage.promptTokens",
];
const OUTPUT_TOKENS = [
  "gen_ai.usage.output_tokens",
  "gen_ai.usage.completion_tokens",
  "llm.token_count.completion",
  "ai.usage.outputTokens",
  "ai.usage.completionTokens",
];
const MODEL = [
  "gen_ai.response.model",
  "gen_ai.request.model",
  "llm.model_name",
  "ai.response.model",
  "ai.model.id",
];
const PROVIDER = ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system", "ai.model.provider"];
const SESSION = ["gen_ai.conversation.id", "session.id"];
const USER = ["user.id", "enduser.id"];

const firstOf = (attributes: Attributes, keys: readonly string[]) =>
  keys.map((key) => attributes[key]).find((value) => value !== undefined && value !== null);

/**
 * Token usage summed over the spans that report it, skipping a span whose descendants report their
 * own (a wrapper such as ai.generateText repeats the usage of its inner model call).
 */
function usage(spans: readonly SpanRecord[]): TraceInput["usage"] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const reporting = spans.filter(
    (s) =>
      firstOf(s.attributes, INPUT_TOKENS) !== undefined || firstOf(s.attributes, OUTPUT_TOKENS) !== undefined,
  );
  const wrappers = new Set<string>();
  for (const span of reporting) {
    for (let p = span.parentSpanId, steps = 0; p !== null && steps < spans.length; steps++) {
      wrappers.add(p);
      p = byId.get(p)?.parentSpanId ?? null;
    }
  }
  let input: number | undefined;
  let output: number | undefined;
  for (const span of reporting) {
    if (wrappers.has(span.spanId)) continue;
    const i = count(firstOf(span.attributes, INPUT_TOKENS));
    const o = count(firstOf(span.attributes, OUTPUT_TOKENS));
    if (i !== undefined) input = (input ?? 0) + i;
    if (o !== undefined) output = (output ?? 0) + o;
  }
  return input === undefined && output === undefined
    ? undefined
    : { input_tokens: input, output_tokens: output };
}

function retrievedContexts(spans: readonly SpanRecord[]): TraceInput["retrieved_contexts"] {
  const contexts = spans.flatMap((span) =>
    indexed(span.attributes, "retrieval.documents").flatMap((doc) => {
      const content = text(doc.get("document.content"));
      if (content === undefined) return [];
      const id = doc.get("document.id");
      const score = doc.get("document.score");
      return [
        {
          content,
          ...(id !== undefined && id !== null ? { source: String(id) } : {}),
          ...(typeof score === "number" ? { relevance_score: score } : {}),
        },
      ];
    }),
  );
  return contexts.length > 0 ? contexts : undefined;
}

/** How many ancestors of each span arrived: 0 for the root and for spans whose parent is missing. */
function depths(spans: readonly SpanRecord[]): Map<string, number> {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const depth = new Map<string, number>();
  for (const span of spans) {
    let d = 0;
    for (let p = span.parentSpanId; p !== null && byId.has(p) && d < spans.length; d++) {
      p = byId.get(p)?.parentSpanId ?? null;
    }
    depth.set(span.spanId, d);
  }
  return depth;
}

/**
 * `aegis.metadata` / `aegis.context` as an object or JSON, merged with `aegis.metadata.<key>`
 * attributes. A `__proto__` key, which assignment would swallow, refuses the trace instead.
 */
function aegisObject(sources: readonly Attributes[], name: string): JsonRecord {
  const merged: JsonRecord = {};
  const set = (key: string, value: AttributeValue) => {
    if (key === "__proto__")
      throw new UnreadableAttribute(`aegis.${name} has the key __proto__, which is not accepted`);
    merged[key] = value;
  };
  // Outermost sources win, so merge from the innermost outwards.
  for (const attributes of [...sources].reverse()) {
    const whole = parsed(attributes[`aegis.${name}`], `aegis.${name}`);
    if (isRecord(whole)) for (const [key, value] of Object.entries(whole)) set(key, value);
    for (const [key, value] of Object.entries(attributes)) {
      if (key.startsWith(`aegis.${name}.`)) set(key.slice(name.length + 7), value);
    }
  }
  return merged;
}

function tags(value: AttributeValue | undefined): string[] | undefined {
  const list = typeof value === "string" ? (parsed(value, "aegis.tags") ?? value.split(",")) : value;
  if (!Array.isArray(list)) return undefined;
  const names = list.flatMap((tag) => (typeof tag === "string" && tag.trim() !== "" ? [tag.trim()] : []));
  return names.length > 0 ? names : undefined;
}

const nonEmpty = (record: JsonRecord) => (Object.keys(record).length > 0 ? record : undefined);

const CONTENT_SOURCES =
  "gen_ai.input.messages / gen_ai.output.messages, gen_ai.prompt.N.* / gen_ai.completion.N.*, " +
  "input.value / output.value, ai.prompt / ai.response.text, or aegis.input / aegis.output";

/**
 * The Aegis trace for the spans of one OpenTelemetry trace (client id: the OTel trace id). Fields come
 * from the outermost span that has them: the root first, then LLM and agent spans by depth and start;
 * the output from the outermost, latest-ending span that has one. Tool spans become tool_calls.
 */
export function traceFromSpans(
  traceId: string,
  spans: readonly SpanRecord[],
  options: { incomplete?: boolean } = {},
): TraceBuild {
  try {
    return buildTrace(traceId, spans, options);
  } catch (error) {
    if (!(error instanceof UnreadableAttribute)) throw error;
    return { ok: false, reason: `trace ${traceId} cannot be read: ${error.message}`, missingContent: false };
  }
}

function buildTrace(
  traceId: string,
  spans: readonly SpanRecord[],
  options: { incomplete?: boolean },
): TraceBuild {
  const depth = depths(spans);
  const ordered = [...spans].sort(
    (a, b) =>
      (depth.get(a.spanId) ?? 0) - (depth.get(b.spanId) ?? 0) ||
      Number(b.isRoot) - Number(a.isRoot) ||
      a.startMs - b.startMs,
  );
  const root = ordered[0];
  if (!root) return { ok: false, reason: `trace ${traceId} has no spans`, missingContent: false };
  const sources = [...ordered.map((s) => s.attributes), ...new Set(ordered.map((s) => s.resource))];
  const aegis = (field: string) => sources.map((a) => a[`aegis.${field}`]).find((v) => v !== undefined);
  const first = (keys: readonly string[]) =>
    sources.map((a) => firstOf(a, keys)).find((v) => v !== undefined);

  const contents = ordered
    .filter((s) => !isToolSpan(s))
    .map((span) => ({ span, content: spanContent(span) }));
  const inputSpan = contents.find((c) => c.content.input !== undefined)?.content;
  const outputSpan = contents
    .filter((c) => c.content.output !== undefined)
    .sort(
      (a, b) =>
        (depth.get(a.span.spanId) ?? 0) - (depth.get(b.span.spanId) ?? 0) || b.span.endMs - a.span.endMs,
    )[0]?.content;
  const input = text(aegis("input")) ?? inputSpan?.input;
  const output = text(aegis("output")) ?? outputSpan?.output;
  const missing =
    input === undefined || output === undefined
      ? `trace ${traceId} has no span with ${input === undefined ? "an input" : "an output"} (${CONTENT_SOURCES})`
      : undefined;
  // The system prompt may be on any span (an agent's, while the input is on its model call's).
  const system = contents.find((c) => c.content.system !== undefined)?.content.system;

  const tools = ordered
    .filter(isToolSpan)
    .sort((a, b) => a.startMs - b.startMs)
    .map(toolCall);
  const provider = first(PROVIDER);
  const operation = first(["gen_ai.operation.name"]);
  const agent = first(["gen_ai.agent.name"]);
  const service = root.resource["service.name"];
  const costUsd = aegis("cost_usd");
  const candidate: TraceInput = {
    id: traceId,
    domain: text(aegis("domain")),
    application_type: text(aegis("application_type")),
    application_id: text(aegis("application_id")),
    model: text(aegis("model")) ?? text(first(MODEL)),
    input: input ?? "",
    output: output ?? "",
    session_id: text(aegis("session_id")) ?? text(first(SESSION)),
    user_id: text(aegis("user_id")) ?? text(first(USER)),
    tags: tags(aegis("tags") ?? first(["tag.tags"])),
    metadata: nonEmpty({
      ...(typeof service === "string" ? { service_name: service } : {}),
      ...(typeof provider === "string" ? { provider } : {}),
      ...(typeof operation === "string" ? { operation } : {}),
      ...(typeof agent === "string" ? { agent_name: agent } : {}),
      ...aegisObject(sources, "metadata"),
    }),
    context: nonEmpty({
      ...aegisObject(sources, "context"),
      ...(system === undefined ? {} : { system_instructions: system }),
      ...(inputSpan?.conversation === undefined ? {} : { conversation: inputSpan.conversation }),
    }),
    retrieved_contexts: retrievedContexts(ordered),
    tool_calls: tools.length > 0 ? tools : undefined,
    usage: usage(spans),
    latency_ms: Math.max(0, Math.round((root.endMs - root.startMs) * 1000) / 1000),
    cost_usd: typeof costUsd === "number" ? costUsd : undefined,
    timestamp: root.startMs > 0 ? new Date(root.startMs).toISOString() : undefined,
  };
  const result = (missing === undefined ? traceInputSchema : incompleteTraceSchema).safeParse(candidate);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join(".") || "(trace)"}: ${issue.message}`,
    );
    return {
      ok: false,
      reason: `trace ${traceId} is not a valid Aegis trace: ${problems.join(", ")}`,
      missingContent: false,
    };
  }
  const bytes = new TextEncoder().encode(JSON.stringify(result.data)).length;
  if (bytes > TRACE_LIMITS.singleBodyBytes) {
    return {
      ok: false,
      reason: `trace ${traceId} is ${bytes} bytes as JSON, over the ${TRACE_LIMITS.singleBodyBytes} a trace may have`,
      missingContent: false,
    };
  }
  // Checked before it waits for its content: what arrives later adds content, and cannot mend the
  // other fields, so a trace they make invalid is refused now, while its sender still hears of it.
  if (missing !== undefined && !options.incomplete)
    return { ok: false, reason: missing, missingContent: true };
  return missing === undefined ? { ok: true, trace: result.data } : { ok: true, trace: result.data, missing };
}
