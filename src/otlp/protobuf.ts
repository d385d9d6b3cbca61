// The OTLP trace messages in binary protobuf, by hand: the few messages Aegis reads
// (opentelemetry/proto/collector/trace/v1 and trace/v1, common/v1) and the two it answers with. Field
// numbers are the .proto files'; fields Aegis does not use (links, dropped counts, schema URLs...) and
// unknown ones are skipped by wire type, as protobuf requires.
import { toHex } from "../lib/crypto";
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

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

// Protobuf strings must be UTF-8; invalid bytes are refused rather than silently replaced.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

class Reader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const key = this.varint();
    const field = Number(key >> 3n);
    if (field === 0) throw new OtlpDecodeError("invalid protobuf: field number 0");
    return { field, wire: Number(key & 7n) };
  }

  varint(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.bytes[this.pos++];
      if (byte === undefined) throw new OtlpDecodeError("invalid protobuf: truncated varint");
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, value);
    }
    throw new OtlpDecodeError("invalid protobuf: varint longer than 10 bytes");
  }

  private take(length: number): number {
    const start = this.pos;
    if (length < 0 || start + length > this.bytes.length)
      throw new OtlpDecodeError("invalid protobuf: a field runs past the end of its message");
    this.pos += length;
    return start;
  }

  fixed64(): bigint {
    return this.view.getBigUint64(this.take(8), true);
  }

  fixed32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  double(): number {
    return this.view.getFloat64(this.take(8), true);
  }

  bytesField(): Uint8Array {
    const length = Number(this.varint());
    const start = this.take(length);
    return this.bytes.subarray(start, start + length);
  }

  string(): string {
    const bytes = this.bytesField();
    try {
      return utf8.decode(bytes);
    } catch {
      throw new SpanContentError("a string is not valid UTF-8");
    }
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === FIXED64) this.take(8);
    else if (wire === LENGTH_DELIMITED) this.bytesField();
    else if (wire === FIXED32) this.take(4);
    else throw new OtlpDecodeError(`invalid protobuf: unsupported wire type ${wire}`);
  }
}

/**
 * How one known field is read: its wire type, its name for errors, and what it changes in the
 * message being built (returned as fields to merge, or done in place for repeated fields).
 */
type FieldSpec<T> = [wire: number, name: string, read: (reader: Reader, into: T) => Partial<T> | undefined];
type FieldTable<T> = Readonly<Record<number, FieldSpec<T>>>;

/**
 * Reads a message into `into` field by field, by the field numbers in `fields`; other fields are
 * skipped. A non-repeated field seen twice keeps its last value, as protobuf merges scalars.
 */
