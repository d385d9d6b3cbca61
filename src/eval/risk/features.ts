import type { RlEpisode, TraceInput } from "../../schema/trace";
import type { Severity, Tier1Result } from "../types";

/**
 * Names the featurisation below. Weights record it, and weights trained for another featurisation are
 * rejected on load: the same numbers would mean different things.
 */
export const RISK_FEATURE_SET = "aegis-risk-features/2";

/** The domains with shipped weights; a trace's domain is also a one-hot feature. */
export const RISK_DOMAINS = ["healthcare", "trading", "legal", "robotics", "generic"] as const;
export type RiskDomain = (typeof RISK_DOMAINS)[number];

/** In the order of the tier1.* features. */
const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

/** Named (non-hashed) features, in the order of `FeatureVector.dense`. */
export const DENSE_FEATURES = [
  "tier1.low",
  "tier1.medium",
  "tier1.high",
  "tier1.critical",
  "rl.present",
  "rl.mean_reward",
  "rl.reward_cv",
  "rl.distinct_actions",
  "rl.distinct_states",
  "rl.min_reward",
  "scope.topics",
  "scope.unverified",
  "checks.unsure",
  "domain.healthcare",
  "domain.trading",
  "domain.legal",
  "domain.robotics",
  "domain.generic",
] as const;
export type DenseFeature = (typeof DENSE_FEATURES)[number];

/** Dense features that only a Tier-1 finding sets: a finding must never lower the risk. */
export const TIER1_FEATURES: readonly DenseFeature[] = DENSE_FEATURES.filter((name) =>
  name.startsWith("tier1."),
);

const DENSE_INDEX: ReadonlyMap<string, number> = new Map(DENSE_FEATURES.map((name, i) => [name, i]));
const TIER1_OFFSET = DENSE_INDEX.get("tier1.low") ?? 0;
const RL_OFFSET = DENSE_INDEX.get("rl.present") ?? 0;
const SCOPE_OFFSET = DENSE_INDEX.get("scope.topics") ?? 0;

/**
 * Bounds on the work per text field: a huge output is read as its first `HEAD_CHARS` and last
 * `TAIL_CHARS` characters (the end of an answer is where instructions and disclaimers tend to sit),
 * and at most `MAX_TOKENS_PER_FIELD` tokens of those.
 */
const HEAD_CHARS = 16_384;
const TAIL_CHARS = 4_096;
const MAX_TOKENS_PER_FIELD = 4_096;
/** Distinct actions and states are counted over this many steps: keying a step serialises it. */
const MAX_DISTINCT_STEPS = 1_024;
/** Rewards are squashed on a log scale that reaches ±1 at this magnitude. */
const REWARD_SCALE = 10_000;

