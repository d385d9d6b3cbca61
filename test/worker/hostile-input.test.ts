// Hostile input at every write route, from the API's documented behaviour: whatever a client sends
// (JSON nested 100,000 levels deep, lone surrogates, "__proto__" keys, NUL, 1e309, dates outside the
// JavaScript Date range, OTLP AnyValues nested 10,000 deep, truncated protobuf, gzip bombs, wrong
// media types), the answer is never a 5xx; a 4xx is a problem document (OTLP: a google.rpc.Status in
// the request's encoding) whose errors[] names the field; a batch keeps its valid items; and what was
// stored before, or just accepted, can still be read.
//
// Fixed worst cases run one per test (five per batch, each between valid neighbours), so a failure
// names its route and body; fast-check mixes the same ingredients at random, bounded in runs and in
// time (a failing property prints its seed). Requests go through the app with the evaluation queue
// held, and the traces accepted are evaluated once at the end by the consumer, which must not retry.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { agentRun, gzip, otlpBody, otlpResponse, recordSpans } from "../support/otel";
import {
  ADMIN_TOKEN,
  type CallOptions,
  createOrg,
  deliverEvaluations,
  type QueueRecorder,
  recordingQueue,
  type TestOrg,
  trace,
} from "./helpers";

// ---------------------------------------------------------------------------------------------------
// JSON text written by hand: it can hold what JSON.stringify never writes (1e309, -0, 100,000 levels).

type Json = string;
type Bytes = Uint8Array<ArrayBuffer>;

const js = (value: unknown): Json => JSON.stringify(value);
const obj = (...entries: [string, Json][]): Json => `{${entries.map(([k, v]) => `${js(k)}:${v}`).join(",")}}`;
const arr = (...items: Json[]): Json => `[${items.join(",")}]`;
const nestedObjects = (depth: number, leaf: Json = "1"): Json =>
  `${'{"a":'.repeat(depth)}${leaf}${"}".repeat(depth)}`;
const nestedArrays = (depth: number, leaf: Json = "1"): Json =>
  `${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`;
const nestedMixed = (depth: number, leaf: Json = "1"): Json => {
  const half = Math.ceil(depth / 2);
  return `${'[{"a":'.repeat(half)}${leaf}${"}]".repeat(half)}`;
};

/** Entries with some replaced (by key) or added. */
function withEntries(base: [string, Json][], overrides: [string, Json][]): [string, Json][] {
  const entries = [...base];
  for (const [key, value] of overrides) {
    const at = entries.findIndex(([k]) => k === key);
    if (at >= 0) entries[at] = [key, value];
    else entries.push([key, value]);
  }
  return entries;
}

/** Gives an object a short description for fast-check's reports instead of its (huge) contents. */
function named<T extends object>(value: T, label: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => label, enumerable: false });
  return value;
}

interface Hostile {
  label: string;
  json: Json;
}
const h = (label: string, json: Json): Hostile => named({ label, json }, label);

const DEEP: Hostile[] = [
  h("objects nested 5,000 deep", nestedObjects(5_000)),
  h("arrays nested 5,000 deep", nestedArrays(5_000)),
  h("arrays and objects nested 20,000 deep", nestedMixed(20_000)),
  h("arrays nested 100,000 deep", nestedArrays(100_000)),
];

const NUMBERS: Hostile[] = [
  h("1e309", "1e309"),
  h("-1e309", "-1e309"),
  h("-0", "-0"),
  h("1e-400", "1e-400"),
  h("a 30-digit integer", "123456789012345678901234567890"),
  h("2^53 + 1", "9007199254740993"),
  h("-2^63 - 1", "-9223372036854775809"),
  h("a 400-digit integer", "9".repeat(400)),
  h("5e-324", "5e-324"),
  h("-1.5", "-1.5"),
];

const STRINGS: Hostile[] = [
  h("a lone high surrogate", js("\ud800")),
  h("a lone low surrogate", js("x\udfff")),
  h("surrogates in reverse order", js("a\udc00\ud800b")),
  h("NUL", js("\u0000")),
  h("NUL inside text", js("before\u0000after")),
  h("C0 controls and DEL", js("\u0001\u0002\u0003\u001b[2J\u001f\u007f")),
  h("line and paragraph separators", js("a\u2028b\u2029c")),
  h("a BOM and noncharacters", js("\ufeff\ufffe\uffff")),
];

const LONG_STRING = h("200,000 characters", js("x".repeat(200_000)));

const WRONG_TYPES: Hostile[] = [
  h("null", "null"),
  h("true", "true"),
  h("an empty object", "{}"),
  h("an empty array", "[]"),
  h("an empty string", '""'),
  h("zero", "0"),
  h("an array of null", "[null]"),
];

/** Not dates at all, or dates outside what a JavaScript Date can hold (±8.64e15 ms). */
const BAD_TIMES: Hostile[] = [
  "+275760-09-13T00:00:00.001Z",
  "-271821-04-19T23:59:59.999Z",
  "+999999-01-01T00:00:00.000Z",
  "2026-13-01T00:00:00Z",
  "2026-11-27T25:61:61Z",
  "0000-00-00T00:00:00Z",
  "1e30",
  "NaN",
].map((t) => h(`the time ${t}`, js(t)));
const BAD_TIME_NUMBERS: Hostile[] = [h("the number 1e30", "1e30"), h("the number -1", "-1")];

/** Valid, or arguably valid, but at the edges of the Date range. */
const EDGE_TIMES: Hostile[] = [
  "0000-01-01T00:00:00.000Z",
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z",
  "9999-12-31T23:59:59.999Z",
  "2026-02-30T00:00:00Z",
].map((t) => h(`the time ${t}`, js(t)));

const POLLUTION = "hostilePolluted";
const PROTO_PAYLOADS: Hostile[] = [
  h('{"__proto__": {...}}', obj(["__proto__", obj([POLLUTION, "true"])])),
  h(
    '{"constructor": {"prototype": {...}}}',
    obj(["constructor", obj(["prototype", obj([POLLUTION, "true"])])]),
  ),
  h(
    '{"prototype": ..., "toString": ..., "hasOwnProperty": ...}',
    obj(["prototype", "1"], ["toString", "1"], ["hasOwnProperty", "1"]),
  ),
];

const HOSTILE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "\ud800",
  "\udfff",
  "\u0000",
  "a\u0000b",
  "",
  "k".repeat(100_000),
];
const keyLabel = (key: string) =>
  key.length > 20 ? `a ${key.length.toLocaleString("en")}-character key` : js(key);

// fast-check ingredients: the catalogues above, mixed and nested at random.
const hostileChar = fc.constantFrom(
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "\u0000",
  "\u0001",
  "\u001f",
  "\u007f",
  "\u2028",
  "\ufeff",
  "\uffff",
  '"',
  "\\",
  "'",
  "%",
  "*",
  "(",
  ":",
  "a",
  " ",
  "é",
  "😀",
);
const hostileText = fc.string({ unit: hostileChar, maxLength: 40 });
const scalarArb: fc.Arbitrary<Hostile> = fc.constantFrom(
  ...NUMBERS,
  ...STRINGS,
  ...WRONG_TYPES,
  ...BAD_TIMES,
  ...EDGE_TIMES,
);
const textArb = hostileText.map((s) => h(`the string ${js(s)}`, js(s)));
const keyArb = fc.oneof(fc.constantFrom(...HOSTILE_KEYS.filter((k) => k.length < 100)), hostileText);
const deepArb = fc
  .record({
    depth: fc.integer({ min: 1_000, max: 20_000 }),
    shape: fc.constantFrom("objects", "arrays", "mixed"),
    leaf: scalarArb,
  })
  .map(({ depth, shape, leaf }) => {
    const nest = shape === "objects" ? nestedObjects : shape === "arrays" ? nestedArrays : nestedMixed;
    return h(`${shape} nested ${depth} deep around ${leaf.label}`, nest(depth, leaf.json));
  });
const valueArb = fc.letrec<{ value: Hostile; object: Hostile; array: Hostile }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthSize: "small" },
    { arbitrary: scalarArb, weight: 4 },
    { arbitrary: textArb, weight: 2 },
    { arbitrary: deepArb, weight: 1 },
    { arbitrary: tie("object"), weight: 2 },
    { arbitrary: tie("array"), weight: 1 },
  ),
  object: fc
    .array(fc.tuple(keyArb, tie("value")), { maxLength: 3 })
    .map((entries) =>
      h(
        `{${entries.map(([k, v]) => `${keyLabel(k)}: ${v.label}`).join(", ")}}`,
        obj(...entries.map(([k, v]): [string, Json] => [k, v.json])),
      ),
    ),
  array: fc
    .array(tie("value"), { maxLength: 3 })
    .map((items) => h(`[${items.map((i) => i.label).join(", ")}]`, arr(...items.map((i) => i.json)))),
})).value;

// ---------------------------------------------------------------------------------------------------
// Protobuf written by hand (field numbers from opentelemetry-proto), and read back for the answers.

const utf8 = (text: string): Bytes => new TextEncoder().encode(text) as Bytes;

function bytesOf(...parts: (Uint8Array | number[])[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function varint(value: bigint | number): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const fieldKey = (field: number, wire: number) => varint((BigInt(field) << 3n) | BigInt(wire));

const pb = {
  varint: (field: number, value: bigint | number) => bytesOf(fieldKey(field, 0), varint(value)),
  fixed64(field: number, value: bigint) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    return bytesOf(fieldKey(field, 1), b);
  },
  double(field: number, value: number) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    return bytesOf(fieldKey(field, 1), b);
  },
  bytes(field: number, payload: Uint8Array | string) {
    const p = typeof payload === "string" ? utf8(payload) : payload;
    return bytesOf(fieldKey(field, 2), varint(p.length), p);
  },
};

const anyValue = {
  string: (s: string | Uint8Array) => pb.bytes(1, s),
  int: (n: bigint) => pb.varint(3, n),
  double: (x: number) => pb.double(4, x),
  array: (values: Bytes[]) => pb.bytes(5, bytesOf(...values.map((v) => pb.bytes(1, v)))),
  kvlist: (kvs: Bytes[]) => pb.bytes(6, bytesOf(...kvs.map((kv) => pb.bytes(1, kv)))),
};
const keyValue = (key: string | Uint8Array, value: Bytes) => bytesOf(pb.bytes(1, key), pb.bytes(2, value));

/** An AnyValue nested `depth` levels deep, built inside out: each level's prefix is computed from the size within. */
function deepAnyValue(depth: number, kind: "array" | "kvlist", leaf: Bytes = anyValue.string("leaf")): Bytes {
  const prefixes: number[][] = [];
  let size = leaf.length;
  for (let i = 0; i < depth; i++) {
    let prefix: number[];
    if (kind === "array") {
      const values = [0x0a, ...varint(size)]; // ArrayValue.values = 1
      prefix = [0x2a, ...varint(values.length + size), ...values]; // AnyValue.array_value = 5
    } else {
      const key = [0x0a, 0x01, 0x6b]; // KeyValue.key = 1: "k"
      const value = [0x12, ...varint(size)]; // KeyValue.value = 2
      const kv = [...key, ...value];
      const values = [0x0a, ...varint(kv.length + size)]; // KeyValueList.values = 1
      prefix = [0x32, ...varint(values.length + kv.length + size), ...values, ...kv]; // AnyValue.kvlist_value = 6
    }
    prefixes.push(prefix);
    size += prefix.length;
  }
  return bytesOf(...prefixes.reverse(), leaf);
}

const QUESTION = "My head hurts, how much acetaminophen can I take?";
const ANSWER = "Take 1000 mg of acetaminophen every 4 hours, day and night.";
const nowNanos = () => BigInt(Date.now()) * 1_000_000n;
const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
const hexBytes = (text: string): Bytes =>
  new Uint8Array(text.match(/../g)?.map((b) => Number.parseInt(b, 16)) ?? []);

const PB_CONTENT = [
  keyValue("input.value", anyValue.string(QUESTION)),
  keyValue("output.value", anyValue.string(ANSWER)),
];

interface PbSpan {
  traceId: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name?: string | Uint8Array;
  start?: bigint;
  end?: bigint;
  attributes?: Bytes[];
  events?: Bytes[];
  extra?: Bytes;
}

function pbSpan(span: PbSpan): Bytes {
  const now = nowNanos();
  return bytesOf(
    pb.bytes(1, span.traceId),
    pb.bytes(2, span.spanId ?? hexBytes(hex(8))),
    span.parentSpanId ? pb.bytes(4, span.parentSpanId) : [],
    pb.bytes(5, span.name ?? "chat"),
    pb.varint(6, 3),
    pb.fixed64(7, span.start ?? now - 1_000_000_000n),
    pb.fixed64(8, span.end ?? now),
    ...(span.attributes ?? PB_CONTENT).map((a) => pb.bytes(9, a)),
    ...(span.events ?? []).map((e) => pb.bytes(11, e)),
    pb.bytes(15, pb.varint(3, 1)),
    span.extra ?? [],
  );
}

const pbEvent = (time: bigint, attributes: Bytes[] = []) =>
  bytesOf(pb.fixed64(1, time), pb.bytes(2, "event"), ...attributes.map((a) => pb.bytes(3, a)));

function pbTraces(spans: Bytes[], resource: Bytes[] = [], extra: Bytes = new Uint8Array()): Bytes {
  const scopeSpans = bytesOf(pb.bytes(1, pb.bytes(1, "hostile")), ...spans.map((s) => pb.bytes(2, s)));
  const resourceSpans = bytesOf(
    pb.bytes(1, bytesOf(...resource.map((a) => pb.bytes(1, a)))),
    pb.bytes(2, scopeSpans),
  );
  return bytesOf(pb.bytes(1, resourceSpans), extra);
}

/** ExportLogsServiceRequest: resource_logs=1 { resource=1, scope_logs=2 { scope=1, log_records=2 } }. */
function pbLogs(body: Bytes, time: bigint = nowNanos(), attributes: Bytes[] = []): Bytes {
  const record = bytesOf(
    pb.fixed64(1, time),
    pb.varint(2, 9),
    pb.bytes(3, "INFO"),
    pb.bytes(5, body),
    ...attributes.map((a) => pb.bytes(6, a)),
    pb.bytes(9, hexBytes(hex(16))),
    pb.bytes(10, hexBytes(hex(8))),
    pb.fixed64(11, time),
  );
  const scopeLogs = bytesOf(pb.bytes(1, pb.bytes(1, "hostile")), pb.bytes(2, record));
  return pb.bytes(1, bytesOf(pb.bytes(1, new Uint8Array()), pb.bytes(2, scopeLogs)));
}

function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  for (let shift = 0n, i = at; i < bytes.length && shift < 70n; shift += 7n, i++) {
    const byte = bytes[i] ?? 0;
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [value, i + 1];
  }
  throw new Error("a varint runs past the end");
}

/** The top-level fields of a protobuf message; throws when it is not well formed. */
function protobufFields(bytes: Uint8Array): { field: number; wire: number; value: bigint | Uint8Array }[] {
  const fields: { field: number; wire: number; value: bigint | Uint8Array }[] = [];
  let at = 0;
  while (at < bytes.length) {
    const [key, next] = readVarint(bytes, at);
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    at = next;
    if (wire === 0) {
      const [value, after] = readVarint(bytes, at);
      fields.push({ field, wire, value });
      at = after;
    } else if (wire === 2) {
      const [length, after] = readVarint(bytes, at);
      const end = after + Number(length);
      if (end > bytes.length) throw new Error("a field runs past the end");
      fields.push({ field, wire, value: bytes.subarray(after, end) });
      at = end;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (at + size > bytes.length) throw new Error("a fixed field runs past the end");
      fields.push({ field, wire, value: bytes.subarray(at, at + size) });
      at += size;
    } else throw new Error(`wire type ${wire}`);
  }
  return fields;
}

/** A google.rpc.Status: code = 1, message = 2, details = 3. */
function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  let code = 0;
  let message = "";
  for (const f of protobufFields(bytes)) {
    if (f.field === 1 && f.wire === 0) code = Number(f.value);
    else if (f.field === 2 && f.wire === 2)
      message = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(f.value as Uint8Array);
    else if (!(f.field === 3 && f.wire === 2))
      throw new Error(`unexpected field ${f.field} (wire ${f.wire})`);
  }
  return { code, message };
}

// ---------------------------------------------------------------------------------------------------
// What every answer must be.

interface ProblemBody {
  type?: string;
  status?: number;
  detail?: string;
  request_id?: string;
  message?: string;
  errors?: { path?: unknown; message?: unknown }[];
}

const under = (path: string, prefix: string) =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

const excerpt = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}…` : text);

function parseJson(what: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: the answer is not JSON: ${excerpt(text)}`);
  }
}

/**
 * errors[]: well formed whenever present; and a 400 about a known field must have it, naming one of
 * `names`. (A body that does not parse has no field to name.)
 */
