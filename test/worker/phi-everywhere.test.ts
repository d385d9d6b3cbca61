// Property: with PHI redaction on ("mask", "pseudonymize", "redact"), one policy covers the whole trace
// (native and OTLP: every string value and every object key at any depth, numbers under identifier-like
// keys) before anything is written, indexed, published or audited. fast-check plants distinctive
// identifiers at random places of native traces and OTLP span sets; each run ingests them for a fresh
// organization, has them evaluated by the queue consumer, and then looks for every planted value in every
// API response (traces, list, search, similar, clusters, audit, analytics, dead letters, evaluations),
// in the live feed's replay, in the OrgHub's stored events and in every column of every row of every D1
// table. Identifiers the client needs verbatim (client id, session_id, model) must keep working when the
// client gives them raw. A failing run lists every leak it saw: the planted value, where it was planted,
// where it was found, and an excerpt.
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type Attributes, type SpanStatus, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { describe, it } from "vitest";
import worker from "../../src/index";
import type { EvaluationMessage } from "../../src/queue/messages";
import {
  CONTENT_TYPES,
  type OtlpEncoding,
  otlpBody,
  otlpResponse,
  recordSpans,
  type SpanSpec,
} from "../support/otel";
import {
  call,
  createOrg,
  deliverEvaluations,
  type QueueRecorder,
  recordingQueue,
  type TestOrg,
} from "./helpers";
import { hubOf, SseReader } from "./live-helpers";

const MODES = ["mask", "pseudonymize", "redact"] as const;
type Mode = (typeof MODES)[number];

/** Runs per mode; a fixed seed per mode, so a failure reproduces (change them to explore further). */
const RUNS_PER_MODE = 10;
const SEEDS: Record<Mode, number> = { mask: 20261101, pseudonymize: 20261102, redact: 20261103 };

// ---------------------------------------------------------------------------------------------------
// The planted values: distinctive identifiers that cannot collide with anything else in the system.
// ---------------------------------------------------------------------------------------------------

/** Text that must never be seen again; a `digits` secret only as a whole number, not inside a longer one. */
interface Secret {
  value: string;
  digits: boolean;
}

interface PhiText {
  kind: "email" | "phone" | "ssn" | "mrn";
  text: string;
  secrets: Secret[];
}

const ID_KEYS = ["ssn", "mrn", "phone", "dob"] as const;
type IdKey = (typeof ID_KEYS)[number];

/** A bare JSON number under an identifier-like key, {"ssn": 123456789}: its digits are the secret. */
interface BareNumber {
  kind: "number";
  key: IdKey;
  value: number;
  secrets: Secret[];
}

type Planted = PhiText | BareNumber;

// Unbiased: fast-check's bias towards bounds and "dangerous" strings would plant the same few values
// (1000000, 001-01-0001, "apply"...) again and again, and those can match unrelated text.
const int = (min: number, max: number) => fc.noBias(fc.integer({ min, max }));
const lowerWord = (min: number, max: number) =>
  fc.noBias(
    fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), minLength: min, maxLength: max }),
  );
const pad = (n: number, width: number) => String(n).padStart(width, "0");
/** NANP area codes and exchanges: 201-989, never N11. */
const nanp = int(201, 989).filter((n) => n % 100 !== 11);

const email: fc.Arbitrary<PhiText> = fc
  .tuple(lowerWord(5, 8), lowerWord(5, 8), int(10, 99), lowerWord(5, 9), fc.constantFrom("com", "org", "net"))
  .map(([first, last, n, host, tld]) => {
    const text = `${first}.${last}${n}@${host}.${tld}`;
    return { kind: "email", text, secrets: [{ value: text, digits: false }] };
  });

/** Toll-free area codes belong to organisations (hotlines, poison control), never to a patient. */
const TOLL_FREE = new Set([800, 833, 844, 855, 866, 877, 888]);

/** (415) 555-0134 or 415-555-0134; the subscriber part alone identifies the line too. */
const phone: fc.Arbitrary<PhiText> = fc
  .record({
    area: nanp.filter((n) => !TOLL_FREE.has(n)),
    exchange: nanp,
    line: int(0, 9999),
    parens: fc.boolean(),
  })
  .map(({ area, exchange, line, parens }) => {
    const subscriber = `${exchange}-${pad(line, 4)}`;
    const text = parens ? `(${area}) ${subscriber}` : `${area}-${subscriber}`;
    return {
      kind: "phone",
      text,
      secrets: [
        { value: text, digits: false },
        { value: subscriber, digits: false },
      ],
    };
  });

/** Valid SSNs: area 001-899 except 666, group 01-99, serial 0001-9999. */
const ssn: fc.Arbitrary<PhiText> = fc
  .record({
    area: int(1, 899).filter((n) => n !== 666),
    group: int(1, 99),
    serial: int(1, 9999),
  })
  .map(({ area, group, serial }) => {
    const text = `${pad(area, 3)}-${pad(group, 2)}-${pad(serial, 4)}`;
    return { kind: "ssn", text, secrets: [{ value: text, digits: false }] };
  });

/** "MRN 4471203": the record number is the secret. */
const mrn: fc.Arbitrary<PhiText> = fc
  .tuple(fc.constantFrom("MRN ", "MRN: "), int(1_000_000, 99_999_999))
  .map(([prefix, n]) => ({
    kind: "mrn",
    text: `${prefix}${n}`,
    secrets: [{ value: String(n), digits: true }],
  }));

const phiText: fc.Arbitrary<PhiText> = fc.oneof(email, phone, ssn, mrn);

function numberUnder(key: IdKey): fc.Arbitrary<number> {
  switch (key) {
    case "ssn":
      return int(100_000_000, 899_999_999).filter((n) => Math.floor(n / 1e6) !== 666);
    case "mrn":
      return int(1_000_000, 99_999_999);
    case "phone":
      return fc.tuple(nanp, nanp, int(0, 9999)).map(([a, e, l]) => a * 1e7 + e * 1e4 + l);
    case "dob":
      return fc.tuple(int(1930, 2005), int(1, 12), int(1, 28)).map(([y, m, d]) => y * 10_000 + m * 100 + d);
  }
}

