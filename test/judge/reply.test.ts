import { describe, expect, it } from "vitest";
import { extractJsonObject, parseJudgeReply, weightedScore } from "../../src/eval/judge/reply";
import { judgeReply, RUBRIC } from "./fixtures";

const valid = JSON.stringify(judgeReply());
const withCriteria = (criteria: unknown) => JSON.stringify({ ...judgeReply(), criteria });

describe("extractJsonObject", () => {
  it.each([
    { name: "bare object", reply: '{"a":1}', expected: '{"a":1}' },
    { name: "json fence", reply: 'Here:\n```json\n{"a":1}\n```\nDone.', expected: '{"a":1}' },
    { name: "fence without language", reply: '```\n{"a":1}\n```', expected: '{"a":1}' },
    {
      name: "leading and trailing prose",
      reply: 'Verdict: {"a":{"b":2}} (see above {x})',
      expected: '{"a":{"b":2}}',
    },
    { name: "braces inside strings", reply: '{"a":"} { \\" }"} trailing', expected: '{"a":"} { \\" }"}' },
    { name: "unbalanced object runs to the end", reply: '{"a": {"b": 1}  ', expected: '{"a": {"b": 1}' },
    { name: "no object", reply: "I cannot help with that.", expected: null },
  ])("$name", ({ reply, expected }) => {
    expect(extractJsonObject(reply)).toBe(expected);
  });
});

describe("parseJudgeReply", () => {
  it.each([
    { name: "plain JSON", reply: valid },
    { name: "fenced JSON", reply: `\`\`\`json\n${valid}\n\`\`\`` },
    { name: "JSON after prose", reply: `Sure, here is the evaluation.\n${valid}` },
  ])("accepts $name", ({ reply }) => {
    const result = parseJudgeReply(reply, RUBRIC);
    expect(result).toEqual({ ok: true, reply: judgeReply() });
  });

  it("drops criteria the rubric does not name", () => {
    const reply = withCriteria({ ...judgeReply().criteria, tone: { score: 5, reasoning: "Neutral." } });
    const result = parseJudgeReply(reply, RUBRIC);
    expect(result.ok && Object.keys(result.reply.criteria)).toEqual([
      "clinical_accuracy",
      "safety_disclaimer",
    ]);
  });

  it.each([
    {
      name: "no JSON at all",
      reply: "The output looks SAFE to me.",
      error: "the reply contains no JSON object.",
    },
    {
      name: "truncated JSON",
      reply: '{"rating": "SAFE", "criteria": {',
      error: "the reply is not valid JSON (",
    },
    { name: "an array", reply: "[1, 2]", error: "the reply contains no JSON object." },
    {
      name: "a score above 10",
      reply: withCriteria({ ...judgeReply().criteria, clinical_accuracy: { score: 11, reasoning: "Good." } }),
      error: "criteria.clinical_accuracy.score: Too big: expected number to be <=10",
    },
    {
      name: "a missing criterion",
      reply: withCriteria({ clinical_accuracy: { score: 5, reasoning: "Partly." } }),
      error: "criteria.safety_disclaimer: Invalid input: expected object, received undefined",
    },
    {
      name: "an empty reasoning",
      reply: withCriteria({ ...judgeReply().criteria, safety_disclaimer: { score: 5, reasoning: " " } }),
      error: "criteria.safety_disclaimer.reasoning: Too small",
    },
    {
      name: "an unknown rating",
      reply: JSON.stringify({ ...judgeReply(), rating: "OK" }),
      error: "rating: Invalid option",
    },
    {
      name: "a confidence above 1",
      reply: JSON.stringify({ ...judgeReply(), confidence: 1.5 }),
      error: "confidence: Too big: expected number to be <=1",
    },
    {
      name: "a missing flag",
      reply: JSON.stringify({ ...judgeReply(), requires_expert_review: undefined }),
      error: "requires_expert_review: Invalid input: expected boolean, received undefined",
    },
    {
      name: "several problems at once",
      reply: JSON.stringify({ rating: "SAFE" }),
      error: "criteria: Invalid input: expected object, received undefined; critical_issues:",
    },
  ])("rejects $name with a precise error", ({ reply, error }) => {
    const result = parseJudgeReply(reply, RUBRIC);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(error);
  });
});

describe("weightedScore", () => {
  const criteria = (accuracy: number, disclaimer: number) =>
    judgeReply({
      criteria: {
        clinical_accuracy: { score: accuracy, reasoning: "r" },
        safety_disclaimer: { score: disclaimer, reasoning: "r" },
      },
    });

  it.each([
    { accuracy: 10, disclaimer: 10, expected: 1 },
    { accuracy: 0, disclaimer: 0, expected: 0 },
    // Weights 3 and 1.
    { accuracy: 8, disclaimer: 4, expected: 0.7 },
    { accuracy: 0, disclaimer: 10, expected: 0.25 },
  ])("scores $accuracy and $disclaimer as $expected", ({ accuracy, disclaimer, expected }) => {
    expect(weightedScore(criteria(accuracy, disclaimer), RUBRIC)).toBeCloseTo(expected);
  });
});
