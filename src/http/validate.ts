import type { Context } from "hono";
import type { z } from "zod";
import { jsonValueProblem } from "../lib/json-value";
import {
  ApiError,
  badRequest,
  fieldPath,
  payloadTooLarge,
  validationFailed,
  zodFieldErrors,
} from "./problem";

/**
 * A body's bytes as text, refused with 400 when they are not valid UTF-8: decoding them leniently
 * would store U+FFFD in place of what was sent.
 */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw badRequest("The request body is not valid UTF-8");
  }
}

/**
 * Reads the body as text, refusing it as soon as it grows past `maxBytes` (declared or streamed), or
 * when it is not valid UTF-8.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  return utf8Text(await readBodyBytes(request, maxBytes));
}

/**
 * Reads the body's bytes, refusing it as soon as it grows past `maxBytes` (declared or streamed). A
 * gzip body is decompressed as it streams in and `maxBytes` limits what it decompresses to.
 */
export async function readBodyBytes(
  request: Request,
  maxBytes: number,
  contentEncoding: "identity" | "gzip" = "identity",
): Promise<Uint8Array> {
  const declared = Number(request.headers.get("Content-Length") ?? Number.NaN);
  if (declared > maxBytes) throw payloadTooLarge(maxBytes);
  if (!request.body) return new Uint8Array();
  const gzip = contentEncoding === "gzip";
  const reader = (
    gzip ? request.body.pipeThrough(new DecompressionStream("gzip")) : request.body
  ).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (error) {
      if (!gzip) throw error;
      throw badRequest(`The request body is not valid gzip: ${(error as Error).message}`);
    }
    const { done, value } = next;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of chunks) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

/**
 * The body as parsed JSON, not yet checked: for routes whose schema refuses hostile shapes itself
 * (traces, so that one bad item of a batch is refused alone). Others use jsonBody.
 */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const type = c.req.header("Content-Type") ?? "application/json";
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new ApiError(
      415,
      "unsupported-media-type",
      "Unsupported media type",
      `Send JSON with 'Content-Type: application/json' (got '${type}')`,
    );
  }
  const text = await readBodyText(c.req.raw, maxBytes);
  if (text.trim() === "") throw badRequest("The request body is empty; send a JSON document");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, pathPrefix = ""): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(zodFieldErrors(result.error, pathPrefix));
  return result.data;
}

/** Parses a JSON body, refuses shapes nothing may store (src/lib/json-value.ts), validates it. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S, maxBytes = 1_000_000) {
  const body = await readJsonBody(c, maxBytes);
  const problem = jsonValueProblem(body);
  if (problem) {
    throw validationFailed([{ path: fieldPath(problem.path), message: problem.message }]);
  }
  return parseWith(schema, body);
}

export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseWith(schema, c.req.query());
}