const bareNumber: fc.Arbitrary<BareNumber> = fc.constantFrom(...ID_KEYS).chain((key) =>
  numberUnder(key).map(
    (value): BareNumber => ({
      kind: "number",
      key,
      value,
      secrets: [{ value: String(value), digits: true }],
    }),
  ),
);

/** Words put before a planted value ("reach me at jane.doe@...") and used for nesting: nothing identifying. */
const filler = fc.constantFrom("reach me at", "on file:", "callback", "contact", "sent to", "ref");
const PATH_WORDS = ["visit", "history", "notes", "items", "details", "extra", "record", "entries", "prior"];

interface TextPlant {
  filler: string;
  phi: PhiText;
}
const textPlant: fc.Arbitrary<TextPlant> = fc.record({ filler, phi: phiText });
const plantedText = (p: TextPlant) => `${p.filler} ${p.phi.text}`;

/** Where in a JSON document a value goes: a string value, an object key, or a number under an id key. */
type Leaf =
  | { kind: "value"; filler: string; phi: PhiText }
  | { kind: "key"; filler: string; phi: PhiText }
  | { kind: "number"; phi: BareNumber };

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({ kind: fc.constant("value" as const), filler, phi: phiText }),
  fc.record({ kind: fc.constant("key" as const), filler, phi: phiText }),
  fc.record({ kind: fc.constant("number" as const), phi: bareNumber }),
);

/** A leaf at a path of object keys and array positions (0 = inside a one-element array). */
interface JsonPlant {
  leaf: Leaf;
  path: (string | 0)[];
}
const jsonPlant: fc.Arbitrary<JsonPlant> = fc.record({
  leaf,
  path: fc.array(fc.oneof(fc.constantFrom(...PATH_WORDS), fc.constant(0 as const)), { maxLength: 3 }),
});

function leafValue(l: Leaf): unknown {
  switch (l.kind) {
    case "value":
      return `${l.filler} ${l.phi.text}`;
    case "key":
      return { [`${l.filler} ${l.phi.text}`]: "on file" };
    case "number":
      return { [l.phi.key]: l.phi.value };
  }
}

const nestedValue = (p: JsonPlant): unknown =>
  p.path.reduceRight<unknown>(
    (inner, segment) => (segment === 0 ? [inner] : { [segment]: inner }),
    leafValue(p.leaf),
  );

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The plant as an object to merge into a field that must be one. */
function asObject(value: unknown, key = "note"): Record<string, unknown> {
  if (value === undefined) return {};
  return isRecord(value) ? value : { [key]: value };
}

function describeLeaf(p: JsonPlant): string {
  const path = p.path.map((s) => (s === 0 ? "[0]" : `.${s}`)).join("");
  const l = p.leaf;
  if (l.kind === "value") return `${path} (string value)`;
  if (l.kind === "key") return `${path}{"${l.filler} …"} (object key)`;
  return `${path}.${l.phi.key} (bare number)`;
}

// ---------------------------------------------------------------------------------------------------
// Native traces
// ---------------------------------------------------------------------------------------------------

const NATIVE_TEXT_SLOTS = [
  "input",
  "tags",
  "tool_calls[].name",
  "retrieved_contexts[].source",
  "retrieved_contexts[].content",
  "reasoning_steps[] (text)",
  "agents[].agent",
  "agents[].role",
  "agents[].content",
  "agents[].to",
  "counterfactuals[].input",
  "counterfactuals[].output",
  "rl_episode.policy.name",
  "rl_episode.steps[].action",
  "session_id",
  "user_id",
  "application_id",
  "application_type",
  "model",
  "id (client id)",
] as const;
type NativeTextSlot = (typeof NATIVE_TEXT_SLOTS)[number];

const NATIVE_JSON_SLOTS = [
  "metadata",
  "tool_calls[].arguments",
  "tool_calls[].arguments (JSON text)",
  "tool_calls[].result",
  "tool_calls[].result (JSON text)",
  "context.patient",
  "context (free keys)",
  "reasoning_steps[] (object)",
  "rl_episode.steps[].state",
  "rl_episode.steps[].info",
] as const;
type NativeJsonSlot = (typeof NATIVE_JSON_SLOTS)[number];

interface NativePlan {
  marker: string;
  toolMarker: string;
  output: TextPlant;
  toAsList: boolean;
  text: Partial<Record<NativeTextSlot, TextPlant>>;
  json: Partial<Record<NativeJsonSlot, JsonPlant>>;
}

/** A slot is planted with probability 1 - 1/freq; the output always (so phi.leak has something to find). */
const sometimes = <T>(arb: fc.Arbitrary<T>, freq: number) => fc.option(arb, { nil: undefined, freq });

/** A value for some of the slots: with `freq` 2 each is planted in half of the plans, with 4 in three quarters. */
function slotRecord<K extends string, T>(slots: readonly K[], arb: fc.Arbitrary<T>, freq = 2) {
  return fc.tuple(...slots.map(() => sometimes(arb, freq))).map((values) => {
    const out: Partial<Record<K, T>> = {};
    slots.forEach((slot, i) => {
      const value = values[i];
      if (value !== undefined) out[slot] = value;
    });
    return out;
  });
}

const marker = lowerWord(8, 10).map((w) => `zq${w}`);

const nativePlan: fc.Arbitrary<NativePlan> = fc.record({
  marker,
  toolMarker: marker,
  output: textPlant,
  toAsList: fc.boolean(),
  text: slotRecord(NATIVE_TEXT_SLOTS, textPlant),
  json: slotRecord(NATIVE_JSON_SLOTS, jsonPlant),
});

/** Long enough that two outputs differing only in the planted part are near-duplicates (similarity). */
const ANSWER =
  "For adults, 200 to 400 mg of ibuprofen every 4 to 6 hours as needed, up to 1,200 mg a day without a " +
  "prescription. Take it with food or milk to protect the stomach, drink plenty of water, and stop if you " +
  "notice black stools, vomiting blood or a rash. Do not combine it with other anti-inflammatory medicines " +
  "such as naproxen or aspirin. If the headache lasts more than three days, gets worse, or comes with a " +
  "fever or a stiff neck, see a doctor promptly. A dosing summary was";