function readMessage<T>(bytes: Uint8Array, fields: FieldTable<T>, into: T): T {
  const reader = new Reader(bytes);
  while (!reader.done) {
    const { field, wire } = reader.tag();
    const spec = fields[field];
    if (spec === undefined) {
      reader.skip(wire);
      continue;
    }
    const [expected, name, read] = spec;
    if (wire !== expected) throw new OtlpDecodeError(`invalid protobuf: ${name} has wire type ${wire}`);
    const update = read(reader, into);
    if (update !== undefined) Object.assign(into as object, update);
  }
  return into;
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function int64Value(unsigned: bigint): number | string {
  const signed = BigInt.asIntN(64, unsigned);
  const asNumber = Number(signed);
  return Number.isSafeInteger(asNumber) ? asNumber : signed.toString();
}

/** JSON storage cannot hold NaN or the infinities: they are kept as their names. */
const jsonDouble = (double: number) => (Number.isFinite(double) ? double : String(double));

const int32 = (r: Reader) => Number(BigInt.asIntN(32, r.varint()));

type Box = { value: AttributeValue };

const ANY_VALUE: FieldTable<Box> = {
  1: [LENGTH_DELIMITED, "AnyValue.string_value", (r) => ({ value: r.string() })],
  2: [VARINT, "AnyValue.bool_value", (r) => ({ value: r.varint() !== 0n })],
  3: [VARINT, "AnyValue.int_value", (r) => ({ value: int64Value(r.varint()) })],
  4: [FIXED64, "AnyValue.double_value", (r) => ({ value: jsonDouble(r.double()) })],
  5: [
    LENGTH_DELIMITED,
    "AnyValue.array_value",
    (r) => ({
      value: readMessage(r.bytesField(), ARRAY_VALUE, []),
    }),
  ],
  6: [
    LENGTH_DELIMITED,
    "AnyValue.kvlist_value",
    (r) => ({
      value: readMessage(r.bytesField(), KEY_VALUE_LIST, {}),
    }),
  ],
  7: [LENGTH_DELIMITED, "AnyValue.bytes_value", (r) => ({ value: base64(r.bytesField()) })],
};

/** How deep the AnyValue being read is nested; the decoder is synchronous, so one counter serves. */
let nesting = 0;

function anyValue(bytes: Uint8Array): AttributeValue {
  if (nesting >= MAX_VALUE_NESTING)
    throw new SpanContentError(`an attribute value nests deeper than ${MAX_VALUE_NESTING} levels`);
  nesting += 1;
  try {
    return readMessage<Box>(bytes, ANY_VALUE, { value: null }).value;
  } finally {
    nesting -= 1;
  }
}

const ARRAY_VALUE: FieldTable<AttributeValue[]> = {
  1: [LENGTH_DELIMITED, "ArrayValue.values", (r, list) => void list.push(anyValue(r.bytesField()))],
};

const KEY_VALUE: FieldTable<{ key: string; value: AttributeValue }> = {
  1: [LENGTH_DELIMITED, "KeyValue.key", (r) => ({ key: r.string() })],
  2: [LENGTH_DELIMITED, "KeyValue.value", (r) => ({ value: anyValue(r.bytesField()) })],
};

/** One KeyValue into an attribute map (a later key wins, as in a map). */
function keyValue(bytes: Uint8Array, into: Attributes): void {
  const { key, value } = readMessage(bytes, KEY_VALUE, { key: "", value: null });
  into[attributeKey(key)] = value;
}

/** The repeated KeyValue field 1 of KeyValueList and of Resource. */
const KEY_VALUE_LIST: FieldTable<Attributes> = {
  1: [LENGTH_DELIMITED, "KeyValue", (r, attributes) => void keyValue(r.bytesField(), attributes)],
};

const EVENT: FieldTable<DecodedEvent> = {
  1: [FIXED64, "Span.Event.time_unix_nano", (r) => ({ timeUnixNano: r.fixed64() })],
  2: [LENGTH_DELIMITED, "Span.Event.name", (r) => ({ name: r.string() })],
  3: [LENGTH_DELIMITED, "Span.Event.attributes", (r, e) => void keyValue(r.bytesField(), e.attributes)],
};

const STATUS: FieldTable<DecodedSpan> = {
  2: [LENGTH_DELIMITED, "Status.message", (r) => ({ statusMessage: r.string() })],
  3: [VARINT, "Status.code", (r) => ({ statusCode: int32(r) })],
};

const newEvent = (): DecodedEvent => ({ timeUnixNano: 0n, name: "", attributes: {} });

const SPAN: FieldTable<DecodedSpan> = {
  1: [LENGTH_DELIMITED, "Span.trace_id", (r) => ({ traceId: toHex(r.bytesField()) })],
  2: [LENGTH_DELIMITED, "Span.span_id", (r) => ({ spanId: toHex(r.bytesField()) })],
  4: [LENGTH_DELIMITED, "Span.parent_span_id", (r) => ({ parentSpanId: toHex(r.bytesField()) })],
  5: [LENGTH_DELIMITED, "Span.name", (r) => ({ name: r.string() })],
  6: [VARINT, "Span.kind", (r) => ({ kind: int32(r) })],
  7: [FIXED64, "Span.start_time_unix_nano", (r) => ({ startTimeUnixNano: r.fixed64() })],
  8: [FIXED64, "Span.end_time_unix_nano", (r) => ({ endTimeUnixNano: r.fixed64() })],
  9: [LENGTH_DELIMITED, "Span.attributes", (r, s) => void keyValue(r.bytesField(), s.attributes)],
  11: [
    LENGTH_DELIMITED,
    "Span.events",
    (r, s) => void s.events.push(readMessage(r.bytesField(), EVENT, newEvent())),
  ],
  15: [LENGTH_DELIMITED, "Span.status", (r, s) => void readMessage(r.bytesField(), STATUS, s)],
  16: [FIXED32, "Span.flags", (r) => ({ flags: r.fixed32() })],
};

function span(bytes: Uint8Array, resource: Attributes): DecodedSpan {
  return readMessage(bytes, SPAN, {
    traceId: "",
    spanId: "",
    parentSpanId: "",
    flags: 0,
    name: "",
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    events: [],
    statusCode: 0,
    statusMessage: "",
    resource,
  });
}

/** A resource and the scope messages that carry its spans or log records, read once the whole batch is. */
interface ResourceBatch {
  resource: Attributes;
  /** Why the resource cannot be stored: then nothing of its batch can. */
  refused?: string;
  scopes: Uint8Array[];
}

/** ResourceSpans and ResourceLogs alike: resource = 1, scope_spans / scope_logs = 2. */
const RESOURCE_BATCH: FieldTable<ResourceBatch> = {
  1: [
    LENGTH_DELIMITED,
    "resource",
    (r) => {
      const bytes = r.bytesField();
      const read = refusable(() => readMessage(bytes, KEY_VALUE_LIST, {}));
      return "value" in read ? { resource: read.value } : { resource: {}, refused: read.refused };
    },
  ],
  2: [LENGTH_DELIMITED, "scopes", (r, b) => void b.scopes.push(r.bytesField())],
};

/** ExportTraceServiceRequest.resource_spans and ExportLogsServiceRequest.resource_logs: field 1. */
const requestFields = (name: string): FieldTable<ResourceBatch[]> => ({
  1: [
    LENGTH_DELIMITED,
    name,
    (r, list) => void list.push(readMessage(r.bytesField(), RESOURCE_BATCH, { resource: {}, scopes: [] })),
  ],
});
const TRACE_REQUEST = requestFields("ExportTraceServiceRequest.resource_spans");
const LOGS_REQUEST = requestFields("ExportLogsServiceRequest.resource_logs");

/**
 * The items (spans, log records: field 2 of ScopeSpans and ScopeLogs) of an export request, each read
 * with its resource's attributes. An item whose content cannot be stored (SpanContentError) is left
 * out and `refuse`d with the reason; a body that is not protobuf throws OtlpDecodeError.
 */
function decodeExport<T>(
  bytes: Uint8Array,
  request: FieldTable<ResourceBatch[]>,
  item: (bytes: Uint8Array, resource: Attributes) => T,
  refuse: (reason: string) => void,
): T[] {
  nesting = 0;
  const items: T[] = [];
  for (const { resource, refused, scopes } of readMessage(bytes, request, [])) {
    const scopeFields: FieldTable<T[]> = {
      2: [
        LENGTH_DELIMITED,
        "scope item",
        (r, list) => {
          const itemBytes = r.bytesField();
          const read = refused === undefined ? refusable(() => item(itemBytes, resource)) : { refused };
          if ("value" in read) list.push(read.value);
          else refuse(read.refused);
          return undefined;
        },
      ],
    };
    for (const scope of scopes) readMessage(scope, scopeFields, items);
  }
  return items;
}

/** Decodes an ExportTraceServiceRequest into its spans. */
export function decodeProtobufTraceRequest(
  bytes: Uint8Array,
  refuse: (reason: string) => void,
): DecodedSpan[] {
  return decodeExport(bytes, TRACE_REQUEST, span, refuse);
}

const LOG_RECORD: FieldTable<DecodedLogRecord> = {
  1: [FIXED64, "LogRecord.time_unix_nano", (r) => ({ timeUnixNano: r.fixed64() })],
  5: [LENGTH_DELIMITED, "LogRecord.body", (r) => ({ body: anyValue(r.bytesField()) })],
  6: [LENGTH_DELIMITED, "LogRecord.attributes", (r, l) => void keyValue(r.bytesField(), l.attributes)],
  9: [LENGTH_DELIMITED, "LogRecord.trace_id", (r) => ({ traceId: toHex(r.bytesField()) })],
  10: [LENGTH_DELIMITED, "LogRecord.span_id", (r) => ({ spanId: toHex(r.bytesField()) })],
  11: [FIXED64, "LogRecord.observed_time_unix_nano", (r) => ({ observedTimeUnixNano: r.fixed64() })],
  12: [LENGTH_DELIMITED, "LogRecord.event_name", (r) => ({ eventName: r.string() })],
};

function logRecord(bytes: Uint8Array, resource: Attributes): DecodedLogRecord {
  return readMessage(bytes, LOG_RECORD, {
    traceId: "",
    spanId: "",
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    eventName: "",
    body: null,
    attributes: {},
    resource,
  });
}

/** Decodes an ExportLogsServiceRequest into its log records. */
export function decodeProtobufLogsRequest(
  bytes: Uint8Array,
  refuse: (reason: string) => void,
): DecodedLogRecord[] {
  return decodeExport(bytes, LOGS_REQUEST, logRecord, refuse);
}

/** Builds small messages: varints and length-delimited fields, enough for the two responses. */
class Writer {
  private readonly bytes: number[] = [];

  varint(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      this.bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.bytes.push(rest);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  lengthDelimited(field: number, content: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED).varint(content.length);
    for (const byte of content) this.bytes.push(byte);
    return this;
  }

  finish(): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.bytes);
  }
}

const utf8Encoder = new TextEncoder();

/**
 * ExportTraceServiceResponse or ExportLogsServiceResponse (the same fields): empty on full success,
 * with `partial_success` (rejected spans or log records, and a message) otherwise.
 */
export function encodeProtobufExportResponse(partial?: {
  rejected: number;
  errorMessage: string;
}): Uint8Array<ArrayBuffer> {
  if (!partial) return new Uint8Array();
  const partialSuccess = new Writer().tag(1, VARINT).varint(partial.rejected);
  if (partial.errorMessage !== "")
    partialSuccess.lengthDelimited(2, utf8Encoder.encode(partial.errorMessage));
  return new Writer().lengthDelimited(1, partialSuccess.finish()).finish();
}

/** google.rpc.Status with only its message, the body OTLP/HTTP prescribes for 4xx and 5xx answers. */
export function encodeProtobufStatus(message: string): Uint8Array<ArrayBuffer> {
  return new Writer().lengthDelimited(2, utf8Encoder.encode(message)).finish();
}