function expectNamedErrors(what: string, problem: ProblemBody, names: string[] | undefined, status: number) {
  const errors = problem.errors;
  if (errors !== undefined) {
    expect(
      Array.isArray(errors) && errors.length > 0,
      `${what}: an empty errors[]: ${excerpt(js(problem))}`,
    ).toBe(true);
    for (const e of errors) {
      expect(
        typeof e.path === "string" && typeof e.message === "string",
        `${what}: errors[] ${excerpt(js(errors))}`,
      ).toBe(true);
    }
  }
  if (!names || status !== 400) return;
  expect(
    Array.isArray(errors) && errors.length > 0,
    `${what}: a 400 without errors[] naming ${names.join(" or ")}: ${excerpt(js(problem))}`,
  ).toBe(true);
  const paths = (errors ?? []).map((e) => e.path);
  expect(
    paths.some((p) => typeof p === "string" && names.some((n) => under(p, n))),
    `${what}: errors[] names ${excerpt(js(paths))}, not ${names.join(" or ")}: ${excerpt(js(problem))}`,
  ).toBe(true);
}

function expectProblemDocument(
  what: string,
  response: Response,
  text: string,
  names?: string[],
): ProblemBody {
  const status = response.status;
  expect(
    response.headers.get("Content-Type") ?? "",
    `${what}: a ${status} that is not problem+json: ${excerpt(text)}`,
  ).toMatch(/^application\/problem\+json/);
  const problem = parseJson(what, text) as ProblemBody;
  expect(problem.status, `${what}: the problem's status`).toBe(status);
  expect(
    typeof problem.detail === "string" && problem.detail.length > 0,
    `${what}: a problem without detail`,
  ).toBe(true);
  expect(problem.request_id, `${what}: the problem's request_id`).toBe(response.headers.get("X-Request-Id"));
  expectNamedErrors(what, problem, names, status);
  return problem;
}

interface Expectation {
  /** A 400 must name one of these fields in errors[]. */
  names?: string[];
  /** The request is invalid by the README: it must be refused with a 4xx. */
  reject?: boolean;
}

/** Never a 5xx; a 4xx is a problem document. Returns the status and the parsed body of a success. */
async function expectSafe(what: string, response: Response, expectation: Expectation = {}) {
  const text = await response.text();
  const status = response.status;
  expect(status, `${what} answered ${status}: ${excerpt(text)}`).toBeLessThan(500);
  if (expectation.reject)
    expect(status, `${what} was accepted (${status}): ${excerpt(text)}`).toBeGreaterThanOrEqual(400);
  if (status >= 400) {
    expectProblemDocument(what, response, text, expectation.names);
    return { status, body: undefined as unknown };
  }
  const type = response.headers.get("Content-Type") ?? "";
  return { status, body: text && /json/.test(type) ? parseJson(what, text) : undefined };
}

type OtlpWire = "protobuf" | "json" | "other";
const wireOf = (contentType: string | null): OtlpWire => {
  const essence = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (essence === "application/x-protobuf") return "protobuf";
  if (essence === "application/json") return "json";
  return "other";
};

/**
 * An OTLP receiver's answer: never a 5xx; an error is a google.rpc.Status for protobuf, JSON with a
 * `message` for JSON, problem+json for a media type it does not speak. `orProblem` also lets a route
 * that does not exist answer with a plain problem document.
 */
async function expectOtlpSafe(
  what: string,
  response: Response,
  requestType: string | null,
  orProblem = false,
) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const status = response.status;
  const text = new TextDecoder().decode(bytes);
  const type = response.headers.get("Content-Type") ?? "";
  expect(status, `${what} answered ${status}: ${excerpt(text)}`).toBeLessThan(500);
  const wire = wireOf(requestType);
  if (status < 400) {
    if (wire === "protobuf") {
      expect(type, `${what}: a protobuf request answered with ${type}`).toMatch(/^application\/x-protobuf/);
      const decoded = otlpResponse(bytes, "protobuf");
      return { status, partialSuccess: decoded.partialSuccess };
    }
    if (wire === "json") {
      const decoded = (text ? parseJson(what, text) : {}) as { partialSuccess?: unknown };
      return { status, partialSuccess: decoded.partialSuccess };
    }
    return { status, partialSuccess: undefined };
  }
  if (orProblem && /^application\/problem\+json/.test(type)) {
    const problem = parseJson(what, text) as ProblemBody;
    if (wire !== "json" || typeof problem.message !== "string") {
      expectProblemDocument(what, response, text);
      return { status, partialSuccess: undefined };
    }
  }
  if (wire === "protobuf") {
    expect(type, `${what}: a protobuf request's ${status} is ${type}: ${excerpt(text)}`).toMatch(
      /^application\/x-protobuf/,
    );
    let decoded: { code: number; message: string } | undefined;
    try {
      decoded = decodeStatus(bytes);
    } catch (error) {
      throw new Error(
        `${what}: the ${status} is not a google.rpc.Status (${String(error)}): ${excerpt(text)}`,
      );
    }
    expect(decoded.message.length, `${what}: a Status without a message`).toBeGreaterThan(0);
  } else if (wire === "json") {
    expect(type, `${what}: a JSON request's ${status} is ${type}`).toMatch(/^application\/(problem\+)?json/);
    const problem = parseJson(what, text) as ProblemBody;
    expect(
      typeof problem.message === "string" && problem.message.length > 0,
      `${what}: no message in ${excerpt(text)}`,
    ).toBe(true);
    expect(problem.status, `${what}: the problem's status`).toBe(status);
    expect(typeof problem.detail, `${what}: the problem's detail`).toBe("string");
  } else {
    expectProblemDocument(what, response, text);
  }
  return { status, partialSuccess: undefined };
}

// ---------------------------------------------------------------------------------------------------
// Requests go to the app as a client's would, with the evaluation queue held: the traces accepted here
// are evaluated once, by the consumer test at the end, not by the real queue in the background.

let held: QueueRecorder | undefined;
function send(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  held ??= recordingQueue("hold");
  held.messages.length = 0;
  return held.call(method, path, options);
}

// ---------------------------------------------------------------------------------------------------
// Organizations under attack, each with a trace stored before (natively and by OTLP) that must survive.

const CANARY_INPUT = "Canary: what is the maximum daily dose of acetaminophen for an adult?";
let serial = 0;
const uid = (prefix: string) => `${prefix}-${++serial}-${hex(4)}`;

interface Target {
  org: TestOrg;
  clientId: string;
  otelTraceId: string;
}

async function target(name: string): Promise<Target> {
  const org = await createOrg(name, "enterprise", { limits: { requests_per_minute: 500_000 } });
  const clientId = uid("canary");
  const stored = await send("POST", "/api/v1/traces", {
    key: org.key,
    body: trace({ id: clientId, input: CANARY_INPUT }),
  });
  expect(stored.status).toBe(202);
  const spans = recordSpans(agentRun());
  const exported = await send("POST", "/otlp/v1/traces", {
    key: org.key,
    rawBody: otlpBody(spans, "protobuf"),
    headers: { "Content-Type": "application/x-protobuf" },
  });
  expect(exported.status).toBe(200);
  return { org, clientId, otelTraceId: spans[0]?.spanContext().traceId ?? "" };
}

/** The traces stored before the hostile request still read back, and no prototype was polluted. */
async function expectUnharmed(t: Target, after: string, { spans = false } = {}) {
  const native = await send("GET", `/api/v1/traces/${t.clientId}`, { key: t.org.key });
  const nativeText = await native.text();
  expect(
    native.status,
    `after ${after}, the trace stored before answers ${native.status}: ${excerpt(nativeText)}`,
  ).toBe(200);
  expect((parseJson(after, nativeText) as { input?: string }).input).toBe(CANARY_INPUT);
  if (spans) {
    const otel = await send("GET", `/api/v1/traces/${t.otelTraceId}`, { key: t.org.key });
    const otelText = await otel.text();
    expect(
      otel.status,
      `after ${after}, the OTLP trace stored before answers ${otel.status}: ${excerpt(otelText)}`,
    ).toBe(200);
    expect((parseJson(after, otelText) as { spans?: unknown[] }).spans).toHaveLength(3);
  }
  expect(({} as Record<string, unknown>)[POLLUTION], `${after} polluted Object.prototype`).toBeUndefined();
}

/** A trace the API accepted must read back. */
async function expectReadable(t: Target, id: string, what: string) {
  const response = await send("GET", `/api/v1/traces/${encodeURIComponent(id)}`, { key: t.org.key });
  const text = await response.text();
  expect(
    response.status,
    `${what} was accepted as ${js(id)}, which then answers ${response.status}: ${excerpt(text)}`,
  ).toBe(200);
  parseJson(what, text);
}

function post(
  t: Target | string,
  path: string,
  body: Json | Uint8Array,
  type: string | null = "application/json",
  method = "POST",
) {
  const headers: Record<string, string> = type === null ? {} : { "Content-Type": type };
  const rawBody = typeof body === "string" ? utf8(body) : body;
  return send(method, path, { key: typeof t === "string" ? t : t.org.key, rawBody, headers });
}

let main: Target;
let settingsTarget: Target;
let domainsTarget: Target;
let otlpTarget: Target;

beforeAll(async () => {
  main = await target("Hostile main");
  settingsTarget = await target("Hostile settings");
  domainsTarget = await target("Hostile domains");
  otlpTarget = await target("Hostile OTLP");
});

// ---------------------------------------------------------------------------------------------------
// Where a hostile value can go, route by route: a slot names the field and builds the whole body.

interface Slot {
  path: string;
  field: string;
  /** A well-formed value for the slot, which must be accepted. */
  sample: Json;
  body: (value: Json) => Json;
}
const slotOf = (path: string, field: string, sample: Json, body: (value: Json) => Json): Slot =>
  named({ path, field, sample, body }, path);

function traceEntries(): [string, Json][] {
  return Object.entries(trace({ id: uid("hostile") })).map(([k, v]): [string, Json] => [k, js(v)]);
}
const traceJson = (overrides: [string, Json][] = []): Json => obj(...withEntries(traceEntries(), overrides));

const AGENT = (over: [string, Json][] = []) =>
  obj(
    ...withEntries(
      [
        ["agent", js("triage")],
        ["role", js("assistant")],
        ["content", js("Routing to the pharmacist.")],
        ["to", js("pharmacist")],
        ["timestamp", js("2026-11-27T08:00:00.000Z")],
      ],
      over,
    ),
  );
const TOOL_CALL = (over: [string, Json][] = []) =>
  obj(
    ...withEntries(
      [
        ["name", js("lookup_dose")],
        ["arguments", obj(["drug", js("ibuprofen")])],
        ["result", obj(["mg", "400"])],
      ],
      over,
    ),
  );
const RL_EPISODE = (over: [string, Json][] = []) =>
  obj(
    ["policy", obj(["name", js("ppo")], ["version", js("1.0.0")])],
    [
      "steps",
      arr(
        obj(
          ...withEntries(
            [
              ["state", obj(["x", "1"])],
              ["action", js("hold")],
              ["reward", "1"],
              ["done", "false"],
              ["info", "{}"],
            ],
            over,
          ),
        ),
      ),
    ],
  );
const RETRIEVED = (over: [string, Json][] = []) =>
  obj(
    ...withEntries(
      [
        ["source", js("formulary")],
        ["content", js("Ibuprofen max 1200 mg/day OTC")],
        ["relevance_score", "0.9"],
      ],
      over,
    ),
  );

const traceSlot = (path: string, field: string, sample: Json, put: (v: Json) => Json = (v) => v) =>
  slotOf(path, field, sample, (v) => traceJson([[field, put(v)]]));

const TRACE_SLOTS = {
  id: traceSlot("id", "id", js("client-1")),
  domain: traceSlot("domain", "domain", js("healthcare")),
  applicationType: traceSlot("application_type", "application_type", js("clinical_support")),
  model: traceSlot("model", "model", js("gpt-4o")),
  input: traceSlot("input", "input", js("What is a safe dose?")),
  output: traceSlot("output", "output", js("200-400 mg every 4 to 6 hours.")),
  sessionId: traceSlot("session_id", "session_id", js("session-1")),
  userId: traceSlot("user_id", "user_id", js("user-1")),
  tags: traceSlot("tags", "tags", arr(js("triage"))),
  tag: traceSlot("tags[0]", "tags", js("triage"), (v) => arr(v)),
  metadata: traceSlot("metadata", "metadata", obj(["release", js("2026.11")])),
  metadataValue: traceSlot("metadata.note", "metadata", js("note"), (v) => obj(["note", v])),
  context: traceSlot("context", "context", obj(["ward", js("B")])),
  contextValue: traceSlot("context.notes", "context", js("note"), (v) => obj(["notes", v])),
  patient: traceSlot("context.patient", "context", obj(["age", "54"]), (v) => obj(["patient", v])),
  retrieved: traceSlot("retrieved_contexts", "retrieved_contexts", arr(RETRIEVED())),
  retrievedScore: traceSlot("retrieved_contexts[0].relevance_score", "retrieved_contexts", "0.9", (v) =>
    arr(RETRIEVED([["relevance_score", v]])),
  ),
  toolCalls: traceSlot("tool_calls", "tool_calls", arr(TOOL_CALL())),
  toolName: traceSlot("tool_calls[0].name", "tool_calls", js("lookup_dose"), (v) =>
    arr(TOOL_CALL([["name", v]])),
  ),
  toolArguments: traceSlot("tool_calls[0].arguments", "tool_calls", obj(["drug", js("x")]), (v) =>
    arr(TOOL_CALL([["arguments", v]])),
  ),
  toolResult: traceSlot("tool_calls[0].result", "tool_calls", obj(["mg", "400"]), (v) =>
    arr(TOOL_CALL([["result", v]])),
  ),
  reasoning: traceSlot("reasoning_steps", "reasoning_steps", arr(js("Identify the drug"))),
  reasoningStep: traceSlot(
    "reasoning_steps[0]",
    "reasoning_steps",
    obj(["step", "1"], ["content", js("Check")]),
    (v) => arr(v),
  ),
  rlEpisode: traceSlot("rl_episode", "rl_episode", RL_EPISODE()),
  rlState: traceSlot("rl_episode.steps[0].state", "rl_episode", obj(["x", "1"]), (v) =>
    RL_EPISODE([["state", v]]),
  ),
  rlInfo: traceSlot("rl_episode.steps[0].info", "rl_episode", obj(["note", js("x")]), (v) =>
    RL_EPISODE([["info", v]]),
  ),
  rlAction: traceSlot("rl_episode.steps[0].action", "rl_episode", js("hold"), (v) =>
    RL_EPISODE([["action", v]]),
  ),
  rlReward: traceSlot("rl_episode.steps[0].reward", "rl_episode", "0.5", (v) => RL_EPISODE([["reward", v]])),
  agents: traceSlot("agents", "agents", arr(AGENT())),
  agentContent: traceSlot("agents[0].content", "agents", js("Routing"), (v) => arr(AGENT([["content", v]]))),
  agentTimestamp: traceSlot("agents[0].timestamp", "agents", js("2026-11-27T08:00:00.000Z"), (v) =>
    arr(AGENT([["timestamp", v]])),
  ),
  counterfactuals: traceSlot(
    "counterfactuals",
    "counterfactuals",
    arr(obj(["input", js("Same?")], ["output", js("Same.")])),
  ),
  counterfactualOutput: traceSlot("counterfactuals[0].output", "counterfactuals", js("Same."), (v) =>
    arr(obj(["input", js("Same?")], ["output", v])),
  ),
  usage: traceSlot("usage", "usage", obj(["input_tokens", "1"], ["output_tokens", "2"])),
  usageInput: traceSlot("usage.input_tokens", "usage", "42", (v) =>
    obj(["input_tokens", v], ["output_tokens", "1"]),
  ),
  latency: traceSlot("latency_ms", "latency_ms", "812.5"),
  cost: traceSlot("cost_usd", "cost_usd", "0.0021"),
  timestamp: traceSlot("timestamp", "timestamp", js("2026-11-27T08:00:00.000Z")),
};
const S = TRACE_SLOTS;

/** The free-form places: any JSON is a value there. */
const FREE_SLOTS = [
  S.metadata,
  S.metadataValue,
  S.context,
  S.contextValue,
  S.toolArguments,
  S.toolResult,
  S.reasoningStep,
  S.rlState,
  S.rlInfo,
];

interface TraceCase {
  label: string;
  field: string;
  body: () => Json;
  reject: boolean;
}
const traceCase = (slot: Slot, value: Hostile, reject = false): TraceCase =>
  named(
    { label: `${slot.path} = ${value.label}`, field: slot.field, body: () => slot.body(value.json), reject },
    slot.path,
  );