const question = (m: string) => `case ${m}: my head hurts, what dose of ibuprofen is safe for me?`;

/** Where a value was planted, for the report. */
interface Placement {
  where: string;
  phi: Planted;
}

interface Built {
  body: Record<string, unknown>;
  placements: Placement[];
  clientId: string;
  sessionId: string | undefined;
  model: string | undefined;
  marker: string;
  toolMarker: string;
}

function buildNative(plan: NativePlan): Built {
  const placements: Placement[] = [];
  const text = (slot: NativeTextSlot): string | undefined => {
    const p = plan.text[slot];
    if (!p) return undefined;
    placements.push({ where: slot, phi: p.phi });
    return plantedText(p);
  };
  const json = (slot: NativeJsonSlot): unknown => {
    const p = plan.json[slot];
    if (!p) return undefined;
    placements.push({ where: `${slot}${describeLeaf(p)}`, phi: p.leaf.phi });
    return nestedValue(p);
  };
  const withText = (base: string, slot: NativeTextSlot) => {
    const planted = text(slot);
    return planted === undefined ? base : `${base} ${planted}`;
  };

  placements.push({ where: "output", phi: plan.output.phi });
  const clientId = text("id (client id)") ?? `case-${plan.marker}`;
  const sessionId = text("session_id");
  const model = text("model");
  const toolCalls: Record<string, unknown>[] = [
    {
      name: withText(`lookup ${plan.toolMarker}`, "tool_calls[].name"),
      arguments: { query: `ibuprofen ${plan.toolMarker}`, ...asObject(json("tool_calls[].arguments")) },
      result: { max_daily_mg: 1200, ...asObject(json("tool_calls[].result")) },
    },
  ];
  const argumentsText = json("tool_calls[].arguments (JSON text)");
  const resultText = json("tool_calls[].result (JSON text)");
  if (argumentsText !== undefined || resultText !== undefined) {
    toolCalls.push({
      name: "fetch_record",
      arguments: JSON.stringify({ record: "r1", ...asObject(argumentsText) }),
      result: JSON.stringify({ status: "ok", ...asObject(resultText) }),
    });
  }
  const reasoningText = text("reasoning_steps[] (text)");
  const reasoningObject = json("reasoning_steps[] (object)");
  const to = text("agents[].to");
  const body: Record<string, unknown> = {
    id: clientId,
    domain: "healthcare",
    model: model ?? "gpt-4o",
    input: withText(question(plan.marker), "input"),
    output: `${ANSWER} ${plantedText(plan.output)}.`,
    session_id: sessionId ?? `sess-${plan.marker}`,
    user_id: text("user_id") ?? "user-7",
    application_id: text("application_id") ?? "triage-app",
    application_type: text("application_type") ?? "clinical_support",
    tags: ["triage", ...[text("tags")].filter((t) => t !== undefined)],
    metadata: { channel: "web", ...asObject(json("metadata")) },
    context: {
      patient: { age: 54, ...asObject(json("context.patient")) },
      ...asObject(json("context (free keys)"), "notes"),
    },
    retrieved_contexts: [
      {
        source: text("retrieved_contexts[].source") ?? "formulary",
        content: withText(
          "Ibuprofen: at most 1,200 mg a day over the counter.",
          "retrieved_contexts[].content",
        ),
        relevance_score: 0.9,
      },
    ],
    tool_calls: toolCalls,
    reasoning_steps: [
      "checked the over-the-counter limit",
      ...(reasoningText === undefined ? [] : [reasoningText]),
      ...(reasoningObject === undefined ? [] : [asObject(reasoningObject)]),
    ],
    agents: [
      {
        agent: withText("triage", "agents[].agent"),
        role: text("agents[].role") ?? "nurse",
        content: withText("handed the question over", "agents[].content"),
        to: to === undefined ? "pharmacist" : plan.toAsList ? ["pharmacist", to] : to,
      },
      { agent: "pharmacist", role: "reviewer", content: "confirmed the dose", to: "triage" },
    ],
    counterfactuals: [
      {
        input: withText("and for a child of 30 kg?", "counterfactuals[].input"),
        output: withText("about 300 mg, ask a pharmacist", "counterfactuals[].output"),
      },
    ],
    rl_episode: {
      policy: { name: withText("dosing-policy", "rl_episode.policy.name"), version: "1" },
      steps: [
        {
          state: json("rl_episode.steps[].state") ?? { pain: 6 },
          action: withText("recommend", "rl_episode.steps[].action"),
          reward: 1,
          done: true,
          info: { step: 1, ...asObject(json("rl_episode.steps[].info")) },
        },
      ],
    },
    usage: { input_tokens: 21, output_tokens: 80 },
    latency_ms: 840,
  };
  return {
    body,
    placements,
    clientId,
    sessionId,
    model,
    marker: plan.marker,
    toolMarker: plan.toolMarker,
  };
}

// ---------------------------------------------------------------------------------------------------
// OTLP span sets
// ---------------------------------------------------------------------------------------------------

const SPANS = ["root", "chat", "tool"] as const;
type SpanName = (typeof SPANS)[number];
const spanName = fc.constantFrom(...SPANS);

const OTLP_TEXT_SLOTS = [
  "span name",
  "user.id / enduser.id",
  "session.id / gen_ai.conversation.id",
  "aegis.tags",
  "resource service.name",
  "gen_ai.agent.name",
  "gen_ai.request.model",
  "gen_ai.input.messages content",
  "gen_ai.input.messages earlier turn",
  "gen_ai.system_instructions",
  "gen_ai.tool.name",
  "event name",
  "status message",
] as const;
type OtlpTextSlot = (typeof OTLP_TEXT_SLOTS)[number];

