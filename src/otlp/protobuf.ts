// The OTLP trace messages in binary protobuf, by hand: the few messages Aegis reads
// (opentelemetry/proto/collector/trace/v1 and trace/v1, common/v1) and the two it answers with. Field
// numbers are the .proto files'; fields Aegis does not use (links, dropped counts, schema URLs...) and
// unknown ones are skipped by wire type, as protobuf requires.
import { toHex } from "../lib/crypto";
import { type Attributes, type AttributeValue, type DecodedEvent, type DecodedSpan, OtlpDecodeError } from "./model";

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const utf8 = new TextDecoder();

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
    return utf8.decode(this.bytesField());
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === FIXED64) this.take(8);
    else if (wire === LENGTH_DELIMITED) this.bytesField();
    else if (wire === FIXED32) this.take(4);
    else throw new OtlpDecodeError(`invalid protobuf: unsupported wire type ${wire}`);
  }
}

/** Reads a message field by field; `read` returns false for fields it does not know, which are skipped. */
function readMessage(bytes: Uint8Array, read: (reader: Reader, field: number, wire: number) => boolean): void {
  const reader = new Reader(bytes);
  while (!reader.done) {
    const { field, wire } = reader.tag();
    if (!read(reader, field, wire)) reader.skip(wire);
  }
}

