import type { z } from "zod";
import { formatPath } from "../lib/field-path";

export interface FieldError {
  path: string;
  message: string;
}

/**
 * An error the API answers with as application/problem+json (RFC 9457).
 * `type` is a short slug; the response expands it to a URI under our docs.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    /** RFC 9457 extension members: machine-readable details such as a quota and its reset time. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

export const PROBLEM_TYPE_BASE = "https://aegis.dev/problems/";

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new ApiError(400, "validation-error", "Invalid request", detail, errors);
/** 400 for the fields that failed validation, the detail naming them (as parseWith answers). */
export const validationFailed = (errors: FieldError[]) =>
  badRequest(`${errors.length} field(s) failed validation: ${errors.map((e) => e.path).join(", ")}`, errors);
export const notFound = (what: string) =>
  new ApiError(404, "not-found", "Not found", `${what} was not found`);
export const payloadTooLarge = (limitBytes: number) =>
  new ApiError(
    413,
    "payload-too-large",
    "Payload too large",
    `The request body exceeds the limit of ${limitBytes} bytes (${formatBytes(limitBytes)})`,
  );

function formatBytes(bytes: number): string {
  if (bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MiB`;
  return bytes >= 1_000_000 ? `${bytes / 1_000_000} MB` : `${bytes / 1_000} kB`;
}

/** A path as the API names fields: array indexes in brackets, `traces[3].input`; `(body)` for the root. */
export function fieldPath(segments: readonly PropertyKey[], prefix = ""): string {
  const rest = formatPath(segments);
  const joined = prefix && rest && !rest.startsWith("[") ? `${prefix}.${rest}` : prefix + rest;
  return joined || "(body)";
}

/** Zod issues as `{ path, message }`. */
export function zodFieldErrors(error: z.ZodError, prefix = ""): FieldError[] {
  return error.issues.map((issue) => ({
    path: fieldPath(issue.path, prefix),
    message:
      issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message,
  }));
}

export function problemBody(
  error: ApiError,
  requestId: string,
): Record<string, unknown> & { status: number } {
  return {
    type: `${PROBLEM_TYPE_BASE}${error.type}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
    request_id: requestId,
    ...error.extensions,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}