const TRACE_CASES: TraceCase[] = [
  // Deep JSON in every free-form field, and in the typed ones.
  ...FREE_SLOTS.flatMap((slot) => DEEP.map((d) => traceCase(slot, d))),
  ...[
    S.tags,
    S.toolCalls,
    S.reasoning,
    S.rlEpisode,
    S.agents,
    S.retrieved,
    S.counterfactuals,
    S.usage,
    S.patient,
  ].flatMap((slot) => DEEP.slice(0, 2).map((d) => traceCase(slot, d))),
  // Dates outside the Date range, or no dates at all.
  ...[...BAD_TIMES, ...BAD_TIME_NUMBERS].map((t) => traceCase(S.timestamp, t, true)),
  ...EDGE_TIMES.map((t) => traceCase(S.timestamp, t)),
  // An agent message's timestamp: the README does not say it is checked, but it must not break reads.
  ...[...BAD_TIMES, ...BAD_TIME_NUMBERS, ...EDGE_TIMES].map((t) => traceCase(S.agentTimestamp, t)),
  // Numbers JavaScript cannot hold, in numeric and free-form fields.
  ...[S.latency, S.usageInput, S.rlReward, S.metadataValue].flatMap((slot) =>
    NUMBERS.map((n) => traceCase(slot, n)),
  ),
  ...[S.cost, S.retrievedScore].flatMap((slot) => NUMBERS.slice(0, 5).map((n) => traceCase(slot, n))),
  // Lone surrogates, NUL and other controls in text fields.
  ...[S.input, S.output, S.id, S.sessionId, S.tag, S.metadataValue].flatMap((slot) =>
    STRINGS.map((s) => traceCase(slot, s)),
  ),
  ...[S.domain, S.applicationType, S.userId, S.toolName, S.agentContent, S.counterfactualOutput].flatMap(
    (slot) => [STRINGS[0], STRINGS[2], STRINGS[4], STRINGS[5]].map((s) => traceCase(slot, s as Hostile)),
  ),
  // Hostile keys in free-form objects.
  ...[S.metadata, S.toolArguments].flatMap((slot) =>
    HOSTILE_KEYS.map((key) =>
      traceCase(slot, h(`{${keyLabel(key)}: ...}`, obj([key, js("\ud800")], ["b", "1"]))),
    ),
  ),
  ...[S.context, S.rlState].flatMap((slot) =>
    HOSTILE_KEYS.slice(0, 4).map((key) =>
      traceCase(slot, h(`{${keyLabel(key)}: ...}`, obj([key, js("\ud800")], ["b", "1"]))),
    ),
  ),
  ...[S.metadata, S.context, S.toolArguments, S.toolResult, S.rlInfo].flatMap((slot) =>
    PROTO_PAYLOADS.map((p) => traceCase(slot, p)),
  ),
  // Wrong types where the README fixes the type.
  ...[S.input, S.output].flatMap((slot) => WRONG_TYPES.map((w) => traceCase(slot, w, true))),
  ...WRONG_TYPES.filter((w) => !["zero", "null"].includes(w.label)).map((w) => traceCase(S.latency, w, true)),
  ...WRONG_TYPES.filter((w) => w.label !== "null").map((w) => traceCase(S.timestamp, w, true)),
  ...[h("a string", js("many")), h("an array", "[1]"), h("true", "true")].flatMap((w) => [
    traceCase(S.usage, w, true),
    traceCase(S.tags, w, true),
    traceCase(S.toolCalls, w, true),
  ]),
  ...WRONG_TYPES.filter((w) => !["null", "zero"].includes(w.label)).map((w) =>
    traceCase(S.usageInput, w, true),
  ),
  traceCase(S.input, h("blank unicode", js("\u00a0\u2003\u3000\t\n")), false),
  // Long strings and long lists.
  traceCase(S.id, LONG_STRING, true),
  traceCase(S.input, h("100,001 characters", js("x".repeat(100_001))), true),
  traceCase(S.metadataValue, h("900,000 characters", js("m".repeat(900_000)))),
  traceCase(S.metadata, h(`{${keyLabel("k".repeat(100_000))}: 1}`, obj(["k".repeat(100_000), "1"]))),
  traceCase(S.tags, h("10,000 tags", arr(...Array.from({ length: 10_000 }, (_, i) => js(`t${i}`))))),
  traceCase(S.toolCalls, h("5,000 tool calls", arr(...Array.from({ length: 5_000 }, () => TOOL_CALL())))),
  traceCase(
    S.metadata,
    h(
      "an object with 20,000 keys",
      obj(...Array.from({ length: 20_000 }, (_, i): [string, Json] => [`k${i}`, "1"])),
    ),
  ),
];

/** Hostile keys at the top level of a trace: unknown fields, which the README says are rejected. */
const TOP_LEVEL_KEY_CASES = HOSTILE_KEYS.map((key) =>
  named(
    {
      label: `a trace with the top-level key ${keyLabel(key)}`,
      key,
      body: () => obj(...traceEntries(), [key, obj([POLLUTION, "true"])]),
    },
    `top-level key ${keyLabel(key)}`,
  ),
);

// ---------------------------------------------------------------------------------------------------
// Bodies that are hostile as a whole, for every route that takes one.

interface BodyCase {
  label: string;
  body: () => Json | Uint8Array;
  type: string | null;
}
const bodyCase = (
  label: string,
  body: () => Json | Uint8Array,
  type: string | null = "application/json",
): BodyCase => named({ label, body, type }, label);

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const INVALID_UTF8 = new Uint8Array([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]);
/** A valid trace whose input holds bytes that are not UTF-8. */
function traceWithBytes(bytes: Uint8Array): Bytes {
  const [before, after] = traceJson([["input", js("@@BYTES@@")]]).split("@@BYTES@@");
  return bytesOf(utf8(before ?? ""), bytes, utf8(after ?? ""));
}
function utf16(text: string): Bytes {
  const out = new Uint8Array(2 + text.length * 2);
  out.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++)
    new DataView(out.buffer).setUint16(2 + i * 2, text.charCodeAt(i), true);
  return out;
}

const BODY_CASES: BodyCase[] = [
  bodyCase("an empty body", () => ""),
  bodyCase("an empty body with no Content-Type", () => new Uint8Array(), null),
  bodyCase("null", () => "null"),
  bodyCase("true", () => "true"),
  bodyCase("1e309", () => "1e309"),
  bodyCase("just a string", () => js("just a string")),
  bodyCase("a string with a lone surrogate", () => js("\ud800")),
  bodyCase("an empty array", () => "[]"),
  bodyCase("an array holding a trace", () => arr(traceJson())),
  bodyCase("invalid JSON: an open brace", () => "{"),
  bodyCase("invalid JSON: a trailing comma", () => '{"input":"a",}'),
  bodyCase("invalid JSON: single quotes", () => "{'input':'a'}"),
  bodyCase("invalid JSON: NaN", () => '{"latency_ms":NaN}'),
  bodyCase("two JSON texts", () => '{"a":1}{"b":2}'),
  bodyCase("objects nested 5,000 deep", () => nestedObjects(5_000)),
  bodyCase("arrays nested 5,000 deep", () => nestedArrays(5_000)),
  bodyCase("objects nested 50,000 deep", () => nestedObjects(50_000)),
  bodyCase("arrays nested 200,000 deep", () => nestedArrays(200_000)),
  bodyCase("unbalanced: 100,000 open brackets", () => "[".repeat(100_000)),
  bodyCase('{"__proto__": {...}}', () => obj(["__proto__", obj([POLLUTION, "true"])])),
  bodyCase('{"constructor": {"prototype": {...}}}', () =>
    obj(["constructor", obj(["prototype", obj([POLLUTION, "true"])])]),
  ),
  bodyCase("a lone surrogate as a key", () => obj(["\ud800", "1"])),
  bodyCase("a 200,000-character key", () => obj(["k".repeat(200_000), "1"])),
  bodyCase("an object with 50,000 keys", () =>
    obj(...Array.from({ length: 50_000 }, (_, i): [string, Json] => [`k${i}`, "1"])),
  ),
  bodyCase("invalid UTF-8 bytes", () => INVALID_UTF8),
  bodyCase("a trace with invalid UTF-8 inside a string", () => traceWithBytes(INVALID_UTF8)),
  bodyCase("a trace with a CESU-8 surrogate inside a string", () =>
    traceWithBytes(new Uint8Array([0xed, 0xa0, 0x80])),
  ),
  bodyCase("a trace after a BOM", () => bytesOf(BOM, utf8(traceJson()))),
  bodyCase("a trace in UTF-16", () => utf16(traceJson()), "application/json; charset=utf-16"),
  bodyCase("a trace followed by NUL", () => `${traceJson()}\u0000`),
  bodyCase("a trace as text/plain", () => traceJson(), "text/plain"),
  bodyCase("a trace as a form", () => traceJson(), "application/x-www-form-urlencoded"),
  bodyCase("a trace as multipart", () => traceJson(), "multipart/form-data; boundary=x"),
  bodyCase("a trace with a malformed Content-Type", () => traceJson(), "application/json;;; charset"),
  bodyCase("a trace with no Content-Type", () => utf8(traceJson()), null),
  bodyCase("a body of 2 MB", () => obj(["blob", js("b".repeat(2_000_000))])),
];

// ---------------------------------------------------------------------------------------------------
// The other write routes' slots.

const keySlot = (path: string, field: string, sample: Json, put: (v: Json) => Json = (v) => v) =>
  slotOf(path, field, sample, (v) =>
    obj(
      ...withEntries(
        [
          ["name", js("hostile key")],
          ["scopes", arr(js("traces:read"))],
        ],
        [[field, put(v)]],
      ),
    ),
  );
const KEY_SLOTS = [
  keySlot("name", "name", js("ingest")),
  keySlot("scopes", "scopes", arr(js("traces:read"))),
  keySlot("scopes[0]", "scopes", js("traces:write"), (v) => arr(v)),
  keySlot("expires_at", "expires_at", js("2099-01-01T00:00:00.000Z")),
  keySlot("rate_limit_per_minute", "rate_limit_per_minute", "120"),
];

const JUDGE = (over: [string, Json][] = []) =>
  obj(
    ...withEntries(
      [
        ["provider", js("openai")],
        ["model", js("gpt-4o-mini")],
        ["daily_budget_usd", "5"],
        ["calibration_sample_rate", "0.01"],
      ],
      over,
    ),
  );
const settingsSlot = (path: string, field: string, sample: Json, put: (v: Json) => Json = (v) => v) =>
  slotOf(path, field, sample, (v) => obj(...withEntries([["phi_redaction", js("off")]], [[field, put(v)]])));
const SETTINGS_SLOTS = [
  settingsSlot("phi_redaction", "phi_redaction", js("mask")),
  settingsSlot("judge", "judge", JUDGE()),
  settingsSlot("judge.provider", "judge", js("anthropic"), (v) => JUDGE([["provider", v]])),
  settingsSlot("judge.model", "judge", js("gpt-4o"), (v) => JUDGE([["model", v]])),
  settingsSlot("judge.daily_budget_usd", "judge", "3", (v) => JUDGE([["daily_budget_usd", v]])),
  settingsSlot("judge.calibration_sample_rate", "judge", "0.5", (v) =>
    JUDGE([["calibration_sample_rate", v]]),
  ),
];

const orgSlot = (path: string, field: string, sample: Json, put: (v: Json) => Json = (v) => v) =>
  slotOf(path, field, sample, (v) =>
    obj(
      ...withEntries(
        [
          ["name", js("Hostile organization")],
          ["plan", js("enterprise")],
          ["limits", obj(["requests_per_minute", "1000"], ["traces_per_month", "1000"])],
        ],
        [[field, put(v)]],
      ),
    ),
  );
const ORG_SLOTS = [
  orgSlot("name", "name", js("Acme Health")),
  orgSlot("plan", "plan", js("enterprise")),
  orgSlot("limits", "limits", obj(["requests_per_minute", "2000"])),
  orgSlot("limits.requests_per_minute", "limits", "2000", (v) => obj(["requests_per_minute", v])),
  orgSlot("limits.traces_per_month", "limits", "5000", (v) => obj(["traces_per_month", v])),
];

const REDRIVE_SLOTS = [
  slotOf("trace_ids", "trace_ids", arr(js("trc_01JC0000000000000000000000")), (v) => obj(["trace_ids", v])),
  slotOf("trace_ids[0]", "trace_ids", js("trc_01JC0000000000000000000000"), (v) =>
    obj(["trace_ids", arr(v)]),
  ),
  slotOf("limit", "limit", "10", (v) => obj(["limit", v])),
];

const RULE = (over: [string, Json][] = []) =>
  obj(
    ...withEntries(
      [
        ["id", js("hostile.phrase")],
        ["kind", js("phrases")],
        ["severity", js("low")],
        ["description", js("Says the hostile phrase.")],
        ["phrases", arr(js("hostile phrase"))],
      ],
      over,
    ),
  );
const PATTERN_RULE = (patterns: Json) =>
  obj(
    ["id", js("hostile.pattern")],
    ["kind", js("pattern")],
    ["severity", js("low")],
    ["description", js("Matches a pattern.")],
    ["patterns", patterns],
  );
const packSlot = (path: string, field: string, sample: Json, put: (v: Json) => Json = (v) => v) =>
  slotOf(path, field, sample, (v) =>
    obj(
      ...withEntries(
        [
          ["name", js("hostile")],
          ["version", js("1.0.0")],
          ["display_name", js("Hostile pack")],
          ["description", js("A pack for hostile-input tests.")],
          ["risk_level", js("low")],
          ["rules", arr(RULE())],
        ],
        [[field, put(v)]],
      ),
    ),
  );
const PACK_SLOTS = [
  packSlot("name", "name", js("hostile")),
  packSlot("version", "version", js("1.2.3")),
  packSlot("display_name", "display_name", js("Hostile")),
  packSlot("risk_level", "risk_level", js("high")),
  packSlot("rules", "rules", arr(RULE())),
  packSlot("rules[0]", "rules", RULE(), (v) => arr(v)),
  packSlot("rules[0].id", "rules", js("hostile.other"), (v) => arr(RULE([["id", v]]))),
  packSlot("rules[0].phrases", "rules", arr(js("x")), (v) => arr(RULE([["phrases", v]]))),
  packSlot("rules[0].when", "rules", obj(["phrases", arr(js("oxycodone"))]), (v) => arr(RULE([["when", v]]))),
  packSlot("rules[0].patterns[0]", "rules", js("guaranteed"), (v) => arr(PATTERN_RULE(arr(v)))),
];

const REGEX_STRINGS: Hostile[] = [
  "(unclosed",
  "\\",
  "(?<",
  "[\\ud800-\\udfff]",
  "\ud800",
  "\u0000",
  "(a+)+$",
  "(?=a)*",
  "\\p{Nope}",
  "x{99999999999}",
  "(".repeat(5_000) + ")".repeat(5_000),
].map((p) =>
  h(`the pattern ${p.length > 30 ? `${p.slice(0, 10)}… (${p.length} characters)` : js(p)}`, js(p)),
);

interface SlotCase {
  label: string;
  slot: Slot;
  value: Hostile;
}
/** Hostile values for a route's slots: deep JSON, numbers, text, wrong types, times, prototype keys. */
function slotCases(slots: Slot[], extra: (slot: Slot) => Hostile[] = () => []): SlotCase[] {
  return slots.flatMap((slot) =>
    [
      DEEP[0],
      DEEP[3],
      ...NUMBERS.slice(0, 5),
      STRINGS[0],
      STRINGS[4],
      LONG_STRING,
      ...WRONG_TYPES.slice(0, 4),
      PROTO_PAYLOADS[0],
      ...extra(slot),
    ]
      .filter((v): v is Hostile => v !== undefined)
      .map((value) =>
        named({ label: `${slot.path} = ${value.label}`, slot, value }, `${slot.path} = ${value.label}`),
      ),
  );
}

const TIMES_FOR = (fields: string[]) => (slot: Slot) =>
  fields.includes(slot.path) ? [...BAD_TIMES, ...EDGE_TIMES, ...BAD_TIME_NUMBERS] : [];

// ---------------------------------------------------------------------------------------------------
// YAML domain packs.

const PACK_YAML = `name: hostile
version: 1.0.0
display_name: Hostile pack
description: A pack for hostile-input tests.
risk_level: low
rules:
  - id: hostile.phrase
    kind: phrases
    severity: low
    description: Says the hostile phrase.
    phrases: ["hostile phrase"]
`;
const packWith = (line: string) => PACK_YAML.replace("risk_level: low\n", `risk_level: low\n${line}\n`);
const laughs = () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const name = String.fromCharCode(97 + i);
    const prev = String.fromCharCode(96 + i);
    lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(",")}]`);
  }
  return `${PACK_YAML}laughs:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
};

