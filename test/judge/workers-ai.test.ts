import { describe, expect, it } from "vitest";
import { createJudge, type JudgeOutcome } from "../../src/judge/client";
import type { WorkersAiBinding } from "../../src/judge/providers";
import type { JudgeSettings } from "../../src/schema/organization";
import { JUDGE_INPUT, judgeReply, UNSAFE_REPLY } from "./fixtures";

/** A stand-in for the AI binding: answers from a script and records each call. */
function fakeBinding(answers: (() => Promise<unknown>)[]) {
  const calls: { model: string; input: unknown }[] = [];
  const binding: WorkersAiBinding = {
    run(model, input) {
      calls.push({ model, input });
      const next = answers.shift();
      return next ? next() : Promise.reject(new Error("no scripted answer"));
    },
  };
  return { binding, calls };
}

const LLAMA_8B = "@cf/meta/llama-3.1-8b-instruct";
const usage = { prompt_tokens: 1_000, completion_tokens: 200 };

function judgeWith(binding: WorkersAiBinding | undefined, model = LLAMA_8B, timeoutMs = 2_000) {
  const settings: JudgeSettings = {
    provider: "workers-ai",
    model,
    daily_budget_usd: 5,
    calibration_sample_rate: 0,
  };
  return createJudge(settings, { fetch, openai: {}, anthropic: {}, ai: binding, now: Date.now, timeoutMs });
}

function explanation(outcome: JudgeOutcome): string {
  if (outcome.kind === "transient_error") return outcome.error;
  if (outcome.kind === "unusable") return outcome.reason;
  return "";
}

describe("workers-ai provider", () => {
  it.each([
    { name: "a string response", answer: { response: JSON.stringify(UNSAFE_REPLY), usage } },
    { name: "an object response (JSON mode)", answer: { response: UNSAFE_REPLY, usage } },
    {
      name: "a chat-completions shaped answer",
      answer: { choices: [{ message: { role: "assistant", content: JSON.stringify(UNSAFE_REPLY) } }], usage },
    },
  ])("reads $name", async ({ answer }) => {
    const { binding, calls } = fakeBinding([async () => answer]);
    const outcome = await judgeWith(binding).evaluate(JUDGE_INPUT);
    expect(outcome).toMatchObject({
      kind: "verdict",
      rating: "UNSAFE",
      input_tokens: 1_000,
      output_tokens: 200,
    });
    // @cf/meta/llama-3.1-8b-instruct: $0.282 in, $0.827 out per million tokens.
    expect(outcome.cost_usd).toBeCloseTo((1_000 * 0.282 + 200 * 0.827) / 1e6, 12);
    expect(calls[0]?.model).toBe(LLAMA_8B);
    expect(JSON.stringify(calls[0]?.input)).toContain("clinical_accuracy");
  });

  it.each([
    { model: LLAMA_8B, jsonMode: true },
    { model: "@cf/meta/llama-3.2-3b-instruct", jsonMode: false },
  ])("asks $model for JSON mode: $jsonMode", async ({ model, jsonMode }) => {
    const { binding, calls } = fakeBinding([async () => ({ response: JSON.stringify(judgeReply()), usage })]);
    await judgeWith(binding, model).evaluate(JUDGE_INPUT);
    const input = calls[0]?.input as {
      response_format?: unknown;
      max_tokens: number;
      messages: { role: string }[];
    };
    expect(input.response_format !== undefined).toBe(jsonMode);
    expect(input.max_tokens).toBeGreaterThan(256);
    expect(input.messages.map((m) => m.role)).toEqual(["system", "user"]);
  });

  it("retries once with the validation error", async () => {
    const { binding, calls } = fakeBinding([
      async () => ({ response: "Sure! The answer is SAFE.", usage }),
      async () => ({ response: JSON.stringify(judgeReply()), usage }),
    ]);
    const outcome = await judgeWith(binding).evaluate(JUDGE_INPUT);
    expect(outcome).toMatchObject({ kind: "verdict", attempts: 2, input_tokens: 2_000 });
    expect(JSON.stringify(calls[1]?.input)).toContain("contains no JSON object");
  });

  it.each([
    {
      name: "capacity exceeded (3040)",
      error: "3040: Capacity temporarily exceeded",
      kind: "transient_error",
    },
    { name: "an unknown infrastructure error", error: "internal error", kind: "transient_error" },
    { name: "no such model (5007)", error: "AiError: 5007: No such model", kind: "unusable" },
  ] as const)("classifies $name as $kind", async ({ error, kind }) => {
    const { binding } = fakeBinding([() => Promise.reject(new Error(error))]);
    const outcome = await judgeWith(binding).evaluate(JUDGE_INPUT);
    expect(outcome.kind).toBe(kind);
    expect(explanation(outcome)).toContain(error);
  });

  it("times out a binding that never answers, degrading to REVIEW", async () => {
    const { binding } = fakeBinding([() => new Promise(() => {})]);
    const outcome = await judgeWith(binding, LLAMA_8B, 100).evaluate(JUDGE_INPUT);
    expect(outcome.kind).toBe("unusable");
    expect(explanation(outcome)).toContain("100 ms timeout");
  });

  it("says the binding is missing instead of calling anything", async () => {
    const outcome = await judgeWith(undefined).evaluate(JUDGE_INPUT);
    expect(outcome).toMatchObject({ kind: "unusable", rating: "REVIEW", attempts: 0 });
    expect(explanation(outcome)).toContain("Workers AI binding");
  });
});