/** Flat attribute sets: a value, a key, or a number under an identifier key. */
const OTLP_LEAF_SLOTS = [
  "aegis.metadata.<key>",
  "span attribute",
  "event attribute",
  "resource attribute",
] as const;
type OtlpLeafSlot = (typeof OTLP_LEAF_SLOTS)[number];

/** Attributes holding JSON documents. */
const OTLP_JSON_SLOTS = ["gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "aegis.context"] as const;
type OtlpJsonSlot = (typeof OTLP_JSON_SLOTS)[number];

interface OtlpPlan {
  marker: string;
  toolMarker: string;
  encoding: OtlpEncoding;
  split: boolean;
  output: TextPlant;
  text: Partial<Record<OtlpTextSlot, { plant: TextPlant; span: SpanName; variant: number }>>;
  leaves: Partial<Record<OtlpLeafSlot, { leaf: Leaf; span: SpanName }>>;
  json: Partial<Record<OtlpJsonSlot, JsonPlant>>;
}

const otlpPlan: fc.Arbitrary<OtlpPlan> = fc.record({
  marker,
  toolMarker: marker,
  encoding: fc.constantFrom<OtlpEncoding>("json", "protobuf"),
  split: fc.boolean(),
  output: textPlant,
  // One OTel trace per run against three native ones: its slots are planted more often.
  text: slotRecord(OTLP_TEXT_SLOTS, fc.record({ plant: textPlant, span: spanName, variant: int(0, 2) }), 4),
  leaves: slotRecord(OTLP_LEAF_SLOTS, fc.record({ leaf, span: spanName }), 4),
  json: slotRecord(OTLP_JSON_SLOTS, jsonPlant, 4),
});

/** A flat attribute set holding the leaf. */
function leafAttributes(l: Leaf, valueKey: string): Attributes {
  if (l.kind === "value") return { [valueKey]: `${l.filler} ${l.phi.text}` };
  if (l.kind === "key") return { [`${valueKey}.${l.filler} ${l.phi.text}`]: "on file" };
  return { [l.phi.key]: l.phi.value };
}

interface BuiltOtlp extends Omit<Built, "body" | "clientId"> {
  spans: ReadableSpan[];
  traceId: string;
  encoding: OtlpEncoding;
  split: boolean;
}

/** The span tree and resource of an OTLP plan, and where its values were planted. */
function otlpLayout(plan: OtlpPlan) {
  const placements: Placement[] = [{ where: "gen_ai.output.messages content", phi: plan.output.phi }];
  const attributes: Record<SpanName, Attributes> = {
    root: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "triage" },
    chat: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.usage.input_tokens": 21,
      "gen_ai.usage.output_tokens": 80,
    },
    tool: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": `lookup ${plan.toolMarker}` },
  };
  const names: Record<SpanName, string> = {
    root: "invoke_agent triage",
    chat: "chat gpt-4o",
    tool: "execute_tool lookup",
  };
  const events: Record<SpanName, { name: string; attributes?: Attributes }[]> = {
    root: [],
    chat: [],
    tool: [],
  };
  const statuses: Partial<Record<SpanName, SpanStatus>> = {};
  const resource: Attributes = { "service.name": "triage-bot", "aegis.domain": "healthcare" };

  /** A text slot's value, on the span fast-check chose unless the slot has its own place. */
  const text = (slot: OtlpTextSlot, fixed?: SpanName | "resource") => {
    const p = plan.text[slot];
    if (!p) return undefined;
    const at = fixed === "resource" ? "resource" : `${fixed ?? p.span} span`;
    placements.push({ where: `${slot} (on the ${at})`, phi: p.plant.phi });
    return { value: plantedText(p.plant), span: p.span, variant: p.variant };
  };
  const json = (slot: OtlpJsonSlot) => {
    const p = plan.json[slot];
    if (!p) return {};
    placements.push({ where: `${slot} JSON${describeLeaf(p)}`, phi: p.leaf.phi });
    return asObject(nestedValue(p));
  };

  const name = text("span name");
  if (name) names[name.span] = `${names[name.span]} ${name.value}`;
  const user = text("user.id / enduser.id");
  if (user) attributes[user.span][user.variant === 0 ? "enduser.id" : "user.id"] = user.value;
  const session = text("session.id / gen_ai.conversation.id");
  if (session)
    attributes[session.span][session.variant === 0 ? "gen_ai.conversation.id" : "session.id"] = session.value;
  const tags = text("aegis.tags");
  if (tags) {
    const list = ["triage", tags.value];
    attributes[tags.span]["aegis.tags"] =
      tags.variant === 0 ? list : tags.variant === 1 ? JSON.stringify(list) : list.join(",");
  }
  const service = text("resource service.name", "resource");
  if (service) resource["service.name"] = `triage-bot ${service.value}`;
  const agent = text("gen_ai.agent.name", "root");
  if (agent) attributes.root["gen_ai.agent.name"] = `triage ${agent.value}`;
  const model = text("gen_ai.request.model", "chat");
  attributes.chat["gen_ai.request.model"] = model ? `gpt-4o ${model.value}` : "gpt-4o";
  if (!model) attributes.chat["gen_ai.response.model"] = "gpt-4o-2024-08-06";
  const input = text("gen_ai.input.messages content", "chat");
  const earlier = text("gen_ai.input.messages earlier turn", "chat");
  const system = text("gen_ai.system_instructions", "chat");
  const turn = (role: string, content: string) => ({ role, parts: [{ type: "text", content }] });
  attributes.chat["gen_ai.input.messages"] = JSON.stringify([
    ...(earlier ? [turn("user", `earlier question, ${earlier.value}`), turn("assistant", "noted")] : []),
    turn("user", input ? `${question(plan.marker)} ${input.value}` : question(plan.marker)),
  ]);
  attributes.chat["gen_ai.output.messages"] = JSON.stringify([
    { ...turn("assistant", `${ANSWER} ${plantedText(plan.output)}.`), finish_reason: "stop" },
  ]);
  if (system)
    attributes.chat["gen_ai.system_instructions"] = JSON.stringify([
      { type: "text", content: `You are a triage nurse; escalate to ${system.value}.` },
    ]);
  const toolName = text("gen_ai.tool.name", "tool");
  if (toolName) attributes.tool["gen_ai.tool.name"] = `lookup ${plan.toolMarker} ${toolName.value}`;
  attributes.tool["gen_ai.tool.call.arguments"] = JSON.stringify({
    query: `ibuprofen ${plan.toolMarker}`,
    ...json("gen_ai.tool.call.arguments"),
  });
  attributes.tool["gen_ai.tool.call.result"] = JSON.stringify({
    max_daily_mg: 1200,
    ...json("gen_ai.tool.call.result"),
  });
  const context = json("aegis.context");
  if (Object.keys(context).length > 0) attributes.root["aegis.context"] = JSON.stringify(context);
  const eventName = text("event name");
  if (eventName) events[eventName.span].push({ name: `audit ${eventName.value}` });
  const status = text("status message");
  if (status)
    statuses[status.span] = { code: SpanStatusCode.ERROR, message: `upstream refused ${status.value}` };

  for (const slot of OTLP_LEAF_SLOTS) {
    const p = plan.leaves[slot];
    if (!p) continue;
    const l = p.leaf;
    const kind = l.kind === "number" ? `.${l.phi.key} (bare number)` : ` (${l.kind})`;
    const at = slot === "resource attribute" ? "the resource" : `the ${p.span} span`;
    placements.push({ where: `${slot}${kind} on ${at}`, phi: l.phi });
    switch (slot) {
      case "aegis.metadata.<key>":
        Object.assign(attributes[p.span], prefixed("aegis.metadata.", leafAttributes(l, "note")));
        break;
      case "span attribute":
        Object.assign(attributes[p.span], leafAttributes(l, "app.note"));
        break;
      case "event attribute":
        events[p.span].push({ name: "audit.note", attributes: leafAttributes(l, "note") });
        break;
      case "resource attribute":
        Object.assign(resource, leafAttributes(l, "deployment.owner"));
        break;
    }
  }

  const spec = (span: SpanName): SpanSpec => ({
    name: names[span],
    attributes: attributes[span],
    events: events[span],
    ...(statuses[span] ? { status: statuses[span] } : {}),
  });
  return {
    root: { ...spec("root"), children: [spec("tool"), spec("chat")] },
    resource,
    placements,
    sessionId: session?.value,
    model: model ? `gpt-4o ${model.value}` : undefined,
  };
}