const YAML_CASES: { label: string; body: () => string | Uint8Array }[] = [
  {
    label: "rules as flow sequences nested 5,000 deep",
    body: () => PACK_YAML.replace(/rules:[\s\S]*/, `rules: ${nestedArrays(5_000, "x")}\n`),
  },
  {
    label: "a description as flow mappings nested 5,000 deep",
    body: () => packWith(`regulatory_frameworks: ${"{a: ".repeat(5_000)}1${"}".repeat(5_000)}`),
  },
  { label: "a document of flow sequences nested 50,000 deep", body: () => nestedArrays(50_000) },
  { label: "unbalanced: 50,000 open brackets", body: () => "[".repeat(50_000) },
  {
    label: "block mappings nested 1,000 deep",
    body: () =>
      `${PACK_YAML}extra:\n${Array.from({ length: 1_000 }, (_, i) => `${" ".repeat(i + 2)}a${i}:`).join("\n")} 1\n`,
  },
  {
    label: "block sequences nested 5,000 deep on one line",
    body: () => `${PACK_YAML}extra: \n  ${"- ".repeat(5_000)}x\n`,
  },
  { label: "a billion laughs", body: laughs },
  {
    label: "an alias to an anchor that does not exist",
    body: () => PACK_YAML.replace("name: hostile", "name: *nope"),
  },
  { label: "a merge key of an alias to itself", body: () => `${PACK_YAML}extra: &x\n  <<: *x\n` },
  {
    label: "a !!js/function tag",
    body: () => PACK_YAML.replace("Hostile pack", "!!js/function 'function () { return 1 }'"),
  },
  { label: "a custom tag", body: () => PACK_YAML.replace("Hostile pack", "!hostile x") },
  { label: "a !!binary value", body: () => PACK_YAML.replace("Hostile pack", "!!binary AAAA") },
  {
    label: "a !!timestamp out of range",
    body: () => PACK_YAML.replace("version: 1.0.0", "version: !!timestamp +275760-09-13T00:00:00.001Z"),
  },
  { label: "a date as the version", body: () => PACK_YAML.replace("version: 1.0.0", "version: 0000-00-00") },
  {
    label: "a 30-digit integer as the version",
    body: () => PACK_YAML.replace("version: 1.0.0", "version: 123456789012345678901234567890"),
  },
  {
    label: ".inf and .nan",
    body: () => PACK_YAML.replace("version: 1.0.0", "version: .inf").replace("Hostile pack", ".nan"),
  },
  { label: "a top-level __proto__ key", body: () => `__proto__: {${POLLUTION}: true}\n${PACK_YAML}` },
  {
    label: "a __proto__ key in a rule",
    body: () =>
      PACK_YAML.replace("    kind: phrases", `    __proto__: {${POLLUTION}: true}\n    kind: phrases`),
  },
  {
    label: "a constructor.prototype key",
    body: () => `constructor: {prototype: {${POLLUTION}: true}}\n${PACK_YAML}`,
  },
  {
    label: "a merge key carrying __proto__",
    body: () =>
      `base: &b {__proto__: {${POLLUTION}: true}}\n${PACK_YAML.replace("rules:", "rules:\n  - <<: *b\n    id: x\n  # rest\nold_rules:")}`,
  },
  { label: "duplicate keys", body: () => `name: a\n${PACK_YAML}` },
  { label: "a complex key", body: () => `? [a, b]\n: c\n${PACK_YAML}` },
  { label: "NUL in a value", body: () => PACK_YAML.replace("Hostile pack", '"Hostile\\0pack"') },
  { label: "a raw NUL byte", body: () => PACK_YAML.replace("Hostile pack", "Hostile\u0000pack") },
  { label: "C0 controls", body: () => PACK_YAML.replace("Hostile pack", "\u0001\u0002\u001b") },
  { label: "a lone surrogate escape", body: () => PACK_YAML.replace("Hostile pack", '"\\ud800"') },
  { label: "a lone surrogate escape as a key", body: () => `"\\udfff": 1\n${PACK_YAML}` },
  {
    label: "invalid UTF-8",
    body: () =>
      bytesOf(utf8(PACK_YAML.replace("Hostile pack", "@")).subarray(0, 40), INVALID_UTF8, utf8(PACK_YAML)),
  },
  { label: "a BOM", body: () => `\ufeff${PACK_YAML}` },
  { label: "several documents", body: () => `${PACK_YAML}---\n${PACK_YAML}` },
  { label: "a %YAML 9.9 directive", body: () => `%YAML 9.9\n---\n${PACK_YAML}` },
  {
    label: "a %TAG directive",
    body: () => `%TAG !h! tag:hostile,2026:\n---\n${PACK_YAML.replace("Hostile pack", "!h!x y")}`,
  },
  { label: "an empty document", body: () => "" },
  { label: "only a comment", body: () => "# nothing here\n" },
  { label: "just a string", body: () => "hostile" },
  { label: "just a sequence", body: () => "- a\n- b\n" },
  { label: "null", body: () => "~" },
  { label: "tabs as indentation", body: () => PACK_YAML.replace(/\n {4}/g, "\n\t\t") },
  {
    label: "a 600,000-character line",
    body: () => PACK_YAML.replace("A pack for hostile-input tests.", "d".repeat(600_000)),
  },
  { label: "a 100,000-character key", body: () => `${"k".repeat(100_000)}: 1\n${PACK_YAML}` },
  {
    label: "10,000 phrases",
    body: () =>
      PACK_YAML.replace(
        '["hostile phrase"]',
        `[${Array.from({ length: 10_000 }, (_, i) => `"p${i}"`).join(",")}]`,
      ),
  },
  {
    label: "a block scalar with a huge indentation indicator",
    body: () => PACK_YAML.replace("A pack for hostile-input tests.", "|9\n         x"),
  },
  { label: "an unterminated quoted string", body: () => PACK_YAML.replace("Hostile pack", '"Hostile') },
];

// ---------------------------------------------------------------------------------------------------
// Helpers per route.

/** POST /api/v1/traces: safe; an accepted trace reads back; the field is named when refused. */
async function sendTrace(
  label: string,
  body: Json | Uint8Array,
  field: string | undefined,
  reject: boolean,
  type: string | null = "application/json",
) {
  const what = `POST /api/v1/traces with ${label}`;
  const response = await post(main, "/api/v1/traces", body, type);
  const { status, body: answer } = await expectSafe(what, response, {
    names: field ? [field] : undefined,
    reject,
  });
  if (status < 300) await expectReadable(main, (answer as { id: string }).id, what);
  return status;
}

interface BatchResult {
  index: number;
  id: string | null;
  status: number;
  error?: ProblemBody;
}

/** POST /api/v1/traces/batch with valid neighbours around each hostile item, which must all be stored. */
async function sendBatch(
  label: string,
  items: { json: Json; field?: string; reject?: boolean; valid?: string; label?: string }[],
) {
  const what = `POST /api/v1/traces/batch with ${label}`;
  const response = await post(
    main,
    "/api/v1/traces/batch",
    arr(...items.map((i) => i.json))
      .replace(/^/, '{"traces":')
      .concat("}"),
  );
  const text = await response.text();
  expect(response.status, `${what} answered ${response.status}: ${excerpt(text)}`).toBe(207);
  const { results } = parseJson(what, text) as { results: BatchResult[] };
  expect(results.map((r) => r.index)).toEqual(items.map((_, i) => i));
  for (const [i, item] of items.entries()) {
    const result = results[i] as BatchResult;
    const itemWhat = `POST /api/v1/traces/batch, item ${i} (${item.label ?? (item.valid ? "a valid neighbour" : label)})`;
    if (item.valid) {
      expect(
        result.status,
        `${itemWhat}, a valid neighbour, answered ${result.status}: ${excerpt(js(result))}`,
      ).toBe(201);
      await expectReadable(main, item.valid, itemWhat);
      continue;
    }
    expect([200, 201, 400, 413], `${itemWhat} answered ${result.status}: ${excerpt(js(result))}`).toContain(
      result.status,
    );
    if (item.reject)
      expect(result.status, `${itemWhat} was accepted: ${excerpt(js(result))}`).toBeGreaterThanOrEqual(400);
    if (result.status === 400) {
      expect(result.error, `${itemWhat}: a 400 without its error`).toBeDefined();
      expectNamedErrors(
        itemWhat,
        result.error ?? {},
        [item.field ? `traces[${i}].${item.field}` : `traces[${i}]`],
        400,
      );
    } else if (result.status < 300) {
      expect(result.id, `${itemWhat}: accepted without an id`).toEqual(expect.any(String));
      await expectReadable(main, result.id ?? "", itemWhat);
    }
  }
}

function neighbour(): { json: Json; valid: string } {
  const id = uid("neighbour");
  return { json: obj(...withEntries(traceEntries(), [["id", js(id)]])), valid: id };
}

async function sendDryRun(
  label: string,
  body: Json | Uint8Array,
  field: string | undefined,
  reject: boolean,
  pack = "healthcare",
  type: string | null = "application/json",
) {
  const what = `POST /api/v1/domains/${pack}/dry-run with ${label}`;
  const response = await post(main, `/api/v1/domains/${pack}/dry-run`, body, type);
  return expectSafe(what, response, { names: field ? [field] : undefined, reject });
}

/** What an accepted write must leave readable, per route. */
const AFTERWARDS: Record<string, (t: Target, answer: unknown, what: string) => Promise<void>> = {
  async keys(t, answer, what) {
    const listed = await send("GET", "/api/v1/keys", { key: t.org.key });
    await expectSafe(`GET /api/v1/keys after ${what}`, listed, { reject: false });
    expect(listed.status, `GET /api/v1/keys after ${what}`).toBe(200);
    const key = (answer as { key?: string }).key;
    if (key)
      await expectSafe(
        `GET /api/v1/organization with the key made by ${what}`,
        await send("GET", "/api/v1/organization", { key }),
      );
  },
  async settings(t, _answer, what) {
    const shown = await send("GET", "/api/v1/organization", { key: t.org.key });
    expect((await expectSafe(`GET /api/v1/organization after ${what}`, shown)).status).toBe(200);
    const id = uid("after-settings");
    const stored = await send("POST", "/api/v1/traces", { key: t.org.key, body: trace({ id }) });
    expect((await expectSafe(`POST /api/v1/traces after ${what}`, stored)).status).toBe(202);
    await expectReadable(t, id, `a trace sent after ${what}`);
    const dry = await send("POST", "/api/v1/domains/healthcare/dry-run", { key: t.org.key, body: trace() });
    expect((await expectSafe(`a dry run after ${what}`, dry)).status).toBe(200);
  },
  async organizations(_t, answer, what) {
    const listed = await send("GET", "/api/v1/admin/organizations", { key: ADMIN_TOKEN });
    expect((await expectSafe(`GET /api/v1/admin/organizations after ${what}`, listed)).status).toBe(200);
    const key = (answer as { api_key?: { key?: string } }).api_key?.key;
    if (key) {
      const shown = await send("GET", "/api/v1/organization", { key });
      expect(
        (await expectSafe(`GET /api/v1/organization of the organization made by ${what}`, shown)).status,
      ).toBe(200);
    }
  },
  async redrive(t, _answer, what) {
    const listed = await send("GET", "/api/v1/admin/dead-letters", { key: t.org.key });
    expect((await expectSafe(`GET /api/v1/admin/dead-letters after ${what}`, listed)).status).toBe(200);
  },
  async domains(t, answer, what) {
    const listed = await send("GET", "/api/v1/domains", { key: t.org.key });
    expect((await expectSafe(`GET /api/v1/domains after ${what}`, listed)).status).toBe(200);
    const name = (answer as { name?: string }).name;
    if (typeof name === "string") {
      const path = encodeURIComponent(name);
      await expectSafe(
        `GET /api/v1/domains/${path} after ${what}`,
        await send("GET", `/api/v1/domains/${path}`, { key: t.org.key }),
      );
      const dry = await send("POST", `/api/v1/domains/${path}/dry-run`, { key: t.org.key, body: trace() });
      await expectSafe(`a dry run of the pack stored by ${what}`, dry);
    }
    const builtin = await send("POST", "/api/v1/domains/healthcare/dry-run", {
      key: t.org.key,
      body: trace(),
    });
    expect((await expectSafe(`a healthcare dry run after ${what}`, builtin)).status).toBe(200);
  },
};

interface JsonRoute {
  name: string;
  method: string;
  path: string;
  target: () => Target;
  key?: () => string;
  slots: Slot[];
  afterwards?: (t: Target, answer: unknown, what: string) => Promise<void>;
  extra?: (slot: Slot) => Hostile[];
}

const ROUTES: JsonRoute[] = [
  {
    name: "keys",
    method: "POST",
    path: "/api/v1/keys",
    target: () => main,
    slots: KEY_SLOTS,
    afterwards: AFTERWARDS.keys,
    extra: TIMES_FOR(["expires_at"]),
  },
  {
    name: "settings",
    method: "PATCH",
    path: "/api/v1/organization/settings",
    target: () => settingsTarget,
    slots: SETTINGS_SLOTS,
    afterwards: AFTERWARDS.settings,
  },
  {
    name: "organizations",
    method: "POST",
    path: "/api/v1/admin/organizations",
    target: () => main,
    key: () => ADMIN_TOKEN,
    slots: ORG_SLOTS,
    afterwards: AFTERWARDS.organizations,
  },
  {
    name: "redrive",
    method: "POST",
    path: "/api/v1/admin/dead-letters/redrive",
    target: () => main,
    slots: REDRIVE_SLOTS,
    afterwards: AFTERWARDS.redrive,
  },
  {
    name: "domains",
    method: "POST",
    path: "/api/v1/domains",
    target: () => domainsTarget,
    slots: PACK_SLOTS,
    afterwards: AFTERWARDS.domains,
    extra: (slot) => (slot.path.startsWith("rules[0].patterns") ? REGEX_STRINGS : []),
  },
];

async function sendToRoute(
  route: JsonRoute,
  label: string,
  body: Json | Uint8Array,
  expectation: Expectation,
  type: string | null = "application/json",
) {
  const t = route.target();
  const what = `${route.method} ${route.path} with ${label}`;
  const response = await post(route.key?.() ?? t, route.path, body, type, route.method);
  const result = await expectSafe(what, response, expectation);
  if (result.status < 300) await route.afterwards?.(t, result.body, what);
  await expectUnharmed(t, what);
  return result;
}

/** Every route that takes a body, for the whole-body cases. */
const BODY_ROUTES: { method: string; path: () => string; target: () => Target; key?: () => string }[] = [
  { method: "POST", path: () => "/api/v1/traces", target: () => main },
  { method: "POST", path: () => "/api/v1/traces/batch", target: () => main },
  { method: "POST", path: () => `/api/v1/traces/${main.clientId}/reevaluate`, target: () => main },
  { method: "POST", path: () => "/api/v1/keys", target: () => main },
  { method: "PATCH", path: () => "/api/v1/organization/settings", target: () => settingsTarget },
  { method: "POST", path: () => "/api/v1/admin/organizations", target: () => main, key: () => ADMIN_TOKEN },
  { method: "POST", path: () => "/api/v1/admin/dead-letters/redrive", target: () => main },
  { method: "POST", path: () => "/api/v1/domains", target: () => domainsTarget },
  { method: "POST", path: () => "/api/v1/domains/healthcare/dry-run", target: () => main },
  { method: "POST", path: () => "/api/v1/live/tickets", target: () => main },
];
const BODY_ROUTE_NAMES = [
  "POST /api/v1/traces",
  "POST /api/v1/traces/batch",
  "POST /api/v1/traces/:id/reevaluate",
  "POST /api/v1/keys",
  "PATCH /api/v1/organization/settings",
  "POST /api/v1/admin/organizations",
  "POST /api/v1/admin/dead-letters/redrive",
  "POST /api/v1/domains",
  "POST /api/v1/domains/:name/dry-run",
  "POST /api/v1/live/tickets",
];

// ---------------------------------------------------------------------------------------------------
// The native API.