function expectWire(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new OtlpDecodeError(`invalid protobuf: ${what} has wire type ${actual}`);
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

function anyValue(bytes: Uint8Array): AttributeValue {
  let value: AttributeValue = null;
  readMessage(bytes, (r, field, wire) => {
    switch (field) {
      case 1:
        expectWire(wire, LENGTH_DELIMITED, "AnyValue.string_value");
        value = r.string();
        return true;
      case 2:
        expectWire(wire, VARINT, "AnyValue.bool_value");
        value = r.varint() !== 0n;
        return true;
      case 3:
        expectWire(wire, VARINT, "AnyValue.int_value");
        value = int64Value(r.varint());
        return true;
      case 4: {
        expectWire(wire, FIXED64, "AnyValue.double_value");
        const double = r.double();
        value = Number.isFinite(double) ? double : String(double);
        return true;
      }
      case 5: {
        expectWire(wire, LENGTH_DELIMITED, "AnyValue.array_value");
        const values: AttributeValue[] = [];
        readMessage(r.bytesField(), (inner, f, w) => {
          if (f !== 1) return false;
          expectWire(w, LENGTH_DELIMITED, "ArrayValue.values");
          values.push(anyValue(inner.bytesField()));
          return true;
        });
        value = values;
        return true;
      }
      case 6:
        expectWire(wire, LENGTH_DELIMITED, "AnyValue.kvlist_value");
        value = keyValues(r.bytesField(), 1);
        return true;
      case 7:
        expectWire(wire, LENGTH_DELIMITED, "AnyValue.bytes_value");
        value = base64(r.bytesField());
        return true;
      default:
        return false;
    }
  });
  return value;
}

/** One KeyValue into `into` (a later key wins, as in a map). */
function keyValue(bytes: Uint8Array, into: Attributes): void {
  let key = "";
  let value: AttributeValue = null;
  readMessage(bytes, (r, field, wire) => {
    if (field === 1) {
      expectWire(wire, LENGTH_DELIMITED, "KeyValue.key");
      key = r.string();
    } else if (field === 2) {
      expectWire(wire, LENGTH_DELIMITED, "KeyValue.value");
      value = anyValue(r.bytesField());
    } else return false;
    return true;
  });
  into[key] = value;
}

/** The repeated KeyValue field `fieldNumber` of a message, as one object. */
function keyValues(bytes: Uint8Array, fieldNumber: number): Attributes {
  const attributes: Attributes = {};
  readMessage(bytes, (r, field, wire) => {
    if (field !== fieldNumber) return false;
    expectWire(wire, LENGTH_DELIMITED, "KeyValue");
    keyValue(r.bytesField(), attributes);
    return true;
  });
  return attributes;
}

function event(bytes: Uint8Array): DecodedEvent {
  const decoded: DecodedEvent = { timeUnixNano: 0n, name: "", attributes: {} };
  readMessage(bytes, (r, field, wire) => {
    if (field === 1) {
      expectWire(wire, FIXED64, "Span.Event.time_unix_nano");
      decoded.timeUnixNano = r.fixed64();
    } else if (field === 2) {
      expectWire(wire, LENGTH_DELIMITED, "Span.Event.name");
      decoded.name = r.string();
    } else if (field === 3) {
      expectWire(wire, LENGTH_DELIMITED, "Span.Event.attributes");
      keyValue(r.bytesField(), decoded.attributes);
    } else return false;
    return true;
  });
  return decoded;
}

function span(bytes: Uint8Array, resource: Attributes): DecodedSpan {
  const decoded: DecodedSpan = {
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
  };
  readMessage(bytes, (r, field, wire) => {
    switch (field) {
      case 1:
        expectWire(wire, LENGTH_DELIMITED, "Span.trace_id");
        decoded.traceId = toHex(r.bytesField());
        return true;
      case 2:
        expectWire(wire, LENGTH_DELIMITED, "Span.span_id");
        decoded.spanId = toHex(r.bytesField());
        return true;
      case 4:
        expectWire(wire, LENGTH_DELIMITED, "Span.parent_span_id");
        decoded.parentSpanId = toHex(r.bytesField());
        return true;
      case 5:
        expectWire(wire, LENGTH_DELIMITED, "Span.name");
        decoded.name = r.string();
        return true;
      case 6:
        expectWire(wire, VARINT, "Span.kind");
        decoded.kind = Number(BigInt.asIntN(32, r.varint()));
        return true;
      case 7:
        expectWire(wire, FIXED64, "Span.start_time_unix_nano");
        decoded.startTimeUnixNano = r.fixed64();
        return true;
      case 8:
        expectWire(wire, FIXED64, "Span.end_time_unix_nano");
        decoded.endTimeUnixNano = r.fixed64();
        return true;
      case 9:
        expectWire(wire, LENGTH_DELIMITED, "Span.attributes");
        keyValue(r.bytesField(), decoded.attributes);
        return true;
      case 11:
        expectWire(wire, LENGTH_DELIMITED, "Span.events");
        decoded.events.push(event(r.bytesField()));
        return true;
      case 15:
        expectWire(wire, LENGTH_DELIMITED, "Span.status");
        readMessage(r.bytesField(), (s, f, w) => {
          if (f === 2) {
            expectWire(w, LENGTH_DELIMITED, "Status.message");
            decoded.statusMessage = s.string();
          } else if (f === 3) {
            expectWire(w, VARINT, "Status.code");
            decoded.statusCode = Number(BigInt.asIntN(32, s.varint()));
          } else return false;
          return true;
        });
        return true;
      case 16:
        expectWire(wire, FIXED32, "Span.flags");
        decoded.flags = r.fixed32();
        return true;
      default:
        return false;
    }
  });
  return decoded;
}

/** Decodes an ExportTraceServiceRequest into its spans, each with its resource's attributes. */
export function decodeProtobufTraceRequest(bytes: Uint8Array): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  readMessage(bytes, (r, field, wire) => {
    if (field !== 1) return false;
    expectWire(wire, LENGTH_DELIMITED, "ExportTraceServiceRequest.resource_spans");
    const resourceSpans = r.bytesField();
    let resource: Attributes = {};
    const scopeSpans: Uint8Array[] = [];
    readMessage(resourceSpans, (rs, f, w) => {
      if (f === 1) {
        expectWire(w, LENGTH_DELIMITED, "ResourceSpans.resource");
        resource = keyValues(rs.bytesField(), 1);
      } else if (f === 2) {
        expectWire(w, LENGTH_DELIMITED, "ResourceSpans.scope_spans");
        scopeSpans.push(rs.bytesField());
      } else return false;
      return true;
    });
    for (const scope of scopeSpans) {
      readMessage(scope, (ss, f, w) => {
        if (f !== 2) return false;
        expectWire(w, LENGTH_DELIMITED, "ScopeSpans.spans");
        spans.push(span(ss.bytesField(), resource));
        return true;
      });
    }
    return true;
  });
  return spans;
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

/** ExportTraceServiceResponse: empty on full success, with `partial_success` when spans were rejected. */
export function encodeProtobufTraceResponse(partial?: { rejectedSpans: number; errorMessage: string }): Uint8Array<ArrayBuffer> {
  if (!partial) return new Uint8Array();
  const partialSuccess = new Writer().tag(1, VARINT).varint(partial.rejectedSpans);
  if (partial.errorMessage !== "") partialSuccess.lengthDelimited(2, utf8Encoder.encode(partial.errorMessage));
  return new Writer().lengthDelimited(1, partialSuccess.finish()).finish();
}

/** google.rpc.Status with only its message, the body OTLP/HTTP prescribes for 4xx and 5xx answers. */
export function encodeProtobufStatus(message: string): Uint8Array<ArrayBuffer> {
  return new Writer().lengthDelimited(2, utf8Encoder.encode(message)).finish();
}
