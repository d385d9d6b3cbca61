import { ProtobufLogsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { describe, expect, it } from "vitest";
import { decodeJsonLogsRequest, decodeJsonTraceRequest } from "../../src/otlp/json";
import { type DecodedSpan, OtlpDecodeError, Rejections, spanRecords } from "../../src/otlp/model";
import {
  decodeProtobufLogsRequest,
  decodeProtobufTraceRequest,
  encodeProtobufExportResponse,
  encodeProtobufStatus,
} from "../../src/otlp/protobuf";
import { agentRun, chatContentLogs, otlpBody, otlpLogsBody, recordLogs, recordSpans } from "../support/otel";

/** Every attribute value type the SDK sends. */
const ATTRIBUTES = {
  "gen_ai.operation.name": "invoke_agent",
  count: -42,
  big: 2 ** 40,
  ratio: 0.25,
  ok: true,
  names: ["a", "b"],
  sizes: [1, 2, 3],
  flags: [true, false],
  "café ☕": "ünïcödé",
};
const EVENTS = [{ name: "gen_ai.content.prompt", attributes: { "gen_ai.prompt": "hi", n: 1 } }];
const RESOURCE = { "deployment.environment": "test", "aegis.domain": "healthcare" };

const spans = recordSpans(
  { ...agentRun(), attributes: ATTRIBUTES, events: EVENTS, status: { code: 2, message: "model overloaded" } },
  RESOURCE,
);

const byId = (list: DecodedSpan[]) => [...list].sort((a, b) => a.spanId.localeCompare(b.spanId));
const text = new TextDecoder();
const refuseNone = (reason: string) => {
  throw new Error(`unexpected refusal: ${reason}`);
};

describe("OTLP decoding", () => {
  it("reads the same spans from the SDK's protobuf and JSON encodings", () => {
    const fromProtobuf = decodeProtobufTraceRequest(otlpBody(spans, "protobuf"), refuseNone);
    const fromJson = decodeJsonTraceRequest(text.decode(otlpBody(spans, "json")), refuseNone);
    expect(byId(fromProtobuf)).toEqual(byId(fromJson));
    const root = fromProtobuf.find((s) => s.parentSpanId === "");
    expect(root).toMatchObject({
      name: "invoke_agent triage",
      statusCode: 2,
      statusMessage: "model overloaded",
      attributes: ATTRIBUTES,
      events: EVENTS,
      resource: { "service.name": "triage-bot", ...RESOURCE },
    });
    expect(root?.startTimeUnixNano).toBeGreaterThan(1_700_000_000_000_000_000n);
    expect(fromProtobuf).toHaveLength(3);
  });

  it("skips fields it does not know, of every wire type", () => {
    const known = otlpBody(spans, "protobuf");
    // Field 99 as varint, fixed64, length-delimited and fixed32, appended to the request.
    const unknown = [
      0x98,
      0x06,
      0x2a,
      0x99,
      0x06,
      ...new Array(8).fill(1),
      0x9a,
      0x06,
      0x02,
      0x68,
      0x69,
      0x9d,
      0x06,
      1,
      2,
      3,
      4,
    ];
    const body = new Uint8Array([...known, ...unknown]);
    expect(decodeProtobufTraceRequest(body, refuseNone)).toEqual(
      decodeProtobufTraceRequest(known, refuseNone),
    );
  });

  it.each([
    ["a known field with the wrong wire type", [0x08, 0x01], /resource_spans has wire type 0/],
    ["a length past the end", [0x0a, 0x05, 0x01], /runs past the end/],
    ["a varint that never ends", [0x10, ...new Array(11).fill(0xff)], /longer than 10 bytes/],
    ["field number 0", [0x00, 0x01], /field number 0/],
    ["an unknown wire type", [0x13], /unsupported wire type 3/],
  ])("refuses protobuf with %s", (_label, bytes, message) => {
    expect(() => decodeProtobufTraceRequest(new Uint8Array(bytes), refuseNone)).toThrow(OtlpDecodeError);
    expect(() => decodeProtobufTraceRequest(new Uint8Array(bytes), refuseNone)).toThrow(message);
  });

  it("writes responses the SDK's exporters read", () => {
    expect(ProtobufTraceSerializer.deserializeResponse(encodeProtobufExportResponse())).toEqual({});
    const partial = ProtobufTraceSerializer.deserializeResponse(
      encodeProtobufExportResponse({ rejected: 300, errorMessage: "trace x has no input" }),
    );
    expect(partial.partialSuccess).toEqual({ rejectedSpans: 300, errorMessage: "trace x has no input" });
    const logs = ProtobufLogsSerializer.deserializeResponse(
      encodeProtobufExportResponse({ rejected: 2, errorMessage: "no trace id" }),
    );
    expect(logs.partialSuccess).toEqual({ rejectedLogRecords: 2, errorMessage: "no trace id" });
    expect(text.decode(encodeProtobufStatus("bad").subarray(2))).toBe("bad");
  });
});

describe("OTLP log decoding", () => {
  it("reads the same log records, bodies and ids from the SDK's protobuf and JSON encodings", () => {
    const [chat] = recordSpans({ name: "chat gpt-4o" });
    const logs = recordLogs(chat?.spanContext(), chatContentLogs("Dose?", "None."), {
      "deployment.environment": "t",
    });
    const fromProtobuf = decodeProtobufLogsRequest(otlpLogsBody(logs, "protobuf"), refuseNone);
    const fromJson = decodeJsonLogsRequest(text.decode(otlpLogsBody(logs, "json")), refuseNone);
    expect(fromProtobuf).toEqual(fromJson);
    expect(fromProtobuf.map((l) => [l.eventName, l.body])).toEqual([
      ["gen_ai.system.message", { content: "You are a triage nurse." }],
      ["gen_ai.user.message", { content: "Dose?" }],
      ["gen_ai.choice", { index: 0, finish_reason: "stop", message: { content: "None." } }],
    ]);
    expect(fromProtobuf[0]).toMatchObject({
      traceId: chat?.spanContext().traceId,
      spanId: chat?.spanContext().spanId,
      attributes: { "gen_ai.system": "openai" },
      resource: { "deployment.environment": "t" },
    });
  });
});

describe("span records", () => {
  const decoded = (change: Partial<DecodedSpan>): DecodedSpan => ({
    traceId: "0AF7651916CD43DD8448EB211C80319C",
    spanId: "B7AD6B7169203331",
    parentSpanId: "",
    flags: 0,
    name: "s",
    kind: 2,
    startTimeUnixNano: 1_764_230_400_123_456_789n,
    endTimeUnixNano: 1_764_230_400_223_456_789n,
    attributes: {},
    events: [],
    statusCode: 1,
    statusMessage: "",
    resource: {},
    ...change,
  });

  it.each<[string, Partial<DecodedSpan>, Record<string, unknown> | string]>([
    [
      "a root span",
      {},
      { traceId: "0af7651916cd43dd8448eb211c80319c", isRoot: true, kind: "server", statusCode: "ok" },
    ],
    ["a child", { parentSpanId: "00f067aa0ba902b7" }, { parentSpanId: "00f067aa0ba902b7", isRoot: false }],
    ["a child of a remote parent", { parentSpanId: "00f067aa0ba902b7", flags: 0x301 }, { isRoot: true }],
    [
      "a child whose sender does not say",
      { parentSpanId: "00f067aa0ba902b7", flags: 0x201 },
      { isRoot: false },
    ],
    ["an all-zero parent", { parentSpanId: "0000000000000000" }, { parentSpanId: null, isRoot: true }],
    ["unknown enum values", { kind: 9, statusCode: 7 }, { kind: "unspecified", statusCode: "unset" }],
    ["times", {}, { startMs: 1_764_230_400_123.456, endMs: 1_764_230_400_223.456 }],
    ["a short trace id", { traceId: "abc" }, "the trace id is not 16 bytes in hex, or is all zeros"],
    [
      "an all-zero span id",
      { spanId: "0000000000000000" },
      "the span id is not 8 bytes in hex, or is all zeros",
    ],
    [
      "a parent id that is not hex",
      { parentSpanId: "zzzzzzzzzzzzzzzz" },
      "the parent span id is not 8 bytes in hex",
    ],
  ])("reads %s", (_label, change, expected) => {
    const rejections = new Rejections();
    const [record] = spanRecords([decoded(change)], rejections);
    if (typeof expected === "string") {
      expect(record).toBeUndefined();
      expect(rejections.message()).toBe(`1 span(s): ${expected}`);
    } else expect(record).toMatchObject(expected);
  });

  it("lists ten reasons at most", () => {
    const rejections = new Rejections();
    for (let i = 0; i < 12; i++) rejections.add(`reason ${i}`, 2);
    expect(rejections.count).toBe(24);
    expect(rejections.message()).toMatch(/^2 span\(s\): reason 0; .*reason 9; and 2 more reason\(s\)$/);
  });
});