function buildOtlp(plan: OtlpPlan): BuiltOtlp {
  const { root, resource, ...layout } = otlpLayout(plan);
  const spans = recordSpans(root, resource);
  return {
    ...layout,
    spans,
    traceId: spans[0]?.spanContext().traceId ?? "",
    encoding: plan.encoding,
    split: plan.split,
    marker: plan.marker,
    toolMarker: plan.toolMarker,
  };
}

function prefixed(prefix: string, attrs: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`${prefix}${k}`, v]));
}

// ---------------------------------------------------------------------------------------------------
// What the system shows: every response, the live feed, every D1 cell
// ---------------------------------------------------------------------------------------------------

interface Source {
  label: string;
  text: string;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely; each use is checked
type Loose = any;

class Observed {
  readonly sources: Source[] = [];
  readonly problems: string[] = [];

  /** Reads and keeps a response (headers and body); answers its status and JSON body, if any. */
  async keep(label: string, response: Response): Promise<{ status: number; body: Loose; bytes: Uint8Array }> {
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
    this.sources.push({ label: `${label} (${response.status})`, text: `${headers}\n\n${text}` });
    let body: Loose;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body, bytes };
  }

  async get(key: string, path: string, headers: Record<string, string> = {}) {
    return this.keep(`GET ${path}`, await call("GET", path, { key, headers }));
  }

  check(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean")
    return String(value);
  if (value instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(value));
  if (ArrayBuffer.isView(value))
    return new TextDecoder().decode(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  if (Array.isArray(value) && value.every((b) => typeof b === "number"))
    return new TextDecoder().decode(Uint8Array.from(value as number[]));
  return JSON.stringify(value);
}

/** Every column of every row of every table in D1, blobs decoded as UTF-8. */
async function scanD1(observed: Observed): Promise<void> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all<{
    name: string;
  }>();
  for (const { name } of tables.results) {
    let rows: Record<string, unknown>[];
    try {
      rows = (await env.DB.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all()).results;
    } catch (error) {
      // D1's own bookkeeping (_cf_*) may refuse reads; anything of Aegis's may not.
      observed.check(name.startsWith("_cf_"), `D1 table ${name} could not be read: ${String(error)}`);
      continue;
    }
    const columns = new Map<string, string[]>();
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        const list = columns.get(column) ?? [];
        list.push(cellText(value));
        columns.set(column, list);
      }
    }
    for (const [column, cells] of columns)
      observed.sources.push({ label: `D1 ${name}.${column}`, text: cells.join("\n") });
  }
}

