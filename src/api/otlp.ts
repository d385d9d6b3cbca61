import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { ApiError, badRequest } from "../http/problem";
import { chargeRateLimit } from "../http/rate-limit";
import { readBodyBytes } from "../http/validate";
import { decodeJsonTraceRequest } from "../otlp/json";
import { type DecodedSpan, OtlpDecodeError, Rejections, spanRecords } from "../otlp/model";
import {
  decodeProtobufTraceRequest,
  encodeProtobufStatus,
  encodeProtobufTraceResponse,
} from "../otlp/protobuf";
import { ingestSpans } from "../services/otlp";
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

function decode(encoding: Encoding, body: Uint8Array): DecodedSpan[] {
  // An empty body is an empty request, which OTLP answers with success.
  if (body.length === 0) return [];
  try {
    return encoding === "json"
      ? decodeJsonTraceRequest(new TextDecoder().decode(body))
      : decodeProtobufTraceRequest(body);
  } catch (error) {
    if (error instanceof OtlpDecodeError)
      throw badRequest(`The body is not an OTLP ExportTraceServiceRequest: ${error.message}`);
    throw error;
  }
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

/** OpenTelemetry's OTLP/HTTP trace receiver: exporters point OTEL_EXPORTER_OTLP_ENDPOINT at `<base>/otlp`. */
export const otlpApi = new Hono<AppEnv>();

otlpApi.use("*", otlpStatusErrors);

otlpApi.post("/v1/traces", requireApiKey("traces:write", { deferRateLimit: true }), async (c) => {
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
  const rejections = new Rejections();
  const records = spanRecords(decode(encoding, body), rejections);
  await ingestSpans(ingestDeps(c), records, rejections, (count) => chargeRateLimit(c, count));
  const partial =
    rejections.count > 0
      ? { rejectedSpans: rejections.count, errorMessage: rejections.message() }
      : undefined;
  if (encoding === "protobuf") {
    return c.body(encodeProtobufTraceResponse(partial), 200, { "Content-Type": "application/x-protobuf" });
  }
  // OTLP/JSON: lowerCamelCase keys, 64-bit integers as strings.
  return c.json(
    partial
      ? {
          partialSuccess: {
            rejectedSpans: String(partial.rejectedSpans),
            errorMessage: partial.errorMessage,
          },
        }
      : {},
  );
});
