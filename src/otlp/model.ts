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

export const spanKinds = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;
export type SpanKind = (typeof spanKinds)[number];
export const spanStatusCodes = ["unset", "ok", "error"] as const;
export type SpanStatusCode = (typeof spanStatusCodes)[number];

export interface SpanEvent {
  name: string;
  timeMs: number;
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

const MAX_LISTED_REASONS = 10;

/** Why spans were turned away, counted per reason, for the partial-success message. */
export class Rejections {
  private readonly reasons = new Map<string, number>();
  count = 0;

  add(reason: string, spans = 1): void {
    if (spans <= 0) return;
    this.count += spans;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + spans);
  }

  /** The first reasons, each with its count; a long list is cut so the message stays readable. */
  message(): string {
    const listed = [...this.reasons]
      .slice(0, MAX_LISTED_REASONS)
      .map(([reason, n]) => `${n} span(s): ${reason}`);
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
    records.push({
      traceId,
      spanId,
      parentSpanId: hasParent ? parent : null,
      isRoot: !hasParent || remoteParent,
      name: span.name,
      kind: spanKinds[span.kind] ?? "unspecified",
      startMs: nanosToMs(span.startTimeUnixNano),
      endMs: nanosToMs(span.endTimeUnixNano),
      statusCode: spanStatusCodes[span.statusCode] ?? "unset",
      statusMessage: span.statusMessage === "" ? null : span.statusMessage,
      attributes: span.attributes,
      events: span.events.map((event) => ({
        name: event.name,
        timeMs: nanosToMs(event.timeUnixNano),
        attributes: event.attributes,
      })),
      resource: span.resource,
    });
  }
  return records;
}
