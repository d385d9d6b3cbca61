import { MAX_JSON_DEPTH } from "../lib/json-value";

/**
 * OpenTelemetry spans as the OTLP decoders hand them over (DecodedSpan) and as Aegis keeps them
 * (SpanRecord): checked ids in lower-case hex, enums as names, times in milliseconds.
 */

/** An attribute value: OTLP's AnyValue as plain JSON (64-bit integers beyond 2^53 as decimal strings). */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };
export type Attributes = { [key: string]: AttributeValue };

export interface DecodedEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
}

/** One span of an ExportTraceServiceRequest, with its resource's attributes, ids not yet checked. */
export interface DecodedSpan {
  /** Hex as sent in JSON, or the bytes of protobuf in hex. */
  traceId: string;
  spanId: string;
  /** "" when the span has no parent. */
  parentSpanId: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: DecodedEvent[];
  statusCode: number;
  statusMessage: string;
  resource: Attributes;
}

/** A request body that is not an ExportTraceServiceRequest in the encoding it claims. */
export class OtlpDecodeError extends Error {
  override readonly name = "OtlpDecodeError";
}

/**
 * Content in a well-formed message that Aegis will not store (nesting too deep, text that is not valid
 * Unicode, a `__proto__` key): the decoders reject the spans that carry it, not the whole request.
 */
export class SpanContentError extends Error {
  override readonly name = "SpanContentError";
}

/** Reads part of a request whose content may be refused: the refusal is returned, not thrown. */
export function refusable<T>(read: () => T): { value: T } | { refused: string } {
  try {
    return { value: read() };
  } catch (error) {
    if (error instanceof SpanContentError) return { refused: error.message };
    throw error;
  }
}

/** AnyValue arrays and key-value lists nest at most this deep (src/lib/json-value.ts). */
export const MAX_VALUE_NESTING = MAX_JSON_DEPTH;

/** An attribute key as stored: `__proto__` cannot be plain data in a JavaScript object. */
export function attributeKey(key: string): string {
  if (key === "__proto__") throw new SpanContentError("an attribute key is __proto__, which is not accepted");
  if (!key.isWellFormed()) throw new SpanContentError("an attribute key is not valid Unicode");
  return key;
}

export const spanKinds = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;
export type SpanKind = (typeof spanKinds)[number];
export const spanStatusCodes = ["unset", "ok", "error"] as const;
export type SpanStatusCode = (typeof spanStatusCodes)[number];

export interface SpanEvent {
  name: string;
  timeMs: number;
  attributes: Attributes;
  /** The body of a log record correlated to the span (GenAI events sent as logs), when there is one. */
  body?: AttributeValue;
}

/** One log record of an ExportLogsServiceRequest, with its resource's attributes, ids not yet checked. */
export interface DecodedLogRecord {
  /** Hex as sent in JSON, or the bytes of protobuf in hex; "" when absent. */
  traceId: string;
  spanId: string;
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  /** LogRecord.event_name (OTLP 1.5+); older senders put it in the `event.name` attribute. */
  eventName: string;
  body: AttributeValue;
  attributes: Attributes;
  resource: Attributes;
}

/** A log record as Aegis keeps it: GenAI content for one span of one trace. */
export interface LogRecordContent {
  traceId: string;
  spanId: string;
  eventName: string;
  timeMs: number;
  body: AttributeValue;
  attributes: Attributes;
}

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** No parent, or a parent in another process: where this service's part of the trace begins. */
  isRoot: boolean;
  name: string;
  kind: SpanKind;
  /** Milliseconds since the epoch, with microsecond fractions. */
  startMs: number;
  endMs: number;
  statusCode: SpanStatusCode;
  statusMessage: string | null;
  attributes: Attributes;
  events: SpanEvent[];
  resource: Attributes;
}

/** Span flags bits 8 and 9 (OTLP 1.1+): whether the sender knows if the parent is remote, and if it is. */
const PARENT_IS_REMOTE_KNOWN = 0x100;
const PARENT_IS_REMOTE = 0x200;

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZERO = /^0+$/;

const nanosToMs = (nanos: bigint) => Number(nanos / 1000n) / 1000;

/** Times Aegis stores and prints: from the epoch to the end of year 9999 (zero means "not set"). */
const LATEST_TIME_MS = Date.UTC(10_000, 0, 1) - 1;

/** Milliseconds for a time in nanoseconds, or why it cannot be stored. */
function timeMs(nanos: bigint, field: string): number | string {
  const ms = nanosToMs(nanos);
  return nanos >= 0n && ms <= LATEST_TIME_MS ? ms : `${field} is out of range (0 to the year 9999)`;
}

const MAX_LISTED_REASONS = 10;

/** Why spans (or log records) were turned away, counted per reason, for the partial-success message. */
export class Rejections {
  private readonly reasons = new Map<string, number>();
  count = 0;

