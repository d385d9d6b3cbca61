import { type CallContext, type CallFailure, isTransientStatus, thrownFailure } from "./call";

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

type PostResult = { ok: true; body: unknown } | CallFailure;

/** Enough of an error body to explain it in an evaluation, not to store a provider's whole page. */
const ERROR_BODY_CHARS = 300;

/** `path` is appended to the base URL's path; the base URL's query (Azure's api-version) is kept. */
export function endpointUrl(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  return url.toString();
}

/** Seconds to wait, from either form of Retry-After: delta-seconds or an HTTP date. */
function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** OpenAI and Anthropic both put a readable message at `error.message` of their error bodies. */
function errorDetail(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && "error" in parsed) {
      const { error } = parsed;
      if (
        typeof error === "object" &&
        error !== null &&
        "message" in error &&
        typeof error.message === "string"
      ) {
        return error.message.slice(0, ERROR_BODY_CHARS);
      }
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim().slice(0, ERROR_BODY_CHARS);
}

async function httpFailure(response: Response, context: CallContext): Promise<CallFailure> {
  const detail = errorDetail(await response.text());
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"), context.now());
  return {
    ok: false,
    transient: isTransientStatus(response.status),
    status: response.status,
    error: `HTTP ${response.status}${detail ? `: ${detail}` : ""}`,
    ...(retryAfter !== undefined && { retry_after_s: retryAfter }),
  };
}

/** A 3xx answer (fetch hands it over as it is with `redirect: "manual"`): never followed. */
const isRedirect = (response: Response) => response.status >= 300 && response.status < 400;

/** The provider redirected the call: not retried, since it would redirect again. */
function redirectFailure(response: Response): CallFailure {
  const location = response.headers.get("location");
  const target = location ? ` to ${location.slice(0, ERROR_BODY_CHARS)}` : "";
  return {
    ok: false,
    transient: false,
    status: response.status,
    error: `the provider answered with a redirect (HTTP ${response.status}${target}), which the judge does not follow`,
  };
}

export async function postJson(
  send: FetchFn,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  context: CallContext,
): Promise<PostResult> {
  try {
    const response = await send(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: context.signal,
      // A redirect would carry the trace to a host the address check never saw (an internal one).
      redirect: "manual",
    });
    if (isRedirect(response)) {
      void response.body?.cancel().catch(() => undefined);
      return redirectFailure(response);
    }
    if (!response.ok) return await httpFailure(response, context);
    const text = await response.text();
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      const snippet = text.trim().slice(0, ERROR_BODY_CHARS);
      return { ok: false, transient: false, error: `the provider's answer is not JSON: ${snippet}` };
    }
  } catch (error) {
    return thrownFailure(error, context);
  }
}