/** Every row of the organization's OrgHub (the live feed's Durable Object), as it keeps events for replay. */
async function scanHub(orgId: string, observed: Observed): Promise<void> {
  const tables = await runInDurableObject(hubOf(orgId), (_hub, state) => {
    const sql = state.storage.sql;
    const names = sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type='table'")
      .toArray()
      .map((row) => row.name)
      .filter((name) => !name.startsWith("_cf_") && !name.startsWith("sqlite_"));
    return names.map((name) => ({
      name,
      text: sql
        .exec(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
        .toArray()
        .map((row) => Object.values(row).map(cellText).join("\t"))
        .join("\n"),
    }));
  });
  for (const { name, text } of tables) observed.sources.push({ label: `OrgHub storage ${name}`, text });
}

/**
 * The organization's live feed replayed from its start (by ?since or by Last-Event-ID), read until the
 * replay is complete and the evaluations of `evaluated` have been published.
 */
async function readFeed(org: TestOrg, viaHeader: boolean, evaluated: string[], observed: Observed) {
  const start = "evt_000000000000";
  const response = viaHeader
    ? await call("GET", "/api/v1/live/sse", { key: org.key, headers: { "Last-Event-ID": start } })
    : await call("GET", `/api/v1/live/sse?since=${start}`, { key: org.key });
  const label = viaHeader ? "GET /api/v1/live/sse (Last-Event-ID replay)" : "GET /api/v1/live/sse?since=…";
  observed.check(response.status === 200, `${label} answered ${response.status}`);
  if (response.status !== 200) return;
  const reader = new SseReader(response);
  const frames: unknown[] = [];
  const seen = new Set<string>();
  let replayed = false;
  const deadline = Date.now() + 8_000;
  try {
    while (!(replayed && evaluated.every((id) => seen.has(id)))) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const next = reader.next();
      next.catch(() => undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const frame = await Promise.race([
        next,
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), left);
        }),
      ]);
      if (timer !== undefined) clearTimeout(timer);
      if (frame === null) break;
      frames.push(frame);
      if (frame.event === "replayed") replayed = true;
      const data = frame.data.data as { trace_id?: string } | undefined;
      if (frame.data.type === "evaluation.completed" && data?.trace_id) seen.add(data.trace_id);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  observed.sources.push({ label, text: JSON.stringify(frames) });
  observed.check(replayed, `${label}: the replay never completed`);
  for (const id of evaluated)
    observed.check(seen.has(id), `${label}: no evaluation.completed for ${id} within 8 s`);
}

function secretPattern(secret: Secret): (text: string) => number {
  if (secret.digits) {
    const re = new RegExp(`(?<!\\d)${secret.value}(?!\\d)`);
    return (text) => text.search(re);
  }
  const needle = secret.value.toLowerCase();
  return (text) => text.toLowerCase().indexOf(needle);
}

interface TraceUnderTest {
  label: string;
  placements: Placement[];
}

function findLeaks(traces: TraceUnderTest[], observed: Observed): string[] {
  const leaks: string[] = [];
  for (const trace of traces) {
    for (const { where, phi } of trace.placements) {
      for (const secret of phi.secrets) {
        const position = secretPattern(secret);
        const found = observed.sources.flatMap((source) => {
          const at = position(source.text);
          return at < 0 ? [] : [{ source, at }];
        });
        const first = found[0];
        if (!first) continue;
        const excerpt = first.source.text
          .slice(Math.max(0, first.at - 60), first.at + secret.value.length + 40)
          .replace(/\s+/g, " ");
        leaks.push(
          `LEAK ${trace.label}: ${phi.kind} "${secret.value}" planted in ${where} is visible in ` +
            `${found.length} place(s): ${found.map((f) => f.source.label).join("; ")}\n      e.g. …${excerpt}…`,
        );
      }
    }
  }
  return leaks;
}

// ---------------------------------------------------------------------------------------------------
// One run: ingest, evaluate, look everywhere
// ---------------------------------------------------------------------------------------------------

interface Scenario {
  natives: [NativePlan, NativePlan, NativePlan];
  otlp: OtlpPlan;
  /** Send to the runtime's queue and let its consumer evaluate (else run the consumer on the batch here). */
  runtimeQueue: boolean;
  feedViaHeader: boolean;
}

/** Every planted value of a scenario, found wherever it sits in the plans. */
function plantedValues(value: unknown, out: Planted[] = []): Planted[] {
  if (Array.isArray(value)) for (const item of value) plantedValues(item, out);
  else if (isRecord(value)) {
    if (Array.isArray(value.secrets)) out.push(value as unknown as Planted);
    else for (const item of Object.values(value)) plantedValues(item, out);
  }
  return out;
}

/** No planted value may contain another (a leak of one would be blamed on the other), markers differ. */
function distinct(s: Scenario): boolean {
  const secrets = plantedValues(s).map((p) => p.secrets.map((x) => x.value));
  for (const [i, mine] of secrets.entries()) {
    for (const [j, theirs] of secrets.entries()) {
      if (i !== j && mine.some((a) => theirs.some((b) => b.includes(a)))) return false;
    }
  }
  const markers = [...s.natives, s.otlp].flatMap((p) => [p.marker, p.toolMarker]);
  return new Set(markers).size === markers.length;
}

/** The counterexample as fast-check prints it: what was planted where, trace by trace. */
function describeScenario(s: Scenario): string {
  const show = (p: Placement) =>
    `${p.where} = ${p.phi.kind === "number" ? `${p.phi.key}: ${p.phi.value}` : p.phi.text}`;
  const natives = s.natives.map(
    (plan, i) => `native #${i}: ${buildNative(plan).placements.map(show).join(" | ")}`,
  );
  const otlp = `otlp (${s.otlp.encoding}${s.otlp.split ? ", root last" : ""}): ${otlpLayout(s.otlp).placements.map(show).join(" | ")}`;
  return [...natives, otlp, `runtimeQueue: ${s.runtimeQueue}, feedViaHeader: ${s.feedViaHeader}`].join("\n");
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    natives: fc.tuple(nativePlan, nativePlan, nativePlan),
    otlp: otlpPlan,
    runtimeQueue: fc.constantFrom(false, false, false, false, false, true),
    feedViaHeader: fc.boolean(),
  })
  .filter(distinct)
  .map((s) => Object.assign(s, { [fc.toStringMethod]: () => `\n${describeScenario(s)}\n` }));

const enc = encodeURIComponent;
let orgCount = 0;

async function exportOtlp(queue: QueueRecorder, org: TestOrg, spans: ReadableSpan[], encoding: OtlpEncoding) {
  return queue.call("POST", "/otlp/v1/traces", {
    key: org.key,
    rawBody: otlpBody(spans, encoding),
    headers: { "Content-Type": CONTENT_TYPES[encoding] },
  });
}

