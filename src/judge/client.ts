import type { JudgeAccounting, JudgeOutcome } from "../eval/judge/outcome";
import { costUsd, priceOf } from "../eval/judge/pricing";
import {
  buildJudgeConversation,
  type JudgeConversation,
  type JudgePromptInput,
  retryConversation,
} from "../eval/judge/prompt";
import { parseJudgeReply, weightedScore } from "../eval/judge/reply";
import type { JudgeProvider, JudgeSettings } from "../schema/organization";
import type { AddressCheck } from "./address";
import { type CallResult, errorMessage } from "./call";
import { type ProviderDeps, providerCall } from "./providers";
import { Semaphore } from "./semaphore";

export type { JudgeAccounting, JudgeOutcome } from "../eval/judge/outcome";

export const JUDGE_TIMEOUT_MS = 30_000;
export const MAX_JUDGE_CALLS_IN_FLIGHT = 5;
/** The first attempt and one retry that is told what was wrong with the first reply. */
export const MAX_JUDGE_ATTEMPTS = 2;

/** Shared by every judge of the isolate, whatever its organization or provider. */
const callSlots = new Semaphore(MAX_JUDGE_CALLS_IN_FLIGHT);

export interface JudgeDeps extends ProviderDeps {
  /** Epoch milliseconds. */
  now: () => number;
  /** Per provider request; defaults to JUDGE_TIMEOUT_MS. */
  timeoutMs?: number;
  /**
   * Epoch milliseconds after which no provider call starts: one that gets its slot later answers a
   * transient error instead, so its message is retried, and the caller (a queue consumer with a
   * wall-clock limit) never waits on calls it cannot afford to finish.
   */
  startBy?: number;
  /**
   * Checks an organization's own base URL before each judgement (src/judge/address.ts): a name may
   * resolve elsewhere since it was accepted. Answers null when it may be called, else why not and
   * whether that is transient (the resolver failed: the trace is retried, not sent to review).
   */
  checkAddress?: (baseUrl: string) => Promise<AddressCheck>;
}

export interface Judge {
  readonly provider: JudgeProvider;
  readonly model: string;
  /** Never throws: every failure is an outcome. */
  evaluate(input: JudgePromptInput): Promise<JudgeOutcome>;
}

/** A provider that reports no usage is still charged: about four characters to a token. */
function estimatedTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function conversationText(conversation: JudgeConversation): string {
  return conversation.system + conversation.messages.map((m) => m.content).join("");
}

export function createJudge(settings: JudgeSettings, deps: JudgeDeps): Judge {
  const { provider, model } = settings;
  const price = priceOf(provider, model);
  const call = providerCall(settings, deps);
  const timeoutMs = deps.timeoutMs ?? JUDGE_TIMEOUT_MS;

  async function evaluate(input: JudgePromptInput): Promise<JudgeOutcome> {
    const started = deps.now();
    const usage = { input_tokens: 0, output_tokens: 0 };
    let attempts = 0;
    let tokensEstimated = false;
    const accounting = (): JudgeAccounting => ({
      provider,
      model,
      attempts,
      ...usage,
      tokens_estimated: tokensEstimated,
      cost_usd: costUsd(price, usage),
      price_source: price.source,
      latency_ms: Math.max(0, deps.now() - started),
    });
    const unusable = (reason: string): JudgeOutcome => ({
      kind: "unusable",
      rating: "REVIEW",
      reason,
      ...accounting(),
    });

    try {
      if (typeof call === "string") return unusable(`the judge is not configured: ${call}`);
      const refused =
        settings.base_url && deps.checkAddress ? await deps.checkAddress(settings.base_url) : null;
      if (refused?.transient) {
        return {
          kind: "transient_error",
          error: `the judge's base_url could not be checked: it ${refused.problem}`,
          ...accounting(),
        };
      }
      if (refused) return unusable(`the judge's base_url may not be called: it ${refused.problem}`);
      let conversation = buildJudgeConversation(input);
      let lastError = "";
      while (attempts < MAX_JUDGE_ATTEMPTS) {
        const current = conversation;
        // The timeout starts once a slot is held: waiting for one is not the provider's slowness.
        const result = await callSlots.run(
          async (): Promise<CallResult> =>
            deps.startBy !== undefined && deps.now() > deps.startBy
              ? { ok: false, transient: true, error: "no time was left in this batch to call the judge" }
              : call(current, { signal: AbortSignal.timeout(timeoutMs), timeoutMs, now: deps.now }),
        );
        attempts += 1;
        if (!result.ok) {
          if (!result.transient) return unusable(`the provider call failed: ${result.error}`);
          return {
            kind: "transient_error",
            error: result.error,
            ...(result.retry_after_s !== undefined && { retry_after_s: result.retry_after_s }),
            ...accounting(),
          };
        }
        if (result.usage) {
          usage.input_tokens += result.usage.input_tokens;
          usage.output_tokens += result.usage.output_tokens;
        } else {
          tokensEstimated = true;
          usage.input_tokens += estimatedTokens(conversationText(current));
          usage.output_tokens += estimatedTokens(result.text);
        }
        const parsed = parseJudgeReply(result.text, current.criteria);
        if (parsed.ok) {
          return {
            kind: "verdict",
            ...parsed.reply,
            weighted_score: weightedScore(parsed.reply, current.criteria),
            ...accounting(),
          };
        }
        lastError = parsed.error;
        conversation = retryConversation(current, result.text, parsed.error);
      }
      return unusable(
        `no valid reply after ${attempts} attempts; the last one was rejected because ${lastError}`,
      );
    } catch (error) {
      return unusable(`the judge failed unexpectedly: ${errorMessage(error)}`);
    }
  }

  return { provider, model, evaluate };
}
