import type { JudgeProvider, JudgeSettings } from "../../schema/organization";

export interface ModelPrice {
  input_usd_per_mtok: number;
  output_usd_per_mtok: number;
}

/** "fallback" means the model is not in the table and was priced by the provider's fallback. */
export type PriceSource = "table" | "fallback";

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
}

const price = (input: number, output: number): ModelPrice => ({
  input_usd_per_mtok: input,
  output_usd_per_mtok: output,
});

/**
 * List prices in USD per million tokens (standard tier, no batch or cache discounts), as published by
 * each provider in late 2025; check them against the pricing pages when adding a model. Keys are model
 * ids or their undated stems: "gpt-4o-2024-08-06" and "claude-sonnet-4-20250514" match by prefix.
 * Workers AI bills in Neurons; these are its published per-token equivalents, ignoring the free daily
 * allocation (it is shared by the whole account, so it cannot be attributed to one organization).
 */
const MODEL_PRICES: Record<JudgeProvider, Record<string, ModelPrice>> = {
  openai: {
    "gpt-5": price(1.25, 10),
    "gpt-5-mini": price(0.25, 2),
    "gpt-5-nano": price(0.05, 0.4),
    "gpt-4.1": price(2, 8),
    "gpt-4.1-mini": price(0.4, 1.6),
    "gpt-4.1-nano": price(0.1, 0.4),
    "gpt-4o": price(2.5, 10),
    "gpt-4o-mini": price(0.15, 0.6),
    o1: price(15, 60),
    o3: price(2, 8),
    "o3-mini": price(1.1, 4.4),
    "o4-mini": price(1.1, 4.4),
    "gpt-4-turbo": price(10, 30),
    "gpt-3.5-turbo": price(0.5, 1.5),
  },
  anthropic: {
    "claude-opus-4-5": price(5, 25),
    "claude-opus-4-1": price(15, 75),
    "claude-opus-4": price(15, 75),
    "claude-sonnet-4-5": price(3, 15),
    "claude-sonnet-4": price(3, 15),
    "claude-haiku-4-5": price(1, 5),
    "claude-3-7-sonnet": price(3, 15),
    "claude-3-5-sonnet": price(3, 15),
    "claude-3-5-haiku": price(0.8, 4),
    "claude-3-opus": price(15, 75),
    "claude-3-haiku": price(0.25, 1.25),
  },
  "workers-ai": {
    "@cf/meta/llama-3.2-1b-instruct": price(0.027, 0.201),
    "@cf/meta/llama-3.2-3b-instruct": price(0.051, 0.335),
    "@cf/meta/llama-3.1-8b-instruct": price(0.282, 0.827),
    "@cf/meta/llama-3.1-8b-instruct-fp8": price(0.152, 0.287),
    "@cf/meta/llama-3.1-8b-instruct-fp8-fast": price(0.045, 0.384),
    "@cf/meta/llama-3.1-8b-instruct-awq": price(0.123, 0.266),
    "@cf/meta/llama-3-8b-instruct": price(0.282, 0.827),
    "@cf/meta/llama-3.1-70b-instruct-fp8-fast": price(0.293, 2.253),
    "@cf/meta/llama-3.3-70b-instruct-fp8-fast": price(0.293, 2.253),
    "@cf/meta/llama-4-scout-17b-16e-instruct": price(0.27, 0.85),
    "@cf/mistral/mistral-7b-instruct-v0.1": price(0.11, 0.19),
    "@cf/mistralai/mistral-small-3.1-24b-instruct": price(0.351, 0.555),
    "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b": price(0.497, 4.881),
    "@cf/qwen/qwen3-30b-a3b-fp8": price(0.051, 0.335),
    "@cf/openai/gpt-oss-120b": price(0.35, 0.75),
  },
};

/**
 * An unknown model (a new release, an Azure deployment name, a self-hosted model behind an
 * OpenAI-compatible server) is priced as the provider's most expensive listed model, input and output
 * separately. The daily budget is then never under-counted because of a missing entry; a self-hosted
 * judge is over-counted, and its outcomes say `price_source: "fallback"`.
 */
export const FALLBACK_PRICES: Record<JudgeProvider, ModelPrice> = {
  openai: mostExpensive(MODEL_PRICES.openai),
  anthropic: mostExpensive(MODEL_PRICES.anthropic),
  "workers-ai": mostExpensive(MODEL_PRICES["workers-ai"]),
};

function mostExpensive(table: Record<string, ModelPrice>): ModelPrice {
  const prices = Object.values(table);
  return price(
    Math.max(...prices.map((p) => p.input_usd_per_mtok)),
    Math.max(...prices.map((p) => p.output_usd_per_mtok)),
  );
}

/** The exact id, else the longest listed stem followed by "-" (a dated snapshot or alias of it). */
export function priceOf(provider: JudgeProvider, model: string): ModelPrice & { source: PriceSource } {
  const table = MODEL_PRICES[provider];
  const id = model.trim().toLowerCase();
  const exact = table[id];
  if (exact) return { ...exact, source: "table" };
  let best: string | undefined;
  for (const stem of Object.keys(table)) {
    if (id.startsWith(`${stem}-`) && (best === undefined || stem.length > best.length)) best = stem;
  }
  const matched = best === undefined ? undefined : table[best];
  return matched ? { ...matched, source: "table" } : { ...FALLBACK_PRICES[provider], source: "fallback" };
}

export function costUsd(price: ModelPrice, usage: TokenUsage): number {
  return (
    (usage.input_tokens * price.input_usd_per_mtok + usage.output_tokens * price.output_usd_per_mtok) / 1e6
  );
}

/** Whether an organization may still spend on the judge today; a zero budget disables the judge. */
export function withinBudget(
  spentTodayUsd: number,
  settings: Pick<JudgeSettings, "daily_budget_usd">,
): boolean {
  return spentTodayUsd < settings.daily_budget_usd;
}