async function deadLetter(message: EvaluationMessage): Promise<void> {
  const batch = createMessageBatch<EvaluationMessage>("aegis-evaluations-dlq", [
    { id: "dlq-0", timestamp: new Date(), attempts: 6, body: message },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ctx);
  await getQueueResult(batch, ctx);
}

async function runScenario(mode: Mode, s: Scenario): Promise<void> {
  const observed = new Observed();
  const org = await createOrg(`PHI everywhere ${mode} ${++orgCount}`, "pro");
  const settings = await call("PATCH", "/api/v1/organization/settings", {
    key: org.key,
    body: { phi_redaction: mode },
  });
  if (settings.status !== 200) throw new Error(`PATCH settings answered ${settings.status}`);

  const natives = s.natives.map(buildNative);
  const otlp = buildOtlp(s.otlp);
  const [single, batched, deadLettered] = natives as [Built, Built, Built];
  const labels = new Map<Built | BuiltOtlp, string>([
    [single, "native trace (POST /api/v1/traces)"],
    [batched, "native trace (batch)"],
    [deadLettered, "native trace (batch, dead-lettered)"],
    [otlp, `OTLP trace (${otlp.encoding}${otlp.split ? ", root sent last" : ""})`],
  ]);
  const queue = recordingQueue("hold");

  // Ingestion: one trace alone, two in a batch, one OTel trace (its root last when split).
  const created = await observed.keep(
    "POST /api/v1/traces",
    await queue.call("POST", "/api/v1/traces", { key: org.key, body: single.body }),
  );
  observed.check(
    created.status === 202,
    `POST /api/v1/traces answered ${created.status}: ${JSON.stringify(created.body)}`,
  );
  const batch = await observed.keep(
    "POST /api/v1/traces/batch",
    await queue.call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: { traces: [batched.body, deadLettered.body] },
    }),
  );
  const results = (batch.body?.results ?? []) as { id: string; status: number }[];
  observed.check(
    batch.status === 207 && results.every((r) => r.status === 201),
    `POST /api/v1/traces/batch did not store both traces: ${JSON.stringify(batch.body)}`,
  );
  const exports = otlp.split
    ? [
        otlp.spans.filter((span) => span.parentSpanContext !== undefined),
        otlp.spans.filter((span) => span.parentSpanContext === undefined),
      ]
    : [otlp.spans];
  for (const [i, spans] of exports.entries()) {
    const exported = await observed.keep(
      `POST /otlp/v1/traces (${otlp.encoding}, part ${i + 1} of ${exports.length})`,
      await exportOtlp(queue, org, spans, otlp.encoding),
    );
    const partial =
      exported.status === 200 ? otlpResponse(exported.bytes, otlp.encoding).partialSuccess : undefined;
    observed.check(
      exported.status === 200 && !Number(partial?.rejectedSpans ?? 0),
      `POST /otlp/v1/traces answered ${exported.status}, rejected: ${String(partial?.errorMessage ?? "")}`,
    );
  }

  const otlpRead = await observed.get(org.key, `/api/v1/traces/${otlp.traceId}`);
  observed.check(otlpRead.status === 200, `GET /api/v1/traces/<otel trace id> answered ${otlpRead.status}`);
  // The traces that were stored; the checks below skip one that was not (that is reported already).
  const ids = new Map<Built | BuiltOtlp, string>();
  for (const [t, id] of [
    [single, created.body?.id],
    [batched, results[0]?.id],
    [deadLettered, results[1]?.id],
    [otlp, otlpRead.body?.id],
  ] as const) {
    if (typeof id === "string") ids.set(t, id);
  }
  const idOf = (t: Built | BuiltOtlp) => ids.get(t) ?? "";
  /** The trace as GET /api/v1/traces/:id shows it, for reports. */
  const views = new Map<Built | BuiltOtlp, Loose>([[otlp, otlpRead.body]]);
  const stored = <T extends Built | BuiltOtlp>(list: T[]) => list.filter((t) => ids.has(t));

  // Evaluation: every trace but one, which runs out of retries and becomes a dead letter.
  const toEvaluate = queue.messages.filter((m) => m.trace_id !== idOf(deadLettered));
  const toDeadLetter = queue.messages.filter((m) => m.trace_id === idOf(deadLettered));
  observed.check(
    queue.messages.length === 4,
    `expected 4 queued traces, the queue got ${queue.messages.length}`,
  );
  if (s.runtimeQueue) await env.EVAL_QUEUE.sendBatch(toEvaluate.map((body) => ({ body })));
  else await deliverEvaluations(toEvaluate);
  for (const message of toDeadLetter) await deadLetter(message);
  const evaluated = stored([single, batched, otlp]);
  for (const t of evaluated) {
    const evaluation = await observed.get(org.key, `/api/v1/traces/${idOf(t)}/evaluation?wait=10`);
    observed.check(
      evaluation.body?.status === "completed",
      `the evaluation of ${idOf(t)} is ${evaluation.body?.status ?? evaluation.status}, not completed`,
    );
  }
  if (ids.has(deadLettered)) await observed.get(org.key, `/api/v1/traces/${idOf(deadLettered)}/evaluation`);

  // The client's own ids work raw: reads find the trace, and a resend is recognised.
  for (const t of stored(natives)) {
    const read = await observed.get(org.key, `/api/v1/traces/${enc(t.clientId)}`);
    observed.check(
      read.status === 200 && read.body?.id === idOf(t),
      `GET /api/v1/traces/<raw client id "${t.clientId}"> answered ${read.status} ${read.body?.id ?? ""}, not ${idOf(t)}`,
    );
    views.set(t, (await observed.get(org.key, `/api/v1/traces/${idOf(t)}`)).body);
  }
  const queuedBefore = queue.messages.length;
  const again = await observed.keep(
    "POST /api/v1/traces (the same client id again)",
    await queue.call("POST", "/api/v1/traces", { key: org.key, body: single.body }),
  );
  observed.check(
    again.status === 200 && again.body?.id === idOf(single),
    `resending client id "${single.clientId}" answered ${again.status} ${JSON.stringify(again.body)}, not 200 with ${idOf(single)}`,
  );
  const batchAgain = await observed.keep(
    "POST /api/v1/traces/batch (the same client id again)",
    await queue.call("POST", "/api/v1/traces/batch", { key: org.key, body: { traces: [batched.body] } }),
  );
  const resent = batchAgain.body?.results?.[0] as { id?: string; status?: number } | undefined;
  observed.check(
    resent?.status === 200 && resent.id === idOf(batched),
    `resending client id "${batched.clientId}" in a batch gave ${JSON.stringify(resent)}, not 200 with ${idOf(batched)}`,
  );
  observed.check(queue.messages.length === queuedBefore, "a resent trace was queued again");

  // Lists, with the raw session_id and model as filters.
  const all = stored<Built | BuiltOtlp>([...natives, otlp]);
  const list = await observed.get(org.key, "/api/v1/traces?limit=200");
  const listed = new Set(((list.body?.data ?? []) as { id: string }[]).map((t) => t.id));
  observed.check(
    listed.size === 4 && all.every((t) => listed.has(idOf(t))),
    `the list holds ${listed.size} traces, not the 4`,
  );
  await observed.get(org.key, "/api/v1/traces?limit=200&domain=healthcare&status=evaluated");
  const finds = async (path: string, t: Built | BuiltOtlp, what: string) => {
    const found = await observed.get(org.key, path);
    const data = (found.body?.data ?? []) as { id: string }[];
    const view = views.get(t);
    observed.check(
      found.status === 200 && data.some((row) => row.id === idOf(t)),
      `${what} does not find the ${labels.get(t)} ${idOf(t)} (${found.status}, ${data.length} result(s); ` +
        `stored session_id ${JSON.stringify(view?.session_id)}, model ${JSON.stringify(view?.model)})`,
    );
  };
  for (const t of all) {
    if (t.sessionId !== undefined)
      await finds(`/api/v1/traces?session_id=${enc(t.sessionId)}`, t, `?session_id=<raw "${t.sessionId}">`);
    if (t.model !== undefined)
      await finds(`/api/v1/traces?model=${enc(t.model)}`, t, `?model=<raw "${t.model}">`);
  }

  // Search: by the words planted next to the PHI, in tools, with the raw session; never by the PHI.
  for (const t of all) {
    await finds(`/api/v1/search?q=${t.marker}`, t, `search q=${t.marker}`);
    await finds(`/api/v1/search?q=${enc(`tools:${t.toolMarker}`)}`, t, `search q=tools:${t.toolMarker}`);
    if (t.sessionId !== undefined)
      await finds(
        `/api/v1/search?q=${t.marker}&session_id=${enc(t.sessionId)}`,
        t,
        `search q=${t.marker}&session_id=<raw "${t.sessionId}">`,
      );
  }
  // Searched for as phrases, many at once (one OR query per group); a group that finds anything is
  // searched phrase by phrase to name the value the index holds.
  const phrases = [
    ...new Set(all.flatMap((t) => t.placements.flatMap((p) => p.phi.secrets.map((x) => x.value)))),
  ].map((secret) => ({
    secret,
    phrase: `"${secret
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .join(" ")}"`,
  }));
  const search = async (q: string) => {
    const found = await observed.get(org.key, `/api/v1/search?q=${enc(q)}&limit=100`);
    observed.check(found.status === 200, `search q=${q} answered ${found.status}`);
    return ((found.body?.data ?? []) as { id: string }[]).map((h) => h.id);
  };
  for (let i = 0; i < phrases.length; ) {
    const group: typeof phrases = [];
    while (
      i < phrases.length &&
      group.length < 24 &&
      [...group, phrases[i]].map((p) => p?.phrase).join(" OR ").length <= 480
    )
      group.push(phrases[i++] as (typeof phrases)[number]);
    if ((await search(group.map((p) => p.phrase).join(" OR "))).length === 0) continue;
    for (const { secret, phrase } of group) {
      const hits = await search(phrase);
      observed.check(
        hits.length === 0,
        `LEAK: the search index holds "${secret}": q=${phrase} finds ${hits.join(", ")}`,
      );
    }
  }

  await observed.get(org.key, `/api/v1/traces/${enc(single.clientId)}/similar?min_similarity=0.5&limit=100`);
  await observed.get(org.key, `/api/v1/traces/${idOf(otlp)}/similar?min_similarity=0.5&limit=100`);
  const clusters = await observed.get(
    org.key,
    "/api/v1/issues/clusters?rule=phi.leak&min_similarity=0.5&limit=50",
  );
  observed.check(
    Number(clusters.body?.failing_traces ?? 0) >= 1,
    `phi.leak is no longer reported: /issues/clusters?rule=phi.leak lists ${clusters.body?.failing_traces} failing traces`,
  );
  await observed.get(org.key, "/api/v1/audit?limit=500");
  await observed.get(org.key, "/api/v1/audit/verify");
  for (const path of [
    "/api/v1/analytics/summary",
    "/api/v1/analytics/models",
    "/api/v1/analytics/rules",
    "/api/v1/analytics/tiers",
    "/api/v1/analytics/timeseries?metric=traces",
  ])
    await observed.get(org.key, path);
  const dead = await observed.get(org.key, "/api/v1/admin/dead-letters");
  observed.check(
    ((dead.body?.data ?? []) as { trace_id: string }[]).some((d) => d.trace_id === idOf(deadLettered)),
    `the dead-lettered trace ${idOf(deadLettered)} is not listed in /admin/dead-letters`,
  );

  await readFeed(
    org,
    s.feedViaHeader,
    evaluated.map((t) => idOf(t)),
    observed,
  );
  await scanD1(observed);
  await scanHub(org.orgId, observed);

  const problems = [
    ...findLeaks(
      [...natives, otlp].map((t) => ({ label: labels.get(t) ?? "", placements: t.placements })),
      observed,
    ),
    ...observed.problems,
  ];
  if (problems.length > 0) {
    throw new Error(`phi_redaction "${mode}": ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  }
}

describe("PHI redaction covers every field, native and OTLP", () => {
  it.each(MODES)(
    "with %s, no planted identifier is stored, indexed, published, audited or shown",
    async (mode) => {
      await fc.assert(
        fc.asyncProperty(scenario, (s) => runScenario(mode, s)),
        { numRuns: RUNS_PER_MODE, seed: SEEDS[mode], endOnFailure: true },
      );
    },
    120_000,
  );
});
