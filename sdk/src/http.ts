/** How requests are retried: on 429, 5xx and network failures, with exponential backoff and full jitter. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** The first backoff ceiling; it doubles on every retry (default 500 ms). */
  baseDelayMs?: number;
  /** The longest wait between attempts. A Retry-After longer than this is not waited for (default 30 s). */
  maxDelayMs?: number;
}

export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  fetch?: typeof fetch;
  retry?: RetryOptions;
  /** Time limit of one attempt (default 30 s). */
  timeoutMs?: number;
  /** Uniform in [0, 1), for the jitter. */
  random?: () => number;
}

export interface FieldError {
  path: string;
  message: string;
}

/** A failed call: the API's problem document, or a network failure (status 0). */
export class AegisError extends Error {
  override readonly name = "AegisError";

  constructor(
    readonly status: number,
    /** The problem type's last segment (`validation-error`, `rate-limited`...) or `network-error`. */
    readonly type: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly requestId: string | null = null,
    /** Seconds the server asked to wait before retrying, when it said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${status === 0 ? "network error" : `HTTP ${status}`} (${type}): ${detail}`);
  }

  /** Worth trying again later: throttled, a server error, or the network. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** Retry-After in seconds: delta-seconds or an HTTP date. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000);
}

export async function errorFrom(response: Response): Promise<AegisError> {
  const text = await response.text();
  let problem: { type?: unknown; detail?: unknown; errors?: unknown } = {};
  try {
    problem = JSON.parse(text) as typeof problem;
  } catch {
    problem = { detail: text };
  }
  const type = typeof problem.type === "string" ? (problem.type.split("/").pop() ?? "error") : "http-error";
  return new AegisError(
    response.status,
    type,
    typeof problem.detail === "string" && problem.detail !== "" ? problem.detail : response.statusText,
    Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [],
    response.headers.get("X-Request-Id"),
    retryAfterSeconds(response.headers.get("Retry-After")),
  );
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Retrying is safe: reads, and writes made idempotent by client ids. */
  idempotent?: boolean;
}

/** Calls the Aegis API with the key, JSON in and out, and retries what is safe to retry. */
export class Transport {
  private readonly fetcher: typeof fetch;
  readonly baseUrl: string;
  private readonly retry: Required<RetryOptions>;
  private readonly timeoutMs: number;
  private readonly random: () => number;

  constructor(private readonly options: TransportOptions) {
    if (!options.apiKey) throw new TypeError("Aegis: apiKey is required");
    if (!options.baseUrl) throw new TypeError("Aegis: baseUrl is required");
    // Bound so that a method-less `fetch` (browsers check `this`) still works.
    this.fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.retry = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${this.options.apiKey}`, ...extra };
  }

  /** The wait before retry number `attempt` (1-based): Retry-After when given, else full jitter. */
  backoffMs(attempt: number, error: AegisError): number | null {
    if (error.retryAfterSeconds !== null) {
      const ms = error.retryAfterSeconds * 1000;
      return ms > this.retry.maxDelayMs ? null : ms;
    }
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return this.random() * ceiling;
  }

  async request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; body: T }> {
    const retries = options.idempotent === false ? 0 : this.retry.maxRetries;
    for (let attempt = 0; ; attempt++) {
      let error: AegisError;
      try {
        const response = await this.fetcher(this.url(path, options.query), {
          method,
          headers: this.headers(options.body === undefined ? {} : { "Content-Type": "application/json" }),
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (response.ok) {
          const text = await response.text();
          return { status: response.status, body: (text === "" ? null : JSON.parse(text)) as T };
        }
        error = await errorFrom(response);
      } catch (thrown) {
        error = new AegisError(0, "network-error", thrown instanceof Error ? thrown.message : String(thrown));
      }
      const wait = error.retryable && attempt < retries ? this.backoffMs(attempt + 1, error) : null;
      if (wait === null) throw error;
      await sleep(wait);
    }
  }
}
