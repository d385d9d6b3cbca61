import { describe, expect, it } from "vitest";
import { costUsd, FALLBACK_PRICES, priceOf, withinBudget } from "../../src/eval/judge/pricing";
import type { JudgeProvider } from "../../src/schema/organization";

describe("priceOf", () => {
  it.each<{ provider: JudgeProvider; model: string; expected: [number, number] }>([
    { provider: "openai", model: "gpt-4o", expected: [2.5, 10] },
    { provider: "openai", model: "gpt-4o-2024-08-06", expected: [2.5, 10] },
    { provider: "openai", model: "gpt-4o-mini-2024-07-18", expected: [0.15, 0.6] },
    { provider: "openai", model: "GPT-4.1-mini", expected: [0.4, 1.6] },
    { provider: "openai", model: "o3-mini-2025-01-31", expected: [1.1, 4.4] },
    { provider: "anthropic", model: "claude-sonnet-4-20250514", expected: [3, 15] },
    { provider: "anthropic", model: "claude-opus-4-5-20251101", expected: [5, 25] },
    { provider: "anthropic", model: "claude-opus-4-20250514", expected: [15, 75] },
    { provider: "anthropic", model: "claude-3-5-haiku-latest", expected: [0.8, 4] },
    { provider: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct", expected: [0.282, 0.827] },
    { provider: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct-fp8-fast", expected: [0.045, 0.384] },
  ])("$provider $model is listed at $expected", ({ provider, model, expected }) => {
    expect(priceOf(provider, model)).toEqual({
      input_usd_per_mtok: expected[0],
      output_usd_per_mtok: expected[1],
      source: "table",
    });
  });

  it.each<{ provider: JudgeProvider; model: string; expected: [number, number] }>([
    // Not a dated snapshot of gpt-4o: "." is no stem boundary.
    { provider: "openai", model: "gpt-4o.5", expected: [15, 60] },
    { provider: "openai", model: "llama3.1:8b", expected: [15, 60] },
    { provider: "anthropic", model: "claude-next", expected: [15, 75] },
    { provider: "workers-ai", model: "@cf/vendor/new-model", expected: [0.497, 4.881] },
  ])(
    "$provider $model falls back to the provider's most expensive listed prices",
    ({ provider, model, expected }) => {
      const fallback = { input_usd_per_mtok: expected[0], output_usd_per_mtok: expected[1] };
      expect(FALLBACK_PRICES[provider]).toEqual(fallback);
      expect(priceOf(provider, model)).toEqual({ ...fallback, source: "fallback" });
    },
  );
});

describe("costUsd", () => {
  const gpt4o = { input_usd_per_mtok: 2.5, output_usd_per_mtok: 10 };
  it.each([
    { usage: { input_tokens: 0, output_tokens: 0 }, expected: 0 },
    { usage: { input_tokens: 1_000_000, output_tokens: 0 }, expected: 2.5 },
    { usage: { input_tokens: 0, output_tokens: 1_000_000 }, expected: 10 },
    { usage: { input_tokens: 2_000, output_tokens: 500 }, expected: 0.01 },
  ])("$usage costs $expected USD", ({ usage, expected }) => {
    expect(costUsd(gpt4o, usage)).toBeCloseTo(expected, 12);
  });
});

describe("withinBudget", () => {
  it.each([
    { spent: 0, budget: 10, expected: true },
    { spent: 9.99, budget: 10, expected: true },
    { spent: 10, budget: 10, expected: false },
    { spent: 12, budget: 10, expected: false },
    { spent: 0, budget: 0, expected: false },
  ])("$spent spent of $budget → $expected", ({ spent, budget, expected }) => {
    expect(withinBudget(spent, { daily_budget_usd: budget })).toBe(expected);
  });
});
