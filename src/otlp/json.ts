// OTLP/JSON: the proto3 JSON mapping with OTLP's deviations: lowerCamelCase keys, trace and span ids in
// hex, enums as integers, 64-bit integers as decimal strings or numbers. Unknown keys are ignored and
// null stands for a field's default, as the mapping says.
import {
  type Attributes,
  type AttributeValue,
  attributeKey,
  type DecodedEvent,
  type DecodedLogRecord,
  type DecodedSpan,
  MAX_VALUE_NESTING,
  OtlpDecodeError,
  refusable,
  SpanContentError,
} from "./model";

type JsonObject = Record<string, unknown>;

function object(value: unknown, path: string): JsonObject {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new OtlpDecodeError(`${path} must be an object`);
  return value as JsonObject;
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${path} must be an array`);
  return value;
}

function string(value: unknown, path: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new OtlpDecodeError(`${path} must be a string`);
  if (!value.isWellFormed()) throw new SpanContentError(`${path} is not valid Unicode (a lone surrogate)`);
  return value;
}

/** Integers (32- or 64-bit, enums included) may be JSON numbers or decimal strings. */
function integer(value: unknown, path: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw new OtlpDecodeError(`${path} must be an integer (a number or a decimal string)`);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Ids are hex in OTLP/JSON; the standard proto3 mapping's base64, which some exporters send, is accepted too. */
function id(value: unknown, path: string, bytes: number): string {
  const text = string(value, path);
  if (text.length === bytes * 2 || !BASE64.test(text) || text.length !== Math.ceil(bytes / 3) * 4)
    return text;
  let hex = "";
  for (const char of atob(text)) hex += char.charCodeAt(0).toString(16).padStart(2, "0");
  return hex;
}

function anyValue(value: unknown, path: string, nesting: number): AttributeValue {
  if (nesting >= MAX_VALUE_NESTING)
    throw new SpanContentError(`${path} nests deeper than ${MAX_VALUE_NESTING} levels`);
  const v = object(value, path);
  if ("stringValue" in v) return string(v.stringValue, `${path}.stringValue`);
  if ("boolValue" in v) {
    if (typeof v.boolValue !== "boolean" && v.boolValue !== null)
      throw new OtlpDecodeError(`${path}.boolValue must be a boolean`);
    return v.boolValue === true;
  }
  if ("intValue" in v) {
    const n = integer(v.intValue, `${path}.intValue`);
    return Number.isSafeInteger(Number(n)) ? Number(n) : n.toString();
  }
  if ("doubleValue" in v) {
    const d = v.doubleValue ?? 0;
    if (typeof d === "number") return d;
    // Doubles may also be strings: decimal, or "NaN", "Infinity", "-Infinity" (kept as text in JSON storage).
    const n = typeof d === "string" && d.trim() !== "" ? Number(d) : Number.NaN;
    if (Number.isFinite(n)) return n;
    if (d === "NaN" || d === "Infinity" || d === "-Infinity") return d;
    throw new OtlpDecodeError(`${path}.doubleValue must be a number`);
  }
  if ("arrayValue" in v)
    return list(object(v.arrayValue, `${path}.arrayValue`).values, `${path}.arrayValue.values`).map(
      (item, i) => anyValue(item, `${path}.arrayValue.values[${i}]`, nesting + 1),
    );
  if ("kvlistValue" in v)
    return attributes(
      object(v.kvlistValue, `${path}.kvlistValue`).values,
      `${path}.kvlistValue.values`,
      nesting + 1,
    );
  if ("bytesValue" in v) return string(v.bytesValue, `${path}.bytesValue`);
  return null;
}

function attributes(value: unknown, path: string, nesting = 0): Attributes {
  const out: Attributes = {};
  list(value, path).forEach((item, i) => {
    const kv = object(item, `${path}[${i}]`);
    out[attributeKey(string(kv.key, `${path}[${i}].key`))] = anyValue(
      kv.value,
      `${path}[${i}].value`,
      nesting,
    );
  });
  return out;
}

function event(value: unknown, path: string): DecodedEvent {
  const e = object(value, path);
  return {
    timeUnixNano: integer(e.timeUnixNano, `${path}.timeUnixNano`),
    name: string(e.name, `${path}.name`),
    attributes: attributes(e.attributes, `${path}.attributes`),
  };
}

function span(value: unknown, path: string, resource: Attributes): DecodedSpan {
  const s = object(value, path);
  const status = object(s.status, `${path}.status`);
  return {
    traceId: id(s.traceId, `${path}.traceId`, 16),
    spanId: id(s.spanId, `${path}.spanId`, 8),
    parentSpanId: id(s.parentSpanId, `${path}.parentSpanId`, 8),
    flags: Number(BigInt.asUintN(32, integer(s.flags, `${path}.flags`))),
    name: string(s.name, `${path}.name`),
    kind: Number(integer(s.kind, `${path}.kind`)),
    startTimeUnixNano: integer(s.startTimeUnixNano, `${path}.startTimeUnixNano`),
    endTimeUnixNano: integer(s.endTimeUnixNano, `${path}.endTimeUnixNano`),
    attributes: attributes(s.attributes, `${path}.attributes`),
    events: list(s.events, `${path}.events`).map((e, i) => event(e, `${path}.events[${i}]`)),
    statusCode: Number(integer(status.code, `${path}.status.code`)),
    statusMessage: string(status.message, `${path}.status.message`),
    resource,
  };
}

/** The names one kind of export request uses: resourceSpans/scopeSpans/spans, or the logs' ones. */
interface ExportNames {
  resources: string;
  scopes: string;
  items: string;
}

/**
 * The items (spans, log records) of an OTLP/JSON export request, each read with its resource's
 * attributes. An item whose content cannot be stored (SpanContentError) is left out and `refuse`d with
 * the reason; a body that is not such a request throws OtlpDecodeError.
 */
function decodeExport<T>(
  text: string,
  names: ExportNames,
  item: (value: unknown, path: string, resource: Attributes) => T,
  refuse: (reason: string) => void,
): T[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  const items: T[] = [];
  list(object(body, "(body)")[names.resources], names.resources).forEach((batch, i) => {
    const path = `${names.resources}[${i}]`;
    const resourceBatch = object(batch, path);
    const resource = refusable(() =>
      attributes(
        object(resourceBatch.resource, `${path}.resource`).attributes,
        `${path}.resource.attributes`,
      ),
    );
    list(resourceBatch[names.scopes], `${path}.${names.scopes}`).forEach((scope, j) => {
      const scopePath = `${path}.${names.scopes}[${j}]`;
      list(object(scope, scopePath)[names.items], `${scopePath}.${names.items}`).forEach((value, k) => {
        const read =
          "value" in resource
            ? refusable(() => item(value, `${scopePath}.${names.items}[${k}]`, resource.value))
            : resource;
        if ("value" in read) items.push(read.value);
        else refuse(read.refused);
      });
    });
  });
  return items;
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest into its spans. */
export function decodeJsonTraceRequest(text: string, refuse: (reason: string) => void): DecodedSpan[] {
  return decodeExport(
    text,
    { resources: "resourceSpans", scopes: "scopeSpans", items: "spans" },
    span,
    refuse,
  );
}

function logRecord(value: unknown, path: string, resource: Attributes): DecodedLogRecord {
  const l = object(value, path);
  return {
    traceId: id(l.traceId, `${path}.traceId`, 16),
    spanId: id(l.spanId, `${path}.spanId`, 8),
    timeUnixNano: integer(l.timeUnixNano, `${path}.timeUnixNano`),
    observedTimeUnixNano: integer(l.observedTimeUnixNano, `${path}.observedTimeUnixNano`),
    eventName: string(l.eventName, `${path}.eventName`),
    body: l.body === undefined || l.body === null ? null : anyValue(l.body, `${path}.body`, 0),
    attributes: attributes(l.attributes, `${path}.attributes`),
    resource,
  };
}

/** Decodes an OTLP/JSON ExportLogsServiceRequest into its log records. */
export function decodeJsonLogsRequest(text: string, refuse: (reason: string) => void): DecodedLogRecord[] {
  return decodeExport(
    text,
    { resources: "resourceLogs", scopes: "scopeLogs", items: "logRecords" },
    logRecord,
    refuse,
  );
}
