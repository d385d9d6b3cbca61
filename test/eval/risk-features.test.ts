import { describe, expect, it } from "vitest";
import {
  DENSE_FEATURES,
  type DenseFeature,
  extractRiskFeatures,
  type FeatureVector,
} from "../../src/eval/risk/index";
import type { EvalIssue, Severity, Tier1Result } from "../../src/eval/types";
import type { TraceInput } from "../../src/schema/trace";

const BUCKETS = 1024;

function tier1(domain: string, severities: readonly Severity[] = []): Tier1Result {
  const issues: EvalIssue[] = severities.map((severity) => ({
    tier: 1,
    module: "test",
    rule: "test.rule",
    severity,
    message: "test issue",
    evidence: null,
  }));
  return { domain, issues, modules: [], checks: [], scope: [] };
}

const trace = (fields: Partial<TraceInput>): TraceInput => ({
  input: "question",
  output: "answer",
  ...fields,
});

function dense(features: FeatureVector, name: DenseFeature): number {
  return features.dense[DENSE_FEATURES.indexOf(name)] ?? Number.NaN;
}

/** Squared L2 norm of the text entries that `keep` selects. */
function squaredNorm(features: FeatureVector, keep: (i: number) => boolean = () => true): number {
  return features.textValues.reduce((sum, v, i) => (keep(i) ? sum + v * v : sum), 0);
}

describe("hashed text features", () => {
  it("are deterministic", () => {
    const t = trace({ input: "How much ibuprofen?", output: "Take 400 mg every 8 hours with food." });
    expect(extractRiskFeatures(t, tier1("healthcare"), BUCKETS)).toEqual(
      extractRiskFeatures(t, tier1("healthcare"), BUCKETS),
    );
  });

  it("normalise the output and the input separately to unit length", () => {
    const features = extractRiskFeatures(
      trace({ input: "short question", output: "a much longer answer with many different words in it" }),
      tier1("generic"),
      BUCKETS,
    );
    expect(squaredNorm(features)).toBeCloseTo(2, 10);
  });

  it("keep output and input words apart (a word hashes differently per field)", () => {
    const inOutput = extractRiskFeatures(
      trace({ input: "zzz", output: "warfarin" }),
      tier1("generic"),
      BUCKETS,
    );
    const inInput = extractRiskFeatures(
      trace({ input: "warfarin", output: "zzz" }),
      tier1("generic"),
      BUCKETS,
    );
    expect(inOutput.textIndices).not.toEqual(inInput.textIndices);
  });

  it.each([
    { name: "case", a: "Call 911 NOW", b: "call 911 now" },
    { name: "curly apostrophes", a: "don’t stop", b: "don't stop" },
    { name: "punctuation and spacing", a: "stop -- now!!", b: "stop now" },
  ])("ignore $name", ({ a, b }) => {
    const features = (output: string) => extractRiskFeatures(trace({ output }), tier1("generic"), BUCKETS);
    expect(features(a)).toEqual(features(b));
  });

  it("count a repeated word sublinearly: five repeats weigh 1 + ln 5, not 5", () => {
    const features = extractRiskFeatures(
      trace({ input: "q", output: "buy buy buy buy buy" }),
      tier1("generic"),
      BUCKETS,
    );
    // Output terms: the unigram "buy" (tf 5) and the bigram "buy buy" (tf 4), before normalisation.
    const raw = [1 + Math.log(5), 1 + Math.log(4)];
    const norm = Math.hypot(...raw);
    const byValue = (a: number, b: number) => a - b;
    const outputMagnitudes = features.textValues.slice(0, 2).map(Math.abs).sort(byValue);
    expect(outputMagnitudes).toEqual(raw.map((v) => expect.closeTo(v / norm, 10)).reverse());
  });

  it("read a bounded amount of a huge output", () => {
    const huge = "alpha beta gamma delta ".repeat(20_000);
    const small = "alpha beta gamma delta ".repeat(2_000);
    const count = (output: string) =>
      extractRiskFeatures(trace({ output }), tier1("generic"), BUCKETS).textIndices.length;
    expect(count(huge)).toBe(count(small));
  });
});

describe("dense features", () => {
  it("count Tier-1 findings per severity as ln(1 + count)", () => {
    const features = extractRiskFeatures(
      trace({}),
      tier1("healthcare", ["critical", "critical", "low"]),
      BUCKETS,
    );
    expect(dense(features, "tier1.critical")).toBeCloseTo(Math.log(3), 12);
    expect(dense(features, "tier1.low")).toBeCloseTo(Math.log(2), 12);
    expect(dense(features, "tier1.high")).toBe(0);
  });

  it.each([
    { domain: "trading", feature: "domain.trading" as const, set: 1 },
    { domain: "insurance", feature: "domain.generic" as const, set: 0 },
  ])("one-hot the routed domain ($domain)", ({ domain, feature, set }) => {
    const features = extractRiskFeatures(trace({}), tier1(domain), BUCKETS);
    expect(dense(features, feature)).toBe(set);
    const domainSum = DENSE_FEATURES.filter((n) => n.startsWith("domain.")).reduce(
      (s, n) => s + dense(features, n),
      0,
    );
    expect(domainSum).toBe(set);
  });

  const steps = (rewards: readonly number[], action: (i: number) => unknown, state: (i: number) => unknown) =>
    rewards.map((reward, i) => ({ reward, action: action(i), state: state(i) }));

  it.each([
    {
      name: "constant reward, one action, two states",
      episode: steps(
        Array(20).fill(1),
        () => "spin",
        (i) => ({ x: i % 2 }),
      ),
      expected: { "rl.reward_cv": 0, "rl.distinct_actions": 1 / 20, "rl.distinct_states": 2 / 20 },
    },
    {
      name: "varied reward, distinct actions and states",
      episode: steps(
        [0, 2, 0, 2],
        (i) => ({ move: i }),
        (i) => `cell-${i}`,
      ),
      // mean 1, std 1: cv 1 squashes to 1 / (1 + 1).
      expected: { "rl.reward_cv": 0.5, "rl.distinct_actions": 1, "rl.distinct_states": 1 },
    },
    {
      name: "all-zero reward, no states",
      episode: [{ reward: 0 }, { reward: 0 }],
      expected: { "rl.reward_cv": 0, "rl.mean_reward": 0, "rl.distinct_states": 1 },
    },
  ])("summarise an RL episode: $name", ({ episode, expected }) => {
    const features = extractRiskFeatures(
      trace({ rl_episode: { steps: episode } }),
      tier1("generic"),
      BUCKETS,
    );
    expect(dense(features, "rl.present")).toBe(1);
    for (const [name, value] of Object.entries(expected))
      expect(dense(features, name as DenseFeature)).toBeCloseTo(value, 12);
  });

  it("squash rewards into [-1, 1] on a log scale", () => {
    const features = extractRiskFeatures(
      trace({ rl_episode: { steps: [{ reward: 5 }, { reward: -1e9 }] } }),
      tier1("generic"),
      BUCKETS,
    );
    expect(dense(features, "rl.min_reward")).toBe(-1);
    expect(dense(features, "rl.mean_reward")).toBe(-1);
  });

  it("leave the RL features at zero without an episode", () => {
    const features = extractRiskFeatures(trace({}), tier1("generic"), BUCKETS);
    for (const name of DENSE_FEATURES.filter((n) => n.startsWith("rl.")))
      expect(dense(features, name)).toBe(0);
  });
});