describe("the well-formed value of every slot is accepted, so hostile values reach past it", () => {
  it("on POST /api/v1/traces", async () => {
    for (const slot of Object.values(TRACE_SLOTS)) {
      const response = await post(main, "/api/v1/traces", slot.body(slot.sample));
      expect(response.status, `${slot.path} = ${slot.sample}: ${excerpt(await response.text())}`).toBe(202);
    }
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("on %s", async (_label, route) => {
    for (const slot of route.slots) {
      const response = await post(
        route.key?.() ?? route.target(),
        route.path,
        slot.body(slot.sample),
        "application/json",
        route.method,
      );
      expect(
        response.status,
        `${slot.path} = ${slot.sample}: ${excerpt(await response.text())}`,
      ).toBeLessThan(300);
    }
  });
});

describe("POST /api/v1/traces", () => {
  it.each(TRACE_CASES.map((c) => [c.label, c] as const))("%s", async (_label, c) => {
    await sendTrace(c.label, c.body(), c.field, c.reject);
    await expectUnharmed(main, c.label);
  });

  it.each(TOP_LEVEL_KEY_CASES.map((c) => [c.label, c] as const))("refuses %s", async (_label, c) => {
    const what = `POST /api/v1/traces with ${c.label}`;
    await expectSafe(what, await post(main, "/api/v1/traces", c.body()), {
      names: ["(body)", c.key],
      reject: true,
    });
    await expectUnharmed(main, c.label);
  });

  // The README: the same client id again answers 200 with the stored id, alone or in a batch.
  it.each(STRINGS.map((v) => [v.label, v] as const))(
    "a retry of a trace whose id holds %s",
    async (label, value) => {
      const id = `${JSON.parse(value.json) as string}-${uid("retry")}`;
      const what = `POST /api/v1/traces with an id holding ${label}`;
      const first = await expectSafe(what, await post(main, "/api/v1/traces", traceJson([["id", js(id)]])));
      if (first.status >= 300) return;
      const stored = (first.body as { id: string }).id;
      const again = await expectSafe(
        `${what}, sent again`,
        await post(main, "/api/v1/traces", traceJson([["id", js(id)]])),
      );
      expect(again.status, `${what}, sent again`).toBe(200);
      expect((again.body as { id: string }).id, `${what}, sent again`).toBe(stored);
      const batch = await post(
        main,
        "/api/v1/traces/batch",
        obj(["traces", arr(traceJson([["id", js(id)]]))]),
      );
      const { status, body } = await expectSafe(`${what}, sent again in a batch`, batch);
      expect(status, `${what}, sent again in a batch`).toBe(207);
      expect((body as { results: BatchResult[] }).results[0], `${what}, sent again in a batch`).toMatchObject(
        {
          status: 200,
          id: stored,
        },
      );
      await expectReadable(main, stored, what);
      // By the client's own id too (the README: "by Aegis id or your own id"), when a URL can carry it.
      if (id.isWellFormed()) await expectReadable(main, id, `${what} (read by that id)`);
      await expectUnharmed(main, what);
    },
  );

  it.each(BODY_CASES.map((c) => [c.label, c] as const))("a body that is %s", async (_label, c) => {
    await sendTrace(c.label, c.body(), undefined, false, c.type);
    await expectUnharmed(main, c.label);
  });
});

describe("POST /api/v1/traces/batch keeps the valid neighbours of a hostile item", () => {
  // Five hostile items a batch, each between two valid neighbours.
  const groups = Array.from({ length: Math.ceil(TRACE_CASES.length / 5) }, (_, i) =>
    TRACE_CASES.slice(i * 5, i * 5 + 5),
  );
  it.each(groups.map((group) => [group.map((c) => c.label).join(" | "), group] as const))(
    "%s",
    async (_label, group) => {
      const items = [
        neighbour(),
        ...group.flatMap((c) => [
          { json: c.body(), field: c.field, reject: c.reject, label: c.label },
          neighbour(),
        ]),
      ];
      await sendBatch(group.map((c) => c.label).join(" | "), items);
      await expectUnharmed(main, `a batch with ${group.map((c) => c.label).join(" | ")}`);
    },
  );

  it.each(TOP_LEVEL_KEY_CASES.map((c) => [c.label, c] as const))("%s", async (_label, c) => {
    await sendBatch(c.label, [neighbour(), { json: c.body(), reject: true }, neighbour()]);
  });

  it.each([
    ["just a string", js("x")],
    ["null", "null"],
    ["a number", "1e309"],
    ["an array", "[]"],
    ["objects nested 5,000 deep", nestedObjects(5_000)],
    ["arrays nested 100,000 deep", nestedArrays(100_000)],
  ])("as an item: %s", async (label, json) => {
    await sendBatch(label, [
      neighbour(),
      { json, reject: true },
      neighbour(),
      { json, reject: true },
      neighbour(),
    ]);
  });

  it.each([
    ["traces as objects nested 5,000 deep", obj(["traces", nestedObjects(5_000)]), true],
    // An array whose one item is an array nested 100,000 deep: refused as a whole, or item by item.
    ["traces as arrays nested 100,000 deep", obj(["traces", nestedArrays(100_000)]), false],
    ["traces as a string", obj(["traces", js("x")]), true],
    [
      "traces and __proto__",
      obj(["__proto__", obj([POLLUTION, "true"])], ["traces", arr(traceJson())]),
      true,
    ],
    ["traces twice", `{"traces":[${traceJson()}],"traces":"x"}`, true],
  ] as const)("an envelope with %s", async (label, body, reject) => {
    const what = `POST /api/v1/traces/batch with ${label}`;
    await expectSafe(what, await post(main, "/api/v1/traces/batch", body), { reject });
    await expectUnharmed(main, what);
  });
});

describe("POST /api/v1/domains/:name/dry-run", () => {
  it.each(TRACE_CASES.map((c) => [c.label, c] as const))("%s", async (_label, c) => {
    await sendDryRun(c.label, c.body(), c.field, c.reject);
    await expectUnharmed(main, `a dry run with ${c.label}`);
  });

  it.each(["%00", "a%00b", "%ED%A0%80", "%", "x".repeat(10_000), "__proto__", "constructor"])(
    "of the pack named %s",
    async (name) => {
      const what = `POST /api/v1/domains/${name.slice(0, 40)}/dry-run`;
      await expectSafe(what, await post(main, `/api/v1/domains/${name}/dry-run`, traceJson()));
    },
  );
});

describe("POST /api/v1/traces/:id/reevaluate", () => {
  it.each([
    "%00",
    "a%00b",
    "%ED%A0%80",
    "%FF",
    "%",
    "%zz",
    "x".repeat(20_000),
    "__proto__",
    "constructor",
    "..%2F..%2Fadmin",
  ])("of the trace %s", async (id) => {
    const what = `POST /api/v1/traces/${id.slice(0, 40)}/reevaluate`;
    await expectSafe(what, await post(main, `/api/v1/traces/${id}/reevaluate`, "{}"));
    await expectUnharmed(main, what);
  });

  it("of traces accepted with hostile contents", async () => {
    for (const c of [
      ...FREE_SLOTS.map((slot) => traceCase(slot, DEEP[0] as Hostile)),
      traceCase(S.input, STRINGS[0] as Hostile),
    ]) {
      const response = await post(main, "/api/v1/traces", c.body());
      const { status, body } = await expectSafe(`POST /api/v1/traces with ${c.label}`, response);
      if (status >= 300) continue;
      const id = (body as { id: string }).id;
      await expectSafe(
        `POST /api/v1/traces/:id/reevaluate of a trace with ${c.label}`,
        await post(main, `/api/v1/traces/${id}/reevaluate`, "{}"),
      );
      await expectReadable(main, id, `a reevaluated trace with ${c.label}`);
    }
  });
});

describe.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s", (_name, route) => {
  it.each(slotCases(route.slots, route.extra).map((c) => [c.label, c] as const))("%s", async (_label, c) => {
    await sendToRoute(route, c.label, c.slot.body(c.value.json), { names: [c.slot.field] });
  });

  it.each(HOSTILE_KEYS.map((key) => [keyLabel(key), key] as const))(
    "a top-level key %s",
    async (label, key) => {
      const base = route.slots[0]?.body(route.slots[0].sample) ?? "{}";
      await sendToRoute(
        route,
        `the top-level key ${label}`,
        `${base.slice(0, -1)},${js(key)}:${obj([POLLUTION, "true"])}}`,
        {},
      );
    },
  );
});

describe("POST /api/v1/domains with YAML", () => {
  it.each(YAML_CASES.map((c) => [c.label, c] as const))("%s", async (_label, c) => {
    const route = ROUTES.find((r) => r.name === "domains") as JsonRoute;
    await sendToRoute(route, `YAML: ${c.label}`, c.body(), {}, "application/yaml");
  });
});

/** The whole-body cases for the other routes (POST /api/v1/traces takes them all, above). */
const CORE_BODY_CASES = BODY_CASES.filter((c) =>
  [
    "an empty body",
    "an empty body with no Content-Type",
    "null",
    "just a string",
    "an array holding a trace",
    "invalid JSON: an open brace",
    "objects nested 5,000 deep",
    "arrays nested 200,000 deep",
    "unbalanced: 100,000 open brackets",
    '{"__proto__": {...}}',
    '{"constructor": {"prototype": {...}}}',
    "a lone surrogate as a key",
    "a 200,000-character key",
    "invalid UTF-8 bytes",
    "a trace after a BOM",
    "a trace in UTF-16",
    "a trace as text/plain",
    "a trace with no Content-Type",
    "a body of 2 MB",
  ].includes(c.label),
);

describe.each(BODY_ROUTES.slice(1).map((r, i) => [BODY_ROUTE_NAMES[i + 1] ?? r.method, r] as const))(
  "%s, a body that is",
  (_name, route) => {
    it.each(CORE_BODY_CASES.map((c) => [c.label, c] as const))("%s", async (_label, c) => {
      const t = route.target();
      const what = `${route.method} ${route.path()} with ${c.label}`;
      await expectSafe(what, await post(route.key?.() ?? t, route.path(), c.body(), c.type, route.method));
      await expectUnharmed(t, what);
    });
  },
);

// ---------------------------------------------------------------------------------------------------
// The same ingredients, mixed by fast-check.

const slotArb = fc.constantFrom(...Object.values(TRACE_SLOTS));
const PROPERTY = { endOnFailure: true, interruptAfterTimeLimit: 3_000 } as const;

