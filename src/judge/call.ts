import type { TokenUsage } from "../eval/judge/pricing";
import type { JudgeConversation } from "../eval/judge/prompt";

export interface CallFailure {
  ok: false;
  /** Worth retrying later: rate limits, provider outages and network errors. */
  transient: boolean;
  error: string;
  /** The HTTP status (or the one a Workers AI error code stands for), when there was one. */
  status?: number;
  retry_after_s?: number;
}

/** `usage` is null when the provider did not report it. */
export type CallResult = { ok: true; text: string; usage: TokenUsage | null } | CallFailure;

export interface CallContext {
  signal: AbortSignal;
  timeoutMs: number;
  /** Epoch milliseconds, to read a Retry-After date. */
  now: () => number;
}

/** One request to a provider; it reports failures as values and never throws. */
export type ProviderCall = (conversation: JudgeConversation, context: CallContext) => Promise<CallResult>;

export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A thrown fetch or binding error. The network failing is worth retrying; a judge that let the whole
 * timeout pass is not: the trace degrades to human review instead of holding the queue.
 */
export function thrownFailure(error: unknown, context: CallContext): CallFailure {
  if (context.signal.aborted) {
    return { ok: false, transient: false, error: `no answer within the ${context.timeoutMs} ms timeout` };
  }
  return { ok: false, transient: true, error: `request failed: ${errorMessage(error)}` };
}
