import type { JudgeProvider } from "../../schema/organization";
import type { PriceSource } from "./pricing";
import type { JudgeReply } from "./reply";

/** What the judge concluded about one trace, as the pipeline consumes it (the client produces it). */
/** What a judgement cost, summed over its attempts. */
export interface JudgeAccounting {
  provider: JudgeProvider;
  model: string;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  /** True when a provider did not report usage and tokens were estimated from text length. */
  tokens_estimated: boolean;
  cost_usd: number;
  /** "fallback" when the model is not in the price table (see FALLBACK_PRICES). */
  price_source: PriceSource;
  /** Wall time, including the wait for a free call slot. */
  latency_ms: number;
}

export type JudgeOutcome =
  | (JudgeAccounting &
      JudgeReply & {
        kind: "verdict";
        /** Rubric-weighted mean criterion score in [0, 1]. */
        weighted_score: number;
      })
  | (JudgeAccounting & {
      /** No usable verdict (invalid replies, a rejected request, a misconfiguration): a human must look. */
      kind: "unusable";
      rating: "REVIEW";
      reason: string;
    })
  | (JudgeAccounting & {
      /** Worth retrying the queue message later (429, 5xx, network). */
      kind: "transient_error";
      error: string;
      retry_after_s?: number;
    });