describe("generated hostile values", () => {
  it("POST /api/v1/traces", { timeout: 30_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(slotArb, valueArb, async (slot, value) => {
        await sendTrace(`${slot.path} = ${value.label}`, slot.body(value.json), slot.field, false);
        await expectUnharmed(main, `${slot.path} = ${value.label}`);
      }),
      { ...PROPERTY, numRuns: 40 },
    );
  });

  it("POST /api/v1/traces with hostile keys in free-form objects and at the top level", {
    timeout: 30_000,
  }, async () => {
    const placement = fc.constantFrom("top level", ...FREE_SLOTS.map((s) => s.path));
    await fc.assert(
      fc.asyncProperty(placement, keyArb, valueArb, async (where, key, value) => {
        const slot = FREE_SLOTS.find((s) => s.path === where);
        const label = `${where}: {${keyLabel(key)}: ${value.label}}`;
        const body = slot ? slot.body(obj([key, value.json])) : obj(...traceEntries(), [key, value.json]);
        await sendTrace(label, body, slot ? slot.field : undefined, false);
        await expectUnharmed(main, label);
      }),
      { ...PROPERTY, numRuns: 30 },
    );
  });

  it("POST /api/v1/traces/batch", { timeout: 30_000 }, async () => {
    const item = fc.oneof(fc.constant(null), fc.tuple(slotArb, valueArb));
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 6 }), async (items) => {
        const label = items.map((i) => (i ? `${i[0].path} = ${i[1].label}` : "valid")).join("; ");
        await sendBatch(label, [
          neighbour(),
          ...items.map((i) =>
            i
              ? { json: i[0].body(i[1].json), field: i[0].field, label: `${i[0].path} = ${i[1].label}` }
              : neighbour(),
          ),
          neighbour(),
        ]);
      }),
      { ...PROPERTY, numRuns: 15 },
    );
  });

  it("POST /api/v1/domains/:name/dry-run", { timeout: 30_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(slotArb, valueArb, async (slot, value) => {
        await sendDryRun(`${slot.path} = ${value.label}`, slot.body(value.json), slot.field, false);
      }),
      { ...PROPERTY, numRuns: 30 },
    );
  });

  it("keys, settings, organizations, dead-letter redrive and JSON domain packs", {
    timeout: 30_000,
  }, async () => {
    const routeSlot = fc.constantFrom(
      ...ROUTES.flatMap((route) =>
        route.slots.map((slot) => named({ route, slot }, `${route.path} ${slot.path}`)),
      ),
    );
    await fc.assert(
      fc.asyncProperty(routeSlot, valueArb, async ({ route, slot }, value) => {
        await sendToRoute(route, `${slot.path} = ${value.label}`, slot.body(value.json), {
          names: [slot.field],
        });
      }),
      { ...PROPERTY, numRuns: 40 },
    );
  });

  it("YAML domain packs", { timeout: 30_000 }, async () => {
    const yamlPiece = fc.constantFrom(
      "[",
      "]",
      "{",
      "}",
      ": ",
      "- ",
      "&a ",
      "*a",
      "!!str ",
      "!x ",
      "<<: ",
      "? ",
      "|",
      ">",
      "#",
      "'",
      '"',
      "%",
      "@",
      "`",
      "\n",
      "\n  ",
      "\t",
      " ",
      "~",
      ".inf",
      "1e309",
      "0000-00-00",
      "__proto__: ",
      "\u0000",
      "\ud800",
      "\\ud800",
      "x",
    );
    const route = ROUTES.find((r) => r.name === "domains") as JsonRoute;
    await fc.assert(
      fc.asyncProperty(fc.array(yamlPiece, { maxLength: 60 }), fc.boolean(), async (pieces, inPack) => {
        const text = pieces.join("");
        const body = inPack ? packWith(`extra: ${text}`) : text;
        await sendToRoute(route, `YAML ${js(body).slice(0, 200)}`, body, {}, "application/yaml");
      }),
      { ...PROPERTY, numRuns: 30 },
    );
  });

  it("whole bodies at every route", { timeout: 30_000 }, async () => {
    const body = fc.oneof(
      valueArb.map((v) => named({ label: v.label, bytes: utf8(v.json) }, v.label)),
      fc.uint8Array({ maxLength: 300 }).map((b) =>
        named(
          {
            label: `the bytes ${Array.from(b.subarray(0, 20)).join(",")}…`,
            bytes: new Uint8Array(b) as Bytes,
          },
          "bytes",
        ),
      ),
      hostileText.map((s) => named({ label: `the text ${js(s)}`, bytes: utf8(s) }, `text ${js(s)}`)),
    );
    const type = fc.constantFrom<string | null>(
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/yaml",
      null,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: BODY_ROUTES.length - 1 }),
        body,
        type,
        async (index, b, contentType) => {
          const route = BODY_ROUTES[index] as (typeof BODY_ROUTES)[number];
          const t = route.target();
          const what = `${route.method} ${route.path()} with ${b.label} as ${contentType}`;
          await expectSafe(
            what,
            await post(route.key?.() ?? t, route.path(), b.bytes, contentType, route.method),
          );
          await expectUnharmed(t, what);
        },
      ),
      { ...PROPERTY, numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// OTLP.

interface OtlpCase {
  label: string;
  body: () => Promise<Uint8Array> | Uint8Array;
  type: string | null;
  encoding?: string;
  traceIds: string[];
}

const JSON_CONTENT = [
  obj(["key", js("input.value")], ["value", obj(["stringValue", js(QUESTION)])]),
  obj(["key", js("output.value")], ["value", obj(["stringValue", js(ANSWER)])]),
];
const jsonAttr = (key: string, value: Json): Json => obj(["key", js(key)], ["value", value]);
const jsonText = (s: string): Json => obj(["stringValue", js(s)]);

interface JsonSpan {
  traceId?: Json;
  spanId?: Json;
  parentSpanId?: Json;
  name?: Json;
  kind?: Json;
  start?: Json;
  end?: Json;
  attributes?: Json[];
  events?: Json[];
  status?: Json;
  extra?: [string, Json][];
}

function jsonSpan(traceId: string, span: JsonSpan = {}): Json {
  const now = nowNanos();
  const entries: [string, Json][] = [
    ["traceId", span.traceId ?? js(traceId)],
    ["spanId", span.spanId ?? js(hex(8))],
    ["name", span.name ?? js("chat")],
    ["kind", span.kind ?? "3"],
    ["startTimeUnixNano", span.start ?? js(String(now - 1_000_000_000n))],
    ["endTimeUnixNano", span.end ?? js(String(now))],
    ["attributes", arr(...(span.attributes ?? JSON_CONTENT))],
    ["events", arr(...(span.events ?? []))],
    ["status", span.status ?? obj(["code", "1"])],
  ];
  if (span.parentSpanId) entries.push(["parentSpanId", span.parentSpanId]);
  return obj(...entries, ...(span.extra ?? []));
}

const jsonTraces = (spans: Json[], resource: Json[] = []): Json =>
  obj([
    "resourceSpans",
    arr(
      obj(
        ["resource", obj(["attributes", arr(...resource)])],
        ["scopeSpans", arr(obj(["scope", obj(["name", js("hostile")])], ["spans", arr(...spans)]))],
      ),
    ),
  ]);

const jsonDeepAnyValue = (depth: number, kind: "array" | "kvlist"): Json =>
  kind === "array"
    ? `${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"leaf"}${"]}}".repeat(depth)}`
    : `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth)}{"intValue":"1"}${"}]}}".repeat(depth)}`;

const JSON_TIMES: [string, Json][] = [
  ["30 digits as a string", js("1".repeat(30))],
  ["30 digits as a number", "1".repeat(30)],
  ['"1e30"', js("1e30")],
  ["the number 1e30", "1e30"],
  ["the number 1e309", "1e309"],
  ["-1", "-1"],
  ['"-1"', js("-1")],
  ['"18446744073709551616" (2^64)', js("18446744073709551616")],
  ['"18446744073709551615" (2^64 - 1)', js("18446744073709551615")],
  ['"9223372036854775808" (2^63)', js("9223372036854775808")],
  ["1.5", "1.5"],
  ['"abc"', js("abc")],
  ['"0x10"', js("0x10")],
  ["1,000 digits", js("9".repeat(1_000))],
  ["null", "null"],
  ["an object", "{}"],
];

function otlpJsonCase(label: string, build: (traceId: string) => Json, type = "application/json"): OtlpCase {
  const traceId = hex(16);
  return named(
    { label: `JSON: ${label}`, body: () => utf8(build(traceId)), type, traceIds: [traceId] },
    `JSON: ${label}`,
  );
}
const withAttr = (attr: Json) => (id: string) =>
  jsonTraces([jsonSpan(id, { attributes: [...JSON_CONTENT, attr] })]);

const OTLP_JSON_CASES: OtlpCase[] = [
  ...[1_000, 3_000, 10_000].flatMap((depth) =>
    (["array", "kvlist"] as const).map((kind) =>
      otlpJsonCase(
        `a span attribute's ${kind}Value nested ${depth} deep`,
        withAttr(jsonAttr("deep", jsonDeepAnyValue(depth, kind))),
      ),
    ),
  ),
  otlpJsonCase("a resource attribute's kvlistValue nested 3,000 deep", (id) =>
    jsonTraces([jsonSpan(id)], [jsonAttr("deep", jsonDeepAnyValue(3_000, "kvlist"))]),
  ),
  otlpJsonCase("an event attribute's arrayValue nested 3,000 deep", (id) =>
    jsonTraces([
      jsonSpan(id, {
        events: [
          obj(
            ["timeUnixNano", js(String(nowNanos()))],
            ["name", js("e")],
            ["attributes", arr(jsonAttr("deep", jsonDeepAnyValue(3_000, "array")))],
          ),
        ],
      }),
    ]),
  ),
  otlpJsonCase("input.value as a kvlistValue nested 3,000 deep", (id) =>
    jsonTraces([
      jsonSpan(id, {
        attributes: [jsonAttr("input.value", jsonDeepAnyValue(3_000, "kvlist")), JSON_CONTENT[1] as Json],
      }),
    ]),
  ),
  otlpJsonCase("output.value as an arrayValue nested 3,000 deep", (id) =>
    jsonTraces([
      jsonSpan(id, {
        attributes: [JSON_CONTENT[0] as Json, jsonAttr("output.value", jsonDeepAnyValue(3_000, "array"))],
      }),
    ]),
  ),
  otlpJsonCase(
    "gen_ai.input.messages holding JSON nested 5,000 deep",
    withAttr(jsonAttr("gen_ai.input.messages", jsonText(`[{"role":"user","parts":${nestedArrays(5_000)}}]`))),
  ),
  otlpJsonCase(
    "gen_ai.output.messages holding JSON nested 5,000 deep",
    withAttr(jsonAttr("gen_ai.output.messages", jsonText(nestedObjects(5_000)))),
  ),
  otlpJsonCase(
    "aegis.context holding JSON nested 5,000 deep",
    withAttr(jsonAttr("aegis.context", jsonText(nestedObjects(5_000)))),
  ),
  otlpJsonCase(
    "aegis.metadata.note holding JSON nested 5,000 deep",
    withAttr(jsonAttr("aegis.metadata.note", jsonText(nestedArrays(5_000)))),
  ),
  otlpJsonCase("a tool call's arguments holding JSON nested 5,000 deep", (id) => {
    const root = hex(8);
    return jsonTraces([
      jsonSpan(id, { spanId: js(root) }),
      jsonSpan(id, {
        parentSpanId: js(root),
        name: js("execute_tool lookup"),
        attributes: [
          jsonAttr("gen_ai.operation.name", jsonText("execute_tool")),
          jsonAttr("gen_ai.tool.name", jsonText("lookup")),
          jsonAttr("gen_ai.tool.call.arguments", jsonText(nestedObjects(5_000))),
          jsonAttr("gen_ai.tool.call.result", jsonText(nestedArrays(5_000))),
        ],
      }),
    ]);
  }),
  ...JSON_TIMES.flatMap(([label, time]) => [
    otlpJsonCase(`startTimeUnixNano ${label}`, (id) => jsonTraces([jsonSpan(id, { start: time })])),
    otlpJsonCase(`endTimeUnixNano ${label}`, (id) => jsonTraces([jsonSpan(id, { end: time })])),
    otlpJsonCase(`an event's timeUnixNano ${label}`, (id) =>
      jsonTraces([jsonSpan(id, { events: [obj(["timeUnixNano", time], ["name", js("e")])] })]),
    ),
  ]),
  otlpJsonCase("both times 30 digits", (id) =>
    jsonTraces([jsonSpan(id, { start: js("1".repeat(30)), end: js("2".repeat(30)) })]),
  ),
  otlpJsonCase("an end before the start", (id) =>
    jsonTraces([jsonSpan(id, { start: js(String(nowNanos())), end: js("1") })]),
  ),
  otlpJsonCase("a start at 0 and an end at 2^64 - 1", (id) =>
    jsonTraces([jsonSpan(id, { start: js("0"), end: js("18446744073709551615") })]),
  ),
  ...(
    [
      ["a traceId of 32 g's", js("g".repeat(32))],
      ["a traceId of 32 NULs", js("\u0000".repeat(32))],
      ["a traceId of lone surrogates", js("\ud800".repeat(32))],
      ["a traceId that is a number", "12345"],
      ["a traceId of 10,000 characters", js("ab".repeat(5_000))],
      ["a traceId that is an object", nestedObjects(5_000)],
    ] as const
  ).map(([label, traceId]) =>
    otlpJsonCase(label, (id) => jsonTraces([jsonSpan(id, { traceId }), jsonSpan(id)])),
  ),
  otlpJsonCase("an empty spanId", (id) => jsonTraces([jsonSpan(id, { spanId: js("") })])),
  otlpJsonCase("a parentSpanId of garbage", (id) =>
    jsonTraces([jsonSpan(id, { parentSpanId: js("zz\u0000") })]),
  ),
  otlpJsonCase("a name of 200,000 characters", (id) =>
    jsonTraces([jsonSpan(id, { name: js("n".repeat(200_000)) })]),
  ),
  otlpJsonCase("a name of NUL and lone surrogates", (id) =>
    jsonTraces([jsonSpan(id, { name: js("\u0000\ud800\udfff") })]),
  ),
  otlpJsonCase("a name that is a number", (id) => jsonTraces([jsonSpan(id, { name: "1e309" })])),
  ...[
    ...HOSTILE_KEYS,
    "aegis.metadata.__proto__",
    "aegis.__proto__",
    "aegis.context.__proto__",
    "aegis.metadata.constructor",
  ].map((key) =>
    otlpJsonCase(
      `an attribute key ${keyLabel(key)}`,
      withAttr(
        jsonAttr(
          key,
          obj(["kvlistValue", obj(["values", arr(jsonAttr(POLLUTION, obj(["boolValue", "true"])))])]),
        ),
      ),
    ),
  ),
  otlpJsonCase(
    "aegis.context holding __proto__",
    withAttr(jsonAttr("aegis.context", jsonText(`{"__proto__":{"${POLLUTION}":true}}`))),
  ),
  otlpJsonCase(
    "aegis.metadata.__proto__ as a string",
    withAttr(jsonAttr("aegis.metadata.__proto__", jsonText("x"))),
  ),
  ...(
    [
      ["an intValue of 30 digits", obj(["intValue", js("1".repeat(30))])],
      ["an intValue of 1e309", obj(["intValue", "1e309"])],
      ["an intValue of abc", obj(["intValue", js("abc")])],
      ["a doubleValue of NaN", obj(["doubleValue", js("NaN")])],
      ["a doubleValue of 1e309", obj(["doubleValue", "1e309"])],
      ["a doubleValue of -0", obj(["doubleValue", "-0"])],
      ["a bytesValue that is not base64", obj(["bytesValue", js("!!!\u0000")])],
      ["a null value", "null"],
      ["an empty value", "{}"],
      ["a stringValue that is a number", obj(["stringValue", "1"])],
      ["a stringValue with a lone surrogate", obj(["stringValue", js("\ud800")])],
      ["two kinds at once", obj(["stringValue", js("a")], ["intValue", js("1")])],
      ["an arrayValue whose values is a string", obj(["arrayValue", obj(["values", js("x")])])],
      [
        "a kvlistValue with a numeric key",
        obj(["kvlistValue", obj(["values", arr(obj(["key", "1"], ["value", "{}"]))])]),
      ],
      [
        "an arrayValue of 50,000 values",
        obj([
          "arrayValue",
          obj(["values", arr(...Array.from({ length: 50_000 }, () => '{"intValue":"1"}'))]),
        ]),
      ],
    ] as const
  ).map(([label, value]) => otlpJsonCase(`an attribute with ${label}`, withAttr(jsonAttr("hostile", value)))),
  otlpJsonCase("input.value with a lone surrogate and NUL", (id) =>
    jsonTraces([
      jsonSpan(id, {
        attributes: [
          jsonAttr("input.value", jsonText("dose?\ud800\u0000")),
          jsonAttr("output.value", jsonText("none\udfff")),
        ],
      }),
    ]),
  ),
  otlpJsonCase("input.value that is an intValue", (id) =>
    jsonTraces([
      jsonSpan(id, {
        attributes: [jsonAttr("input.value", obj(["intValue", js("1".repeat(30))])), JSON_CONTENT[1] as Json],
      }),
    ]),
  ),
  ...(
    [
      ["a kind of 2^53 + 1", { kind: "9007199254740993" }],
      ["a kind of -1", { kind: "-1" }],
      ["a kind of 1e309", { kind: "1e309" }],
      ["a status code of 1e309", { status: obj(["code", "1e309"]) }],
      ["a status that is a string", { status: js("x") }],
      ["a status message of lone surrogates", { status: obj(["code", "2"], ["message", js("\ud800")]) }],
      ["flags of -1", { extra: [["flags", "-1"]] }],
      ["droppedAttributesCount of 1e309", { extra: [["droppedAttributesCount", "1e309"]] }],
      ["attributes that is a string", { attributes: undefined, extra: [["attributes", js("x")]] }],
      ["events that are nested 5,000 deep", { extra: [["events", nestedArrays(5_000)]] }],
    ] as [string, JsonSpan][]
  ).map(([label, span]) =>
    otlpJsonCase(label, (id) => {
      const text = jsonSpan(id, span);
      return jsonTraces([text]);
    }),
  ),
  otlpJsonCase("resourceSpans nested 5,000 deep", () => obj(["resourceSpans", nestedArrays(5_000)])),
  otlpJsonCase("a body of objects nested 50,000 deep", () => nestedObjects(50_000)),
  otlpJsonCase("10,000 empty spans", () => jsonTraces(Array.from({ length: 10_000 }, () => "{}"))),
  otlpJsonCase("resourceSpans of null", () => obj(["resourceSpans", arr("null")])),
  otlpJsonCase("scopeSpans as a string", () => obj(["resourceSpans", arr(obj(["scopeSpans", js("x")]))])),
  otlpJsonCase("a body that is a string", () => js("x")),
  otlpJsonCase("a body that is an array", () => "[]"),
  otlpJsonCase("a body that is null", () => "null"),
  otlpJsonCase("an empty body", () => ""),
  otlpJsonCase("invalid JSON", () => "{"),
  otlpJsonCase("a __proto__ key at the top", () =>
    obj(["__proto__", obj([POLLUTION, "true"])], ["resourceSpans", "[]"]),
  ),
  named(
    {
      label: "JSON: invalid UTF-8",
      body: () => bytesOf(utf8('{"resourceSpans":[{"x":"'), INVALID_UTF8, utf8('"}]}')),
      type: "application/json",
      traceIds: [],
    },
    "JSON: invalid UTF-8",
  ),
  named(
    {
      label: "JSON: after a BOM",
      body: () => bytesOf(BOM, utf8(jsonTraces([]))),
      type: "application/json",
      traceIds: [],
    },
    "JSON: BOM",
  ),
];

function otlpPbCase(label: string, build: (traceId: Bytes) => Uint8Array): OtlpCase {
  const traceId = hex(16);
  return named(
    {
      label: `protobuf: ${label}`,
      body: () => build(hexBytes(traceId)),
      type: "application/x-protobuf",
      traceIds: [traceId],
    },
    `protobuf: ${label}`,
  );
}
const pbWithAttr = (attr: Bytes) => (traceId: Bytes) =>
  pbTraces([pbSpan({ traceId, attributes: [...PB_CONTENT, attr] })]);
const MAX_U64 = 2n ** 64n - 1n;

const OTLP_PB_CASES: OtlpCase[] = [
  ...[1_000, 3_000, 10_000].flatMap((depth) =>
    (["array", "kvlist"] as const).map((kind) =>
      otlpPbCase(
        `a span attribute's ${kind}_value nested ${depth} deep`,
        pbWithAttr(keyValue("deep", deepAnyValue(depth, kind))),
      ),
    ),
  ),
  otlpPbCase("a resource attribute's kvlist_value nested 3,000 deep", (traceId) =>
    pbTraces([pbSpan({ traceId })], [keyValue("deep", deepAnyValue(3_000, "kvlist"))]),
  ),
  otlpPbCase("an event attribute's array_value nested 3,000 deep", (traceId) =>
    pbTraces([
      pbSpan({ traceId, events: [pbEvent(nowNanos(), [keyValue("deep", deepAnyValue(3_000, "array"))])] }),
    ]),
  ),
  otlpPbCase("input.value as a kvlist_value nested 3,000 deep", (traceId) =>
    pbTraces([
      pbSpan({
        traceId,
        attributes: [keyValue("input.value", deepAnyValue(3_000, "kvlist")), PB_CONTENT[1] as Bytes],
      }),
    ]),
  ),
  otlpPbCase(
    "gen_ai.input.messages holding JSON nested 5,000 deep",
    pbWithAttr(
      keyValue("gen_ai.input.messages", anyValue.string(`[{"role":"user","parts":${nestedArrays(5_000)}}]`)),
    ),
  ),
  otlpPbCase(
    "aegis.context holding JSON nested 5,000 deep",
    pbWithAttr(keyValue("aegis.context", anyValue.string(nestedObjects(5_000)))),
  ),
  otlpPbCase("start_time_unix_nano 2^64 - 1", (traceId) =>
    pbTraces([pbSpan({ traceId, start: MAX_U64, end: MAX_U64 })]),
  ),
  otlpPbCase("start_time_unix_nano 2^63", (traceId) => pbTraces([pbSpan({ traceId, start: 2n ** 63n })])),
  otlpPbCase("end_time_unix_nano 2^64 - 1 after a start of 0", (traceId) =>
    pbTraces([pbSpan({ traceId, start: 0n, end: MAX_U64 })]),
  ),
  otlpPbCase("an end before the start", (traceId) =>
    pbTraces([pbSpan({ traceId, start: nowNanos(), end: 1n })]),
  ),
  otlpPbCase("an event at 2^64 - 1", (traceId) =>
    pbTraces([pbSpan({ traceId, events: [pbEvent(MAX_U64)] })]),
  ),
  otlpPbCase("an event at 2^63", (traceId) => pbTraces([pbSpan({ traceId, events: [pbEvent(2n ** 63n)] })])),
  otlpPbCase("start_time_unix_nano as a varint of 30 digits' worth (11 bytes)", (traceId) =>
    pbTraces([
      pbSpan({
        traceId,
        extra: bytesOf(fieldKey(7, 0), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      }),
    ]),
  ),
  otlpPbCase("start_time_unix_nano with a wrong wire type", (traceId) =>
    pbTraces([pbSpan({ traceId, extra: pb.bytes(7, "1".repeat(30)) })]),
  ),
  otlpPbCase("a trace id of 0 bytes", () => pbTraces([pbSpan({ traceId: new Uint8Array() })])),
  otlpPbCase("a trace id of 17 bytes", (traceId) => pbTraces([pbSpan({ traceId: bytesOf(traceId, [1]) })])),
  otlpPbCase("a trace id of 1,000 bytes", () =>
    pbTraces([pbSpan({ traceId: new Uint8Array(1_000).fill(7) })]),
  ),
  otlpPbCase("a span id of 0 bytes", (traceId) => pbTraces([pbSpan({ traceId, spanId: new Uint8Array() })])),
  otlpPbCase("a name of invalid UTF-8", (traceId) => pbTraces([pbSpan({ traceId, name: INVALID_UTF8 })])),
  otlpPbCase("a name of a CESU-8 surrogate and an overlong NUL", (traceId) =>
    pbTraces([pbSpan({ traceId, name: new Uint8Array([0xed, 0xa0, 0x80, 0xc0, 0x80]) })]),
  ),
  otlpPbCase("an attribute key of invalid UTF-8", pbWithAttr(keyValue(INVALID_UTF8, anyValue.string("x")))),
  otlpPbCase("input.value of invalid UTF-8", (traceId) =>
    pbTraces([
      pbSpan({
        traceId,
        attributes: [
          keyValue("input.value", anyValue.string(bytesOf(utf8("dose?"), INVALID_UTF8))),
          PB_CONTENT[1] as Bytes,
        ],
      }),
    ]),
  ),
  otlpPbCase("input.value with NUL", (traceId) =>
    pbTraces([
      pbSpan({
        traceId,
        attributes: [keyValue("input.value", anyValue.string("dose?\u0000\u0001")), PB_CONTENT[1] as Bytes],
      }),
    ]),
  ),
  ...["__proto__", "constructor", "aegis.metadata.__proto__", "aegis.__proto__"].map((key) =>
    otlpPbCase(
      `an attribute key ${key}`,
      pbWithAttr(keyValue(key, anyValue.kvlist([keyValue(POLLUTION, pb.varint(2, 1))]))),
    ),
  ),
  otlpPbCase("an int_value of 2^64 - 1", pbWithAttr(keyValue("n", anyValue.int(MAX_U64)))),
  otlpPbCase("a double_value of NaN", pbWithAttr(keyValue("n", anyValue.double(Number.NaN)))),
  otlpPbCase(
    "a double_value of -Infinity",
    pbWithAttr(keyValue("n", anyValue.double(Number.NEGATIVE_INFINITY))),
  ),
  otlpPbCase("an empty AnyValue", pbWithAttr(keyValue("n", new Uint8Array()))),
  otlpPbCase("a KeyValue with no value", pbWithAttr(pb.bytes(1, "lonely"))),
  otlpPbCase(
    "an array_value of 50,000 values",
    pbWithAttr(keyValue("n", anyValue.array(Array.from({ length: 50_000 }, () => anyValue.int(1n))))),
  ),
  otlpPbCase("a kind of 2^63", (traceId) => pbTraces([pbSpan({ traceId, extra: pb.varint(6, 2n ** 63n) })])),
  otlpPbCase("5,000 spans", (traceId) =>
    pbTraces(Array.from({ length: 5_000 }, () => pbSpan({ traceId, attributes: [] }))),
  ),
  otlpPbCase("a wire type 7", () => new Uint8Array([0x0f, 0x00])),
  otlpPbCase("a wire type 6 inside a span", (traceId) => pbTraces([bytesOf(pbSpan({ traceId }), [0x0e])])),
  otlpPbCase("field number 0", () => new Uint8Array([0x00, 0x01])),
  otlpPbCase("a group that never ends", (traceId) =>
    pbTraces([pbSpan({ traceId, extra: bytesOf(fieldKey(99, 3), pb.varint(1, 1)) })]),
  ),
  otlpPbCase("an end-group with no start", (traceId) =>
    pbTraces([pbSpan({ traceId, extra: bytesOf(fieldKey(99, 4)) })]),
  ),
  otlpPbCase("a length of 2^35", () => bytesOf(fieldKey(1, 2), varint(2n ** 35n), [0x0a])),
  otlpPbCase("a length of 2^64 - 1", () => bytesOf(fieldKey(1, 2), varint(MAX_U64), [0x0a])),
  otlpPbCase("a varint of 11 bytes", () => bytesOf([0x08], new Uint8Array(10).fill(0xff), [0x01])),
  otlpPbCase("a field longer than its message", (traceId) => {
    const span = pbSpan({ traceId });
    return bytesOf(fieldKey(1, 2), varint(4), fieldKey(2, 2), varint(span.length), span);
  }),
  ...[1, 2, 3, 0.5].map((cut) =>
    otlpPbCase(`a valid request truncated ${cut < 1 ? "by half" : `by ${cut} byte(s)`}`, (traceId) => {
      const body = pbTraces([pbSpan({ traceId })]);
      return body.subarray(0, cut < 1 ? Math.floor(body.length * cut) : body.length - cut);
    }),
  ),
  otlpPbCase("a deep kvlist_value truncated by half", (traceId) => {
    const body = pbWithAttr(keyValue("deep", deepAnyValue(3_000, "kvlist")))(traceId);
    return body.subarray(0, Math.floor(body.length / 2));
  }),
  otlpPbCase("JSON sent as protobuf", (traceId) =>
    utf8(jsonTraces([jsonSpan(Array.from(traceId, (b) => b.toString(16).padStart(2, "0")).join(""))])),
  ),
];

const OTLP_TYPE_CASES: OtlpCase[] = (
  [
    ["text/plain", "x"],
    [null, "x"],
    ["application/protobuf", "x"],
    ["application/grpc", "x"],
    ["application/x-protobuf, application/json", "x"],
    ["application/json; charset=utf-16", '{"resourceSpans":[]}'],
    ["application/JSON", '{"resourceSpans":[]}'],
    ["application/x-www-form-urlencoded", "a=b"],
    ["multipart/form-data; boundary=x", "--x--"],
    ["application/x-protobuf; proto=opentelemetry", ""],
  ] as [string | null, string][]
).map(([type, body]) =>
  named({ label: `Content-Type ${type}`, body: () => utf8(body), type, traceIds: [] }, `type ${type}`),
);

async function sendOtlp(path: string, c: OtlpCase, orProblem = false) {
  const headers: Record<string, string> = {};
  if (c.type !== null) headers["Content-Type"] = c.type;
  if (c.encoding !== undefined) headers["Content-Encoding"] = c.encoding;
  const what = `POST ${path} with ${c.label}${c.encoding ? ` (Content-Encoding: ${c.encoding})` : ""}`;
  const response = await send("POST", path, {
    key: otlpTarget.org.key,
    rawBody: (await c.body()) as Bytes,
    headers,
  });
  const { status } = await expectOtlpSafe(what, response, c.type, orProblem);
  if (status === 200) {
    // Whatever was accepted, even in part, must read back without a 5xx.
    for (const id of c.traceIds) {
      const read = await send("GET", `/api/v1/traces/${id}`, { key: otlpTarget.org.key });
      const text = await read.text();
      expect(
        read.status,
        `GET /api/v1/traces/${id} after ${what} answered ${read.status}: ${excerpt(text)}`,
      ).toBeLessThan(500);
      if (read.status === 200) parseJson(`GET /api/v1/traces/${id} after ${what}`, text);
      else expectProblemDocument(`GET /api/v1/traces/${id} after ${what}`, read, text);
    }
  }
  await expectUnharmed(otlpTarget, what, { spans: true });
  return status;
}

const gzipped = (c: OtlpCase): OtlpCase =>
  named(
    {
      ...c,
      label: `${c.label}, gzipped`,
      body: async () => gzip((await c.body()) as Bytes),
      encoding: "gzip",
      traceIds: [...c.traceIds],
    },
    `${c.label}, gzipped`,
  );

/** Bodies that decompress to nearly 20 MiB, or just over, from a few kilobytes. */
const BOMB_SIZE = 19 * 1024 * 1024;
const GZIP_CASES: OtlpCase[] = [
  named(
    {
      label: "protobuf: a gzip bomb of 19 MiB (a valid request with a 19 MiB unknown field)",
      body: async () => gzip(pbTraces([], [], pb.bytes(100, new Uint8Array(BOMB_SIZE)))),
      type: "application/x-protobuf",
      encoding: "gzip",
      traceIds: [],
    },
    "pb bomb",
  ),
  named(
    {
      label: "protobuf: a gzip bomb of 19 MiB of zeros",
      body: async () => gzip(new Uint8Array(BOMB_SIZE)),
      type: "application/x-protobuf",
      encoding: "gzip",
      traceIds: [],
    },
    "pb zeros",
  ),
  named(
    {
      label: "JSON: a gzip bomb of 19 MiB of whitespace",
      body: async () => gzip(utf8(`{"resourceSpans":[${" ".repeat(BOMB_SIZE)}]}`)),
      type: "application/json",
      encoding: "gzip",
      traceIds: [],
    },
    "json bomb",
  ),
  named(
    {
      label: "JSON: a gzip bomb of 5 MiB of open brackets",
      body: async () => gzip(utf8(`{"resourceSpans":${"[".repeat(5 * 1024 * 1024)}`)),
      type: "application/json",
      encoding: "gzip",
      traceIds: [],
    },
    "json brackets",
  ),
  named(
    {
      label: "protobuf: a gzip bomb of 20 MiB + 1",
      body: async () => gzip(new Uint8Array(20 * 1024 * 1024 + 1)),
      type: "application/x-protobuf",
      encoding: "gzip",
      traceIds: [],
    },
    "pb over",
  ),
  ...(["application/x-protobuf", "application/json"] as const).flatMap((type) => {
    const base =
      type === "application/json"
        ? utf8(jsonTraces([jsonSpan(hex(16))]))
        : pbTraces([pbSpan({ traceId: hexBytes(hex(16)) })]);
    const kind = type === "application/json" ? "JSON" : "protobuf";
    const make = (label: string, body: () => Promise<Uint8Array> | Uint8Array, encoding = "gzip"): OtlpCase =>
      named({ label: `${kind}: ${label}`, body, type, encoding, traceIds: [] }, `${kind}: ${label}`);
    return [
      make("gzip cut short", async () => (await gzip(base)).subarray(0, 20)),
      make("gzip without its trailer", async () => {
        const z = await gzip(base);
        return z.subarray(0, z.length - 8);
      }),
      make("gzip followed by garbage", async () => bytesOf(await gzip(base), INVALID_UTF8)),
      make("gzip of gzip", async () => gzip(await gzip(base))),
      make("an empty gzip body", () => new Uint8Array()),
      make("a gzip header only", () => new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff])),
      make("gzip declared twice", async () => gzip(await gzip(base)), "gzip, gzip"),
      make("GZIP in capitals", async () => gzip(base), "GZIP"),
      make("x-gzip", async () => gzip(base), "x-gzip"),
      make("deflate", async () => gzip(base), "deflate"),
      make("identity", () => base, "identity"),
      make("an empty Content-Encoding", () => base, ""),
    ];
  }),
];

