import { describe, expect, it } from "vitest";
import { cascadeFacts } from "../../src/eval/cascade-facts";
import type { PipelineResult } from "../../src/eval/pipeline";
import {
  BAND_HEX,
  estimatedSimilarity,
  LSH_BANDS,
  lshBuckets,
  MINHASH_SIZE,
  minhashSignature,
  signatureValues,
} from "../../src/eval/similarity";

const signature = (text: string) => {
  const value = minhashSignature(text);
  if (value === null) throw new Error(`no signature for ${text}`);
  return value;
};
const similarity = (a: string, b: string) =>
  estimatedSimilarity(signatureValues(signature(a)), signatureValues(signature(b)));

const ANSWER = "Take 1000 mg of acetaminophen every 4 hours, around the clock, until the pain is gone.";

describe("MinHash signatures", () => {
  it("are 32 hex values, cut into 8 band buckets", () => {
    const value = signature(ANSWER);
    expect(value).toMatch(new RegExp(`^[0-9a-f]{${MINHASH_SIZE * 8}}$`));
    const buckets = lshBuckets(value);
    expect(buckets).toHaveLength(LSH_BANDS);
    expect(buckets[3]).toBe(`3:${value.slice(3 * BAND_HEX, 4 * BAND_HEX)}`);
    expect(signatureValues(value)[1]).toBe(Number.parseInt(value.slice(8, 16), 16));
  });

  it("ignore case, punctuation and spacing, and exist only for text with letters or digits", () => {
    expect(similarity(ANSWER, ANSWER.toUpperCase().replaceAll(",", " ;  "))).toBe(1);
    expect(minhashSignature(" -- !! ")).toBeNull();
    expect(minhashSignature("ok")).not.toBeNull();
  });

  it.each([
    ["one number changed", ANSWER.replace("4 hours", "3 hours"), 0.7, 1],
    ["a few words added", `You can ${ANSWER.toLowerCase()}`, 0.7, 1],
    ["the same drug, another answer", "Acetaminophen is also called paracetamol outside the US.", 0, 0.3],
    ["an unrelated answer", "The capital of France is Paris.", 0, 0.2],
  ])("estimate %s", (_label, other, low, high) => {
    const estimate = similarity(ANSWER, other);
    expect(estimate).toBeGreaterThanOrEqual(low);
    expect(estimate).toBeLessThan(high);
  });
});

function result(overrides: Partial<PipelineResult>): PipelineResult {
  return {
    domain: "healthcare",
    pipelineVersion: "test",
    issues: [],
    decision: {
      verdict: "pass",
      severity: "none",
      riskScore: 0.1,
      confidence: 0.9,
      needsReview: false,
      reviewReason: null,
      reviewPriority: 0,
    },
    tiers: [
      { tier: 1, module: "rules", passed: true, risk_score: 0, latency_ms: 1, cost_usd: 0 },
      { tier: 2, module: "risk_model", passed: true, risk_score: 0.1, latency_ms: 1, cost_usd: 0 },
    ],
    escalations: [],
    judgeRan: false,
    judgeCostUsd: 0,
    latencyMs: 7,
    why: "passed without the judge: outside the domain's sensitive scope, and the risk model agrees",
    scope: [],
    ...overrides,
  };
}
const issue = (rule: string, severity: "low" | "high" | "critical") => ({
  tier: 1 as const,
  module: "rules",
  rule,
  severity,
  message: rule,
  evidence: null,
});
const judged = {
  judgeRan: true,
  tiers: [
    ...result({}).tiers,
    {
      tier: 3 as const,
      module: "llm_judge" as const,
      passed: true,
      risk_score: 0.1,
      latency_ms: 900,
      cost_usd: 0.002,
    },
  ],
};

describe("cascade facts", () => {
  it.each([
    ["the risk model settles a trace outside the sensitive scope", {}, 2],
    [
      "the rules settle a trace whose sensitive topics they verified",
      {
        scope: [
          {
            topic: "healthcare.medication",
            description: "",
            evidence: null,
            verified: true,
            reason: "verified",
          },
        ],
      },
      1,
    ],
    ["a critical rule settles it at tier 1", { issues: [issue("a.b", "critical")] }, 1],
    ["the judge settles it at tier 3", judged, 3],
    [
      "a human is tier 4, even after the judge",
      { ...judged, decision: { ...result({}).decision, needsReview: true } },
      4,
    ],
  ])("%s", (_label, overrides, tier) => {
    expect(cascadeFacts(result(overrides)).stopTier).toBe(tier);
  });

  it("records each tier's cost and each rule once at its worst severity", () => {
    const facts = cascadeFacts(
      result({
        ...judged,
        issues: [issue("z.rule", "low"), issue("a.rule", "low"), issue("z.rule", "high")],
      }),
    );
    expect(facts).toEqual({
      stopTier: 3,
      judgeRan: true,
      evaluationLatencyMs: 7,
      tierCosts: [0, 0, 0.002],
      issueRules: [
        { rule: "a.rule", severity: "low" },
        { rule: "z.rule", severity: "high" },
      ],
    });
  });
});