/** Sparse hashed text plus the dense named features. */
export interface FeatureVector {
  /** Bucket indices; a bucket may appear twice (output and input), which a dot product sums. */
  textIndices: number[];
  textValues: number[];
  /** Indexed like `DENSE_FEATURES`. */
  dense: Float64Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 0x20;

function foldString(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * FNV-1a states after the channel prefix: a unigram's hash is FNV-1a (over UTF-16 code units) of
 * "o:word" or "i:word", a bigram's of "o:first second", so output and input words never share a feature.
 */
const OUTPUT_SEED = foldString(FNV_OFFSET, "o:");
const INPUT_SEED = foldString(FNV_OFFSET, "i:");

/** murmur3's finaliser (as a signed 32-bit integer): FNV's low bits are weak, and the bucket is taken from them. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The code unit of a word character, lower-cased, or -1. Apostrophes join words ("don't"). */
function wordCode(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return code;
  if (code >= 0x41 && code <= 0x5a) return code + 0x20;
  if (code >= 0x30 && code <= 0x39) return code;
  if (code === 0x27 || code === 0x2019) return 0x27;
  // Letters outside ASCII count as word characters, except the punctuation and symbol blocks.
  if (code >= 0xc0 && !(code >= 0x2000 && code <= 0x2bff) && !(code >= 0x3000 && code <= 0x303f)) return code;
  return -1;
}

/**
 * Term frequencies of one field, in an open-addressing table keyed by the mixed term hash. It lives
 * as long as the module and is reused by every call (scoring is synchronous, so calls never
 * interleave): a generation stamp empties it in O(1). A field has at most 2 × MAX_TOKENS_PER_FIELD
 * terms (unigrams and bigrams), so the table is never more than half full.
 */
class TermCounts {
  private static readonly SIZE = 4 * MAX_TOKENS_PER_FIELD;
  private readonly keys = new Int32Array(TermCounts.SIZE);
  private readonly counts = new Int32Array(TermCounts.SIZE);
  private readonly stamps = new Uint32Array(TermCounts.SIZE);
  /** Occupied slots, in insertion order. */
  readonly slots = new Int32Array(2 * MAX_TOKENS_PER_FIELD);
  size = 0;
  private generation = 0;

  reset(): void {
    this.size = 0;
    this.generation += 1;
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  add(mixedHash: number): void {
    const mask = TermCounts.SIZE - 1;
    let slot = (mixedHash ^ (mixedHash >>> 15)) & mask;
    while (this.stamps[slot] === this.generation) {
      if (this.keys[slot] === mixedHash) {
        this.counts[slot] = (this.counts[slot] ?? 0) + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.stamps[slot] = this.generation;
    this.keys[slot] = mixedHash;
    this.counts[slot] = 1;
    this.slots[this.size] = slot;
    this.size += 1;
  }

  key(slot: number): number {
    return this.keys[slot] ?? 0;
  }

  count(slot: number): number {
    return this.counts[slot] ?? 0;
  }
}

const terms = new TermCounts();

/** Per-bucket sums of one field, one zeroed array per hash-space size, likewise reused. */
const bucketSums = new Map<number, Float64Array>();
const touchedBuckets = new Int32Array(2 * MAX_TOKENS_PER_FIELD);

/** Counts the terms of text[from, to); returns how many of `tokenBudget` tokens are left. */
function countWindow(text: string, from: number, to: number, seed: number, tokenBudget: number): number {
  let budget = tokenBudget;
  let inWord = false;
  let unigram = seed;
  let bigram = 0;
  let hasPrevious = false;
  let previous = 0;
  // One step past the end acts as a separator, so the last word is counted like the others.
  for (let i = from; i <= to && budget > 0; i += 1) {
    const code = i === to ? -1 : wordCode(text.charCodeAt(i));
    if (code === -1 || (code === 0x27 && !inWord)) {
      if (!inWord) continue;
      terms.add(mix(unigram));
      if (hasPrevious) terms.add(mix(bigram));
      previous = unigram;
      hasPrevious = true;
      inWord = false;
      budget -= 1;
      continue;
    }
    if (!inWord) {
      inWord = true;
      unigram = seed;
      // Continuing the previous word's state with a space hashes "previous current" without building it.
      bigram = Math.imul(previous ^ SPACE, FNV_PRIME);
    }
    unigram = Math.imul(unigram ^ code, FNV_PRIME);
    bigram = Math.imul(bigram ^ code, FNV_PRIME);
  }
  return budget;
}

/**
 * Adds one field's hashed unigrams and bigrams: signed feature hashing (the sign is the mixed hash's
 * top bit, so collisions cancel out on average), sublinear term frequency 1 + ln(tf), and L2
 * normalisation per field so a long input does not drown the output.
 */
function addTextField(text: string, seed: number, buckets: number, out: FeatureVector): void {
  terms.reset();
  if (text.length <= HEAD_CHARS + TAIL_CHARS) {
    countWindow(text, 0, text.length, seed, MAX_TOKENS_PER_FIELD);
  } else {
    const left = countWindow(text, 0, HEAD_CHARS, seed, MAX_TOKENS_PER_FIELD - MAX_TOKENS_PER_FIELD / 4);
    countWindow(text, text.length - TAIL_CHARS, text.length, seed, left + MAX_TOKENS_PER_FIELD / 4);
  }
  let sums = bucketSums.get(buckets);
  if (sums === undefined) {
    sums = new Float64Array(buckets);
    bucketSums.set(buckets, sums);
  }
  const mask = buckets - 1;
  for (let i = 0; i < terms.size; i += 1) {
    const slot = terms.slots[i] ?? 0;
    const mixed = terms.key(slot);
    const bucket = mixed & mask;
    const weight = 1 + Math.log(terms.count(slot));
    sums[bucket] = (sums[bucket] ?? 0) + (mixed < 0 ? -weight : weight);
    touchedBuckets[i] = bucket;
  }
  // Emit each non-zero bucket once (zeroing it as it goes, which also readies the array for the next call).
  const first = out.textValues.length;
  let squares = 0;
  for (let i = 0; i < terms.size; i += 1) {
    const bucket = touchedBuckets[i] ?? 0;
    const value = sums[bucket] ?? 0;
    if (value === 0) continue;
    sums[bucket] = 0;
    out.textIndices.push(bucket);
    out.textValues.push(value);
    squares += value * value;
  }
  if (squares === 0) return;
  const scale = 1 / Math.sqrt(squares);
  for (let i = first; i < out.textValues.length; i += 1) out.textValues[i] = (out.textValues[i] ?? 0) * scale;
}

/** Stable identity of an action or state for counting distinct ones. */
function stepKey(value: unknown): string {
  if (typeof value === "string") return `"${value}`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "undefined";
}

/** sign(x) · ln(1 + |x|), scaled so |x| = REWARD_SCALE maps to 1, clamped to [-1, 1]. */
function squashReward(reward: number): number {
  const scaled = (Math.sign(reward) * Math.log1p(Math.abs(reward))) / Math.log1p(REWARD_SCALE);
  return Math.max(-1, Math.min(1, scaled));
}

/**
 * RL-episode statistics: mean and minimum reward (squashed), the coefficient of variation squashed
 * to [0, 1) as cv / (1 + cv) (0 for a constant reward, including all zeros), and the distinct-actions
 * and distinct-states ratios (states counted over steps that carry one; 1 when none does).
 */
function addRlEpisode(episode: RlEpisode, dense: Float64Array): void {
  const steps = episode.steps;
  if (steps.length === 0) return;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const step of steps) {
    sum += step.reward;
    if (step.reward < min) min = step.reward;
  }
  const mean = sum / steps.length;
  let squaredDeviations = 0;
  for (const step of steps) squaredDeviations += (step.reward - mean) ** 2;
  const std = Math.sqrt(squaredDeviations / steps.length);
  const spread = Math.abs(mean) + std;

  const sampled = Math.min(steps.length, MAX_DISTINCT_STEPS);
  const actions = new Set<string>();
  const states = new Set<string>();
  let stepsWithState = 0;
  for (let i = 0; i < sampled; i += 1) {
    const step = steps[i];
    if (step === undefined) continue;
    actions.add(stepKey(step.action));
    if (step.state !== undefined) {
      states.add(stepKey(step.state));
      stepsWithState += 1;
    }
  }

  dense[RL_OFFSET] = 1;
  dense[RL_OFFSET + 1] = squashReward(mean);
  dense[RL_OFFSET + 2] = spread === 0 ? 0 : std / spread;
  dense[RL_OFFSET + 3] = actions.size / sampled;
  dense[RL_OFFSET + 4] = stepsWithState === 0 ? 1 : states.size / stepsWithState;
  dense[RL_OFFSET + 5] = squashReward(min);
}

/**
 * The model's input for one trace. `buckets` (a power of two) is the model's hash space. Tier-1
 * findings enter as ln(1 + count) per severity, and so do the scope topics the trace touches, those
 * left unverified and the checks that were unsure; the domain (Tier 1's routed one) as a one-hot, none
 * for a custom domain.
 */
export function extractRiskFeatures(trace: TraceInput, tier1: Tier1Result, buckets: number): FeatureVector {
  const out: FeatureVector = {
    textIndices: [],
    textValues: [],
    dense: new Float64Array(DENSE_FEATURES.length),
  };
  addTextField(trace.output, OUTPUT_SEED, buckets, out);
  addTextField(trace.input, INPUT_SEED, buckets, out);

  const counts = [0, 0, 0, 0];
  for (const issue of tier1.issues) {
    const rank = SEVERITIES.indexOf(issue.severity);
    counts[rank] = (counts[rank] ?? 0) + 1;
  }
  counts.forEach((count, rank) => {
    out.dense[TIER1_OFFSET + rank] = Math.log1p(count);
  });

  if (trace.rl_episode !== undefined) addRlEpisode(trace.rl_episode, out.dense);

  // What Tier 1 could not settle: sensitive topics touched, those no rule verified, checks unsure.
  out.dense[SCOPE_OFFSET] = Math.log1p(tier1.scope.length);
  out.dense[SCOPE_OFFSET + 1] = Math.log1p(tier1.scope.filter((finding) => !finding.verified).length);
  out.dense[SCOPE_OFFSET + 2] = Math.log1p(tier1.checks.filter((check) => check.outcome === "unsure").length);

  const domainIndex = DENSE_INDEX.get(`domain.${tier1.domain}`);
  if (domainIndex !== undefined) out.dense[domainIndex] = 1;
  return out;
}