describe("POST /otlp/v1/traces", () => {
  it.each(OTLP_JSON_CASES.map((c) => [c.label, c] as const))("%s", { timeout: 20_000 }, async (_label, c) => {
    await sendOtlp("/otlp/v1/traces", c);
  });

  it.each(OTLP_PB_CASES.map((c) => [c.label, c] as const))("%s", { timeout: 20_000 }, async (_label, c) => {
    await sendOtlp("/otlp/v1/traces", c);
  });

  it.each(
    [
      ...OTLP_JSON_CASES.filter((c) =>
        /span attribute's .* 3,000 deep|startTimeUnixNano (30 digits|"1e30")/.test(c.label),
      ),
      ...OTLP_PB_CASES.filter((c) =>
        /span attribute's .* 3,000 deep|2\^64 - 1$|truncated by half/.test(c.label),
      ),
    ].map((c) => [c.label, gzipped(c)] as const),
  )("%s, gzipped", { timeout: 20_000 }, async (_label, c) => {
    await sendOtlp("/otlp/v1/traces", c);
  });

  it.each(GZIP_CASES.map((c) => [c.label, c] as const))("%s", { timeout: 30_000 }, async (_label, c) => {
    await sendOtlp("/otlp/v1/traces", c);
  });

  it.each(OTLP_TYPE_CASES.map((c) => [c.label, c] as const))("%s", async (_label, c) => {
    await sendOtlp("/otlp/v1/traces", c);
  });
});

const LOGS_CASES: OtlpCase[] = (() => {
  const json = (label: string, body: () => Json): OtlpCase =>
    named(
      { label: `JSON: ${label}`, body: () => utf8(body()), type: "application/json", traceIds: [] },
      `logs JSON: ${label}`,
    );
  const proto = (label: string, body: () => Uint8Array): OtlpCase =>
    named(
      { label: `protobuf: ${label}`, body, type: "application/x-protobuf", traceIds: [] },
      `logs protobuf: ${label}`,
    );
  const record = (body: Json, time: Json = js(String(nowNanos())), attributes: Json[] = []) =>
    obj([
      "resourceLogs",
      arr(
        obj(
          ["resource", obj(["attributes", "[]"])],
          [
            "scopeLogs",
            arr(
              obj(
                ["scope", obj(["name", js("hostile")])],
                [
                  "logRecords",
                  arr(
                    obj(
                      ["timeUnixNano", time],
                      ["observedTimeUnixNano", time],
                      ["severityNumber", "9"],
                      ["severityText", js("INFO")],
                      ["body", body],
                      ["attributes", arr(...attributes)],
                      ["traceId", js(hex(16))],
                      ["spanId", js(hex(8))],
                    ),
                  ),
                ],
              ),
            ),
          ],
        ),
      ),
    ]);
  return [
    json("a well-formed log record", () => record(jsonText("hello"))),
    json("a body kvlistValue nested 1,000 deep", () => record(jsonDeepAnyValue(1_000, "kvlist"))),
    json("a body arrayValue nested 3,000 deep", () => record(jsonDeepAnyValue(3_000, "array"))),
    json("an attribute kvlistValue nested 3,000 deep", () =>
      record(jsonText("x"), undefined, [jsonAttr("deep", jsonDeepAnyValue(3_000, "kvlist"))]),
    ),
    json("timeUnixNano of 30 digits", () => record(jsonText("x"), js("1".repeat(30)))),
    json('timeUnixNano of "1e30"', () => record(jsonText("x"), js("1e30"))),
    json("timeUnixNano of -1", () => record(jsonText("x"), "-1")),
    json("a body of a lone surrogate and NUL", () => record(jsonText("\ud800\u0000"))),
    json("an attribute key __proto__", () =>
      record(jsonText("x"), undefined, [
        jsonAttr(
          "__proto__",
          obj(["kvlistValue", obj(["values", arr(jsonAttr(POLLUTION, obj(["boolValue", "true"])))])]),
        ),
      ]),
    ),
    json("a body of objects nested 50,000 deep", () => nestedObjects(50_000)),
    json("invalid JSON", () => "{"),
    json("a body that is a string", () => js("x")),
    proto("a well-formed log record", () => pbLogs(anyValue.string("hello"))),
    proto("a body kvlist_value nested 1,000 deep", () => pbLogs(deepAnyValue(1_000, "kvlist"))),
    proto("a body array_value nested 3,000 deep", () => pbLogs(deepAnyValue(3_000, "array"))),
    proto("an attribute kvlist_value nested 3,000 deep", () =>
      pbLogs(anyValue.string("x"), undefined, [keyValue("deep", deepAnyValue(3_000, "kvlist"))]),
    ),
    proto("time_unix_nano of 2^64 - 1", () => pbLogs(anyValue.string("x"), MAX_U64)),
    proto("a body of invalid UTF-8", () => pbLogs(anyValue.string(INVALID_UTF8))),
    proto("a truncated request", () => pbLogs(anyValue.string("hello")).subarray(0, 9)),
    proto("a length of 2^35", () => bytesOf(fieldKey(1, 2), varint(2n ** 35n), [0x0a])),
    named(
      {
        label: "protobuf: a gzip bomb of 19 MiB",
        body: async () =>
          gzip(bytesOf(pbLogs(anyValue.string("x")), pb.bytes(100, new Uint8Array(BOMB_SIZE)))),
        type: "application/x-protobuf",
        encoding: "gzip",
        traceIds: [],
      },
      "logs bomb",
    ),
    named(
      {
        label: "protobuf: gzip that is not gzip",
        body: () => utf8("plainly not gzip"),
        type: "application/x-protobuf",
        encoding: "gzip",
        traceIds: [],
      },
      "logs not gzip",
    ),
    named({ label: "text/plain", body: () => utf8("x"), type: "text/plain", traceIds: [] }, "logs text"),
    named(
      { label: "an empty body with no Content-Type", body: () => new Uint8Array(), type: null, traceIds: [] },
      "logs empty",
    ),
  ];
})();

describe("POST /otlp/v1/logs (a 4xx problem if the receiver does not exist; never a 5xx)", () => {
  it.each(LOGS_CASES.map((c) => [c.label, c] as const))("%s", { timeout: 20_000 }, async (_label, c) => {
    await sendOtlp("/otlp/v1/logs", c, true);
  });
});