  constructor(private readonly noun = "span") {}

  add(reason: string, spans = 1): void {
    if (spans <= 0) return;
    this.count += spans;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + spans);
  }

  /** The first reasons, each with its count; a long list is cut so the message stays readable. */
  message(): string {
    const listed = [...this.reasons]
      .slice(0, MAX_LISTED_REASONS)
      .map(([reason, n]) => `${n} ${this.noun}(s): ${reason}`);
    const more = this.reasons.size - listed.length;
    return listed.join("; ") + (more > 0 ? `; and ${more} more reason(s)` : "");
  }
}

/** Checks each decoded span's ids; the valid ones become records, the others are counted as rejected. */
export function spanRecords(decoded: readonly DecodedSpan[], rejections: Rejections): SpanRecord[] {
  const records: SpanRecord[] = [];
  for (const span of decoded) {
    const traceId = span.traceId.toLowerCase();
    const spanId = span.spanId.toLowerCase();
    const parent = span.parentSpanId.toLowerCase();
    if (!TRACE_ID.test(traceId) || ALL_ZERO.test(traceId)) {
      rejections.add("the trace id is not 16 bytes in hex, or is all zeros");
      continue;
    }
    if (!SPAN_ID.test(spanId) || ALL_ZERO.test(spanId)) {
      rejections.add("the span id is not 8 bytes in hex, or is all zeros");
      continue;
    }
    const hasParent = parent !== "" && !ALL_ZERO.test(parent);
    if (hasParent && !SPAN_ID.test(parent)) {
      rejections.add("the parent span id is not 8 bytes in hex");
      continue;
    }
    const remoteParent = (span.flags & PARENT_IS_REMOTE_KNOWN) !== 0 && (span.flags & PARENT_IS_REMOTE) !== 0;
    const times = [
      timeMs(span.startTimeUnixNano, "startTimeUnixNano"),
      timeMs(span.endTimeUnixNano, "endTimeUnixNano"),
      ...span.events.map((event) => timeMs(event.timeUnixNano, "an event's timeUnixNano")),
    ];
    const badTime = times.find((t) => typeof t === "string");
    if (badTime !== undefined) {
      rejections.add(String(badTime));
      continue;
    }
    const [startMs = 0, endMs = 0, ...eventMs] = times as number[];
    records.push({
      traceId,
      spanId,
      parentSpanId: hasParent ? parent : null,
      isRoot: !hasParent || remoteParent,
      name: span.name,
      kind: spanKinds[span.kind] ?? "unspecified",
      startMs,
      endMs,
      statusCode: spanStatusCodes[span.statusCode] ?? "unset",
      statusMessage: span.statusMessage === "" ? null : span.statusMessage,
      attributes: span.attributes,
      events: span.events.map((event, i) => ({
        name: event.name,
        timeMs: eventMs[i] ?? 0,
        attributes: event.attributes,
      })),
      resource: span.resource,
    });
  }
  return records;
}

/** Whether a log record carries GenAI content: a `gen_ai.*` event, or `gen_ai.*` attributes. */
function isGenAiRecord(eventName: string, attributes: Attributes): boolean {
  return eventName.startsWith("gen_ai.") || Object.keys(attributes).some((key) => key.startsWith("gen_ai."));
}

/**
 * Checks each decoded log record: the GenAI ones with a valid trace and span id and a readable time
 * become records; invalid ones are counted as rejected; the others (an application's ordinary logs)
 * are accepted and not kept, and counted in `ignored`.
 */
export function logRecords(
  decoded: readonly DecodedLogRecord[],
  rejections: Rejections,
): { records: LogRecordContent[]; ignored: number } {
  const records: LogRecordContent[] = [];
  let ignored = 0;
  for (const log of decoded) {
    const eventName =
      log.eventName || (typeof log.attributes["event.name"] === "string" ? log.attributes["event.name"] : "");
    if (!isGenAiRecord(eventName, log.attributes)) {
      ignored += 1;
      continue;
    }
    const traceId = log.traceId.toLowerCase();
    const spanId = log.spanId.toLowerCase();
    if (!TRACE_ID.test(traceId) || ALL_ZERO.test(traceId) || !SPAN_ID.test(spanId) || ALL_ZERO.test(spanId)) {
      rejections.add("a GenAI log record has no valid trace id and span id to attach it to a span");
      continue;
    }
    // The observed time stands in when the event time is unset, as the data model says.
    const time = timeMs(
      log.timeUnixNano === 0n ? log.observedTimeUnixNano : log.timeUnixNano,
      "timeUnixNano",
    );
    if (typeof time === "string") {
      rejections.add(time);
      continue;
    }
    records.push({ traceId, spanId, eventName, timeMs: time, body: log.body, attributes: log.attributes });
  }
  return { records, ignored };
}
