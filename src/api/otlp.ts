import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { ApiError, badRequest } from "../http/problem";
import { chargeRateLimit } from "../http/rate-limit";
import { readBodyBytes, utf8Text } from "../http/validate";
import { decodeJsonLogsRequest, decodeJsonTraceRequest } from "../otlp/json";
import {
  type DecodedLogRecord,
  type DecodedSpan,
  logRecords,
  OtlpDecodeError,
  Rejections,
  spanRecords,
} from "../otlp/model";
import {
  decodeProtobufLogsRequest,
  decodeProtobufTraceRequest,
  encodeProtobufExportResponse,
  encodeProtobufStatus,
} from "../otlp/protobuf";
import { ingestLogs, ingestSpans, type OtlpWarnings } from "../services/otlp";
import { ingestDeps } from "./traces";

/** OTLP/HTTP's recommended limit on a request body, after decompression. */
export const OTLP_MAX_BODY_BYTES = 20 * 1024 * 1024;

type Encoding = "json" | "protobuf";

function encodingOf(contentType: string | undefined): Encoding | undefined {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  if (mediaType === "application/json") return "json";
  if (mediaType === "application/x-protobuf") return "protobuf";
  return undefined;
}

/**
 * OTLP/HTTP answers a failure with a google.rpc.Status in the request's own encoding: protobuf
 * clients get one; JSON clients get the problem document with Status's `message` member added.
 */
const otlpStatusErrors = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const encoding = encodingOf(c.req.header("Content-Type"));
  const problem = c.res.status >= 400 && c.res.headers.get("Content-Type")?.includes("problem+json");
  if (!problem || encoding === undefined) return;
  const body = await c.res.json<Record<string, unknown> & { detail: string }>();
  c.res =
    encoding === "protobuf"
      ? new Response(encodeProtobufStatus(body.detail), {
          status: c.res.status,
          headers: { "Content-Type": "application/x-protobuf" },
        })
      : new Response(JSON.stringify({ ...body, message: body.detail }), {
          status: c.res.status,
          headers: { "Content-Type": "application/json" },
        });
});

/** One kind of OTLP export: traces or logs. */
interface ExportKind<T> {
  /** The request message's name, for errors. */
  message: string;
  /** The response's JSON member counting what was turned away. */
  rejectedMember: "rejectedSpans" | "rejectedLogRecords";
  /** What is turned away: "span" or "log record". */
  noun: string;
  decodeJson(text: string, refuse: (reason: string) => void): T[];
  decodeProtobuf(bytes: Uint8Array, refuse: (reason: string) => void): T[];
  /** Stores what decoded; counts what it turns away in `rejections`; answers warnings for the sender. */
  ingest(c: Context<AppEnv>, items: T[], rejections: Rejections): Promise<OtlpWarnings>;
}

/**
 * An OTLP/HTTP export route: the media types and content encodings the specification allows, the
 * body read within its limit, decoded, ingested, and answered in the request's encoding, with
 * `partial_success` when something was turned away (or, with nothing rejected, to pass on warnings).
 */
function exportRoute<T>(kind: ExportKind<T>) {
  return async (c: Context<AppEnv>) => {
    const contentType = c.req.header("Content-Type");
    const encoding = encodingOf(contentType);
    if (encoding === undefined) {
      throw new ApiError(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        `Send OTLP with 'Content-Type: application/x-protobuf' or 'application/json' (got '${contentType ?? ""}')`,
      );
    }
    const contentEncoding = (c.req.header("Content-Encoding") ?? "identity").trim().toLowerCase();
    if (contentEncoding !== "gzip" && contentEncoding !== "identity") {
      throw new ApiError(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        `Content-Encoding '${contentEncoding}' is not supported; send gzip or no encoding`,
        undefined,
        { "Accept-Encoding": "gzip" },
      );
    }
    const body = await readBodyBytes(c.req.raw, OTLP_MAX_BODY_BYTES, contentEncoding);
    const rejections = new Rejections(kind.noun);
    const refuse = (reason: string) => rejections.add(reason);
    let items: T[] = [];
    // An empty body is an empty request, which OTLP answers with success.
    if (body.length > 0) {
      try {
        items =
          encoding === "json" ? kind.decodeJson(utf8Text(body), refuse) : kind.decodeProtobuf(body, refuse);
      } catch (error) {
        if (error instanceof OtlpDecodeError)
          throw badRequest(`The body is not an OTLP ${kind.message}: ${error.message}`);
        throw error;
      }
    }
    const warnings = await kind.ingest(c, items, rejections);
    const errorMessage = [rejections.count > 0 ? rejections.message() : "", ...warnings.messages]
      .filter((message) => message !== "")
      .join("; ");
    const partial = errorMessage === "" ? undefined : { rejected: rejections.count, errorMessage };
    if (encoding === "protobuf") {
      return c.body(encodeProtobufExportResponse(partial), 200, { "Content-Type": "application/x-protobuf" });
    }
    // OTLP/JSON: lowerCamelCase keys, 64-bit integers as strings.
    return c.json(
      partial
        ? {
            partialSuccess: {
              [kind.rejectedMember]: String(partial.rejected),
              errorMessage: partial.errorMessage,
            },
          }
        : {},
    );
  };
}

/**
 * OpenTelemetry's OTLP/HTTP receiver for traces and logs: exporters point OTEL_EXPORTER_OTLP_ENDPOINT
 * at `<base>/otlp`.
 */
export const otlpApi = new Hono<AppEnv>();

otlpApi.use("*", otlpStatusErrors);

otlpApi.post(
  "/v1/traces",
  requireApiKey("traces:write", { deferRateLimit: true }),
  exportRoute<DecodedSpan>({
    message: "ExportTraceServiceRequest",
    rejectedMember: "rejectedSpans",
    noun: "span",
    decodeJson: decodeJsonTraceRequest,
    decodeProtobuf: decodeProtobufTraceRequest,
    ingest: (c, decoded, rejections) =>
      ingestSpans(ingestDeps(c), spanRecords(decoded, rejections), rejections, (count) =>
        chargeRateLimit(c, count),
      ),
  }),
);

otlpApi.post(
  "/v1/logs",
  requireApiKey("traces:write", { deferRateLimit: true }),
  exportRoute<DecodedLogRecord>({
    message: "ExportLogsServiceRequest",
    rejectedMember: "rejectedLogRecords",
    noun: "log record",
    decodeJson: decodeJsonLogsRequest,
    decodeProtobuf: decodeProtobufLogsRequest,
    ingest: async (c, decoded, rejections) => {
      const { records, ignored } = logRecords(decoded, rejections);
      const warnings = await ingestLogs(ingestDeps(c), records, rejections, (count) =>
        chargeRateLimit(c, count),
      );
      if (ignored > 0)
        warnings.messages.push(
          `${ignored} log record(s) carry no GenAI content (gen_ai.*) and were not kept`,
        );
      return warnings;
    },
  }),
);