describe("generated OTLP requests", () => {
  /** A generated value with a short description, which is what fast-check prints for it. */
  interface Piece<T> {
    label: string;
    value: T;
  }
  const piece = <T>(label: string, value: T): Piece<T> => named({ label, value }, label);
  const short = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

  const timeArb = fc.oneof(
    fc.constantFrom(...JSON_TIMES.map(([label, t]) => piece(label, t))),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => piece(js(String(n)), js(String(n)))),
    fc.bigInt({ min: 0n, max: 10n ** 40n }).map((n) => piece(String(n), String(n))),
  );
  const anyJsonArb = fc.letrec<{ any: Piece<Json> }>((tie) => ({
    any: fc.oneof(
      { maxDepth: 3, depthSize: "small" },
      hostileText.map((s) => piece(`stringValue ${short(js(s))}`, obj(["stringValue", js(s)]))),
      timeArb.map((t) => piece(`intValue ${t.label}`, obj(["intValue", t.value]))),
      fc
        .constantFrom(...NUMBERS.map((n) => n.json), js("NaN"), js("Infinity"))
        .map((d) => piece(`doubleValue ${short(d)}`, obj(["doubleValue", d]))),
      fc.constantFrom("null", "{}", "[]", js("x"), obj(["boolValue", js("yes")])).map((v) => piece(v, v)),
      fc
        .tuple(fc.integer({ min: 500, max: 5_000 }), fc.constantFrom("array" as const, "kvlist" as const))
        .map(([depth, kind]) => piece(`${kind}Value nested ${depth} deep`, jsonDeepAnyValue(depth, kind))),
      fc
        .array(tie("any"), { maxLength: 3 })
        .map((values) =>
          piece(
            `arrayValue [${values.map((v) => v.label).join(", ")}]`,
            obj(["arrayValue", obj(["values", arr(...values.map((v) => v.value))])]),
          ),
        ),
      fc
        .array(fc.tuple(keyArb, tie("any")), { maxLength: 3 })
        .map((kvs) =>
          piece(
            `kvlistValue {${kvs.map(([k, v]) => `${keyLabel(k)}: ${v.label}`).join(", ")}}`,
            obj(["kvlistValue", obj(["values", arr(...kvs.map(([k, v]) => jsonAttr(k, v.value)))])]),
          ),
        ),
    ),
  })).any;

  it("JSON spans with hostile attributes, times and ids", { timeout: 30_000 }, async () => {
    const attributeKey = fc.oneof(
      keyArb,
      fc.constantFrom(
        "input.value",
        "output.value",
        "aegis.context",
        "aegis.metadata.x",
        "gen_ai.input.messages",
      ),
    );
    const spanArb = fc.record({
      attributes: fc.array(fc.tuple(attributeKey, anyJsonArb), { maxLength: 4 }),
      start: fc.option(timeArb),
      end: fc.option(timeArb),
      eventTime: fc.option(timeArb),
      traceId: fc.option(
        fc.oneof(
          hostileText.map((t) => piece(short(js(t)), js(t))),
          fc.constantFrom("1", "null", js("G".repeat(32))).map((t) => piece(t, t)),
        ),
      ),
      name: fc.option(hostileText.map((t) => piece(short(js(t)), js(t)))),
    });
    await fc.assert(
      fc.asyncProperty(spanArb, fc.boolean(), async (s, compress) => {
        const traceId = hex(16);
        const span = jsonSpan(traceId, {
          attributes: [...JSON_CONTENT, ...s.attributes.map(([k, v]) => jsonAttr(k, v.value))],
          ...(s.start !== null ? { start: s.start.value } : {}),
          ...(s.end !== null ? { end: s.end.value } : {}),
          ...(s.eventTime !== null
            ? { events: [obj(["timeUnixNano", s.eventTime.value], ["name", js("e")])] }
            : {}),
          ...(s.traceId !== null ? { traceId: s.traceId.value } : {}),
          ...(s.name !== null ? { name: s.name.value } : {}),
        });
        const parts = [
          ...s.attributes.map(([k, v]) => `attribute ${keyLabel(k)} = ${v.label}`),
          s.start && `start ${s.start.label}`,
          s.end && `end ${s.end.label}`,
          s.eventTime && `event time ${s.eventTime.label}`,
          s.traceId && `traceId ${s.traceId.label}`,
          s.name && `name ${s.name.label}`,
        ].filter(Boolean);
        const label = `JSON: a generated span (${parts.join("; ") || "well formed"})`;
        const body = utf8(jsonTraces([span]));
        const c: OtlpCase = { label, body: () => body, type: "application/json", traceIds: [traceId] };
        await sendOtlp("/otlp/v1/traces", compress ? gzipped(c) : c);
      }),
      { ...PROPERTY, numRuns: 30 },
    );
  });

  it("protobuf: hostile AnyValues and times, truncated and mutated bytes", { timeout: 30_000 }, async () => {
    const anyPbArb = fc.letrec<{ any: Piece<Bytes> }>((tie) => ({
      any: fc.oneof(
        { maxDepth: 3, depthSize: "small" },
        hostileText.map((s) => piece(`string_value ${short(js(s))}`, anyValue.string(s))),
        fc
          .uint8Array({ maxLength: 20 })
          .map((b) => piece(`string_value of the bytes ${Array.from(b).join(",")}`, anyValue.string(b))),
        fc
          .bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n })
          .map((n) => piece(`int_value ${n}`, anyValue.int(n))),
        fc.double().map((d) => piece(`double_value ${d}`, anyValue.double(d))),
        fc
          .tuple(fc.integer({ min: 500, max: 5_000 }), fc.constantFrom("array" as const, "kvlist" as const))
          .map(([depth, kind]) => piece(`${kind}_value nested ${depth} deep`, deepAnyValue(depth, kind))),
        fc
          .array(tie("any"), { maxLength: 3 })
          .map((values) =>
            piece(
              `array_value [${values.map((v) => v.label).join(", ")}]`,
              anyValue.array(values.map((v) => v.value)),
            ),
          ),
        fc
          .array(fc.tuple(keyArb, tie("any")), { maxLength: 3 })
          .map((kvs) =>
            piece(
              `kvlist_value {${kvs.map(([k, v]) => `${keyLabel(k)}: ${v.label}`).join(", ")}}`,
              anyValue.kvlist(kvs.map(([k, v]) => keyValue(k, v.value))),
            ),
          ),
      ),
    })).any;
    const timeArb = fc.oneof(
      fc.constantFrom(0n, 1n, MAX_U64, 2n ** 63n, 2n ** 63n - 1n),
      fc.bigInt({ min: 0n, max: MAX_U64 }),
    );
    const mutation = fc.oneof(
      fc.constant(piece("intact", { kind: "none" as const, at: 0, byte: 0 })),
      fc
        .double({ min: 0, max: 1, noNaN: true })
        .map((at) => piece(`truncated at ${at.toFixed(3)}`, { kind: "truncate" as const, at, byte: 0 })),
      fc
        .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 }))
        .map(([at, byte]) =>
          piece(`the byte at ${at.toFixed(3)} set to ${byte}`, { kind: "flip" as const, at, byte }),
        ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(keyArb, anyPbArb), { maxLength: 3 }),
        timeArb,
        timeArb,
        mutation,
        fc.boolean(),
        async (attrs, start, end, m, compress) => {
          const traceId = hex(16);
          let body = pbTraces([
            pbSpan({
              traceId: hexBytes(traceId),
              start,
              end,
              attributes: [...PB_CONTENT, ...attrs.map(([k, v]) => keyValue(k, v.value))],
              events: [pbEvent(end)],
            }),
          ]);
          const { kind, at, byte } = m.value;
          if (kind === "truncate") body = body.slice(0, Math.floor(body.length * at));
          if (kind === "flip") {
            body = body.slice();
            body[Math.min(body.length - 1, Math.floor(body.length * at))] = byte;
          }
          const attributes = attrs.map(([k, v]) => `${keyLabel(k)} = ${v.label}`).join("; ");
          const label = `protobuf: a generated span (attributes: ${attributes || "none"}; start ${start}, end ${end}; ${m.label})`;
          const c: OtlpCase = {
            label,
            body: () => body,
            type: "application/x-protobuf",
            traceIds: [traceId],
          };
          await sendOtlp("/otlp/v1/traces", compress ? gzipped(c) : c);
        },
      ),
      { ...PROPERTY, numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// GET routes with hostile query strings and ids.

interface GetCase {
  path: string;
  names?: string[];
}
const g = (path: string, names?: string[]): GetCase =>
  named({ path, names }, path.length > 120 ? `${path.slice(0, 120)}…` : path);

const HOSTILE_QUERY_VALUES = [
  "%00",
  "a%00b",
  "%00".repeat(200),
  "%01%02%1F%7F",
  "%22%00%22",
  "%00*",
  "input:%00",
  "%ED%A0%80",
  "%FF%FE",
  "%C0%80",
  "%",
  "%zz",
  "%E2%80%A8",
  "%EF%BB%BF",
];
const GET_CASES: GetCase[] = [
  ...HOSTILE_QUERY_VALUES.map((v) => g(`/api/v1/search?q=${v}`, ["q"])),
  g(`/api/v1/search?q=${"(".repeat(250)}x${")".repeat(250)}`, ["q"]),
  g(`/api/v1/search?q=${"(".repeat(5_000)}`, ["q"]),
  g(`/api/v1/search?q=${Array.from({ length: 40 }, () => "x").join("%20OR%20")}`, ["q"]),
  g(`/api/v1/search?q=${"x".repeat(501)}`, ["q"]),
  g(`/api/v1/search?q=${"NOT%20".repeat(100)}x`, ["q"]),
  g("/api/v1/search?q=%22%22*", ["q"]),
  g("/api/v1/search?q=x%5E2%20NEAR(a%20b)%20%7Binput%7D%3Ax", ["q"]),
  g("/api/v1/search?q=x&q=%00", ["q"]),
  g("/api/v1/search?q=mg&cursor=%00", ["cursor"]),
  g("/api/v1/search?q=mg&limit=1e309", ["limit"]),
  g("/api/v1/search?q=mg&since=garbage", ["since"]),
  g("/api/v1/search?q=mg&tags=%00,%ED%A0%80", ["tags"]),
  g("/api/v1/search?q=mg&session_id=%00", ["session_id"]),
  ...HOSTILE_QUERY_VALUES.map((v) => g(`/api/v1/traces?session_id=${v}`, ["session_id"])),
  g(`/api/v1/traces?session_id=${"%00".repeat(5_000)}`, ["session_id"]),
  ...["1e309", "-0", "NaN", "99999999999999999999", "%00", "-1"].map((v) =>
    g(`/api/v1/traces?limit=${v}`, ["limit"]),
  ),
  ...["%00", "garbage", "eyJ4IjoxfQ", "x".repeat(10_000), "%ED%A0%80"].map((v) =>
    g(`/api/v1/traces?cursor=${v}`, ["cursor"]),
  ),
  ...[
    "%2B275760-09-13T00:00:00.001Z",
    "0000-01-01T00:00:00Z",
    "-271821-04-20T00:00:00.000Z",
    "1e309",
    "%00",
  ].map((v) => g(`/api/v1/traces?since=${v}`, ["since"])),
  g(
    "/api/v1/traces?domain=%00&model=%ED%A0%80&status=%00&verdict=%00&severity=%00&rule=%00&needs_review=%00",
  ),
  ...[
    "%00",
    "a%00b",
    "%00".repeat(100),
    "x".repeat(10_000),
    "x".repeat(100_000),
    "%ED%A0%80",
    "%FF",
    "%",
    "%zz",
    "__proto__",
    "constructor",
  ].flatMap((id) => [
    g(`/api/v1/traces/${id}`),
    g(`/api/v1/traces/${id}/evaluation?wait=0`),
    g(`/api/v1/traces/${id}/similar`),
  ]),
  ...[
    "garbage",
    "%00",
    "%2B275760-09-13T00:00:00.001Z",
    "%2B275760-09-13T00:00:00.000Z",
    "-271821-04-20T00:00:00.000Z",
    "0000-01-01T00:00:00Z",
    "1e309",
    "-1",
    "2026-02-30T00:00:00Z",
  ].flatMap((v) => [
    g(`/api/v1/analytics/summary?since=${v}`, ["since"]),
    g(`/api/v1/analytics/summary?until=${v}`, ["until"]),
  ]),
  g("/api/v1/analytics/summary?since=2026-11-08T00:00:00Z&until=2026-11-01T00:00:00Z"),
  g("/api/v1/analytics/summary?domain=%00"),
  g("/api/v1/analytics/summary?since=0000-01-01T00:00:00Z&until=9999-12-31T23:59:59Z"),
  g("/api/v1/analytics/timeseries?metric=%00&interval=%00", ["metric", "interval"]),
  g("/api/v1/analytics/timeseries?metric=traces&interval=day&since=garbage", ["since"]),
  g("/api/v1/analytics/timeseries?metric=traces&interval=day&since=%2B275760-09-01T00:00:00.000Z", ["since"]),
  g("/api/v1/analytics/rules?since=%00", ["since"]),
  g("/api/v1/analytics/models?since=1e309", ["since"]),
  g("/api/v1/analytics/tiers?until=%2B275760-09-13T00:00:00.000Z", ["until"]),
  g("/api/v1/issues/clusters?rule=%00&since=garbage"),
  g("/api/v1/audit?limit=1e309&cursor=%00"),
  g("/api/v1/domains/%00"),
  g("/api/v1/domains/healthcare?revision=1e309", ["revision"]),
  g("/api/v1/domains/healthcare?revision=-0", ["revision"]),
];

const percentEncode = (text: string) =>
  Array.from(utf8(text), (b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join("");

describe("GET routes with hostile query strings and ids", () => {
  it.each(GET_CASES.map((c) => [c.path.length > 120 ? `${c.path.slice(0, 120)}…` : c.path, c] as const))(
    "%s",
    async (_label, c) => {
      const what = `GET ${c.path.length > 200 ? `${c.path.slice(0, 200)}…` : c.path}`;
      await expectSafe(what, await send("GET", c.path, { key: main.org.key }), { names: c.names });
      await expectUnharmed(main, what);
    },
  );

  it("generated query values", { timeout: 30_000 }, async () => {
    const value = fc.oneof(
      hostileText.map(percentEncode),
      fc
        .array(
          fc.constantFrom(
            ...HOSTILE_QUERY_VALUES,
            "%20",
            "%22",
            "*",
            "(",
            ")",
            "NOT",
            "OR",
            "AND",
            "input:",
            "x",
            "%3A",
            "%5E",
            "-",
            "+",
          ),
          { maxLength: 20 },
        )
        .map((p) => p.join("")),
    );
    const at = (template: string, names?: string[]) =>
      named(
        (v: string) =>
          g(
            template.replace("{}", () => v),
            names,
          ),
        template,
      );
    const where = fc.constantFrom(
      at("/api/v1/search?q={}", ["q"]),
      at("/api/v1/search?q=mg&session_id={}", ["session_id"]),
      at("/api/v1/traces?session_id={}", ["session_id"]),
      at("/api/v1/traces?since={}", ["since"]),
      at("/api/v1/traces?cursor={}", ["cursor"]),
      at("/api/v1/traces/x{}"),
      at("/api/v1/analytics/summary?since={}", ["since"]),
      at("/api/v1/analytics/summary?until={}", ["until"]),
    );
    await fc.assert(
      fc.asyncProperty(where, value, async (place, v) => {
        const c = place(v);
        await expectSafe(`GET ${c.path}`, await send("GET", c.path, { key: main.org.key }), {
          names: c.names,
        });
      }),
      { ...PROPERTY, numRuns: 60 },
    );
    await expectUnharmed(main, "generated query values");
  });
});

// ---------------------------------------------------------------------------------------------------
// Afterwards: everything accepted above still reads, lists, searches and evaluates.

describe("after all of it", () => {
  it.each([
    ["main", () => main],
    ["settings", () => settingsTarget],
    ["domains", () => domainsTarget],
    ["OTLP", () => otlpTarget],
  ] as const)(
    "the %s organization's traces list, search, summarize and verify",
    { timeout: 30_000 },
    async (_name, t) => {
      const { org } = t();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const path: string = `/api/v1/traces?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const response = await send("GET", path, { key: org.key });
        const { status, body } = await expectSafe(`GET ${path}`, response);
        expect(status, `GET ${path}`).toBe(200);
        cursor = (body as { next_cursor: string | null }).next_cursor;
      } while (cursor && ++pages < 50);
      for (const path of [
        "/api/v1/search?q=acetaminophen",
        "/api/v1/search?q=dose*",
        "/api/v1/analytics/summary",
        "/api/v1/analytics/models",
        "/api/v1/analytics/rules",
        "/api/v1/audit?limit=100",
      ]) {
        const { status } = await expectSafe(`GET ${path}`, await send("GET", path, { key: org.key }));
        expect(status, `GET ${path}`).toBe(200);
      }
      const verify = await send("GET", "/api/v1/audit/verify", { key: org.key });
      expect(await verify.json(), "the audit chain after hostile input").toMatchObject({ valid: true });
      await expectUnharmed(t(), "all of it", { spans: true });
    },
  );

  it("the evaluation consumer evaluates accepted hostile traces without retrying them", {
    timeout: 30_000,
  }, async () => {
    const queue = recordingQueue("hold");
    const cases = [
      ...FREE_SLOTS.flatMap((slot) => [
        traceCase(slot, DEEP[0] as Hostile),
        traceCase(slot, DEEP[3] as Hostile),
      ]),
      ...STRINGS.map((s) => traceCase(S.input, s)),
      ...STRINGS.map((s) => traceCase(S.output, s)),
      ...EDGE_TIMES.map((t) => traceCase(S.timestamp, t)),
      ...PROTO_PAYLOADS.map((p) => traceCase(S.context, p)),
      ...NUMBERS.map((n) => traceCase(S.rlReward, n)),
    ];
    for (const c of cases) {
      const response = await queue.call("POST", "/api/v1/traces", {
        key: main.org.key,
        rawBody: utf8(c.body()),
        headers: { "Content-Type": "application/json" },
      });
      await expectSafe(`POST /api/v1/traces with ${c.label}`, response);
    }
    if (queue.messages.length > 0) await deliverEvaluations(queue.messages);
    await expectUnharmed(main, "evaluating hostile traces");
  });
});
