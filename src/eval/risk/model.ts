import { formatPath } from "../../lib/field-path";
import type { TraceInput } from "../../schema/trace";
import type { Tier1Result } from "../types";
import { DENSE_FEATURES, extractRiskFeatures, type FeatureVector } from "./features";
import { type RiskModelWeights, riskModelWeightsSchema } from "./weights-schema";

/** Validated weights laid out for scoring: dense arrays, so a score is a handful of array reads. */
export interface RiskModel {
  domain: string;
  version: string;
  buckets: number;
  bias: number;
  /** Indexed by bucket. */
  textWeights: Float64Array;
  /** 1 where training gave the bucket a weight: text landing elsewhere is unknown to the model. */
  textSeen: Uint8Array;
  /** Indexed like `DENSE_FEATURES`. */
  denseWeights: Float64Array;
  /** The validated source, as it was loaded. */
  weights: RiskModelWeights;
}

export interface Tier2Result {
  /** Probability that the trace is unsafe, in [0, 1]. */
  risk_score: number;
  /**
   * |2·risk − 1| × coverage, in [0, 1]. The first factor is the distance from the decision boundary;
   * coverage is the share of the evidence (squared feature mass of the hashed text plus the Tier-1
   * and RL features; the constant domain one-hot excluded) that the model has weights for. A trace
   * written in words the model never saw gets low confidence however far its score is from 0.5.
   * It is a ranking of trust, not a calibrated probability.
   */
  confidence: number;
  model_version: string;
}

export interface RiskModelError {
  path: string;
  message: string;
}

export type RiskModelLoadResult = { ok: true; model: RiskModel } | { ok: false; errors: RiskModelError[] };

const DOMAIN_FEATURES_START = DENSE_FEATURES.indexOf("domain.healthcare");

/** Lays validated weights out for scoring. */
export function compileRiskModel(weights: RiskModelWeights): RiskModel {
  const textWeights = new Float64Array(weights.hash_buckets);
  const textSeen = new Uint8Array(weights.hash_buckets);
  for (const [bucket, value] of weights.text) {
    textWeights[bucket] = value;
    textSeen[bucket] = 1;
  }
  return {
    domain: weights.domain,
    version: weights.version,
    buckets: weights.hash_buckets,
    bias: weights.bias,
    textWeights,
    textSeen,
    denseWeights: Float64Array.from(DENSE_FEATURES, (name) => weights.dense[name] ?? 0),
    weights,
  };
}

/** Validates weights (an object, or JSON text as stored in D1) and lays them out for scoring. */
export function loadRiskModel(json: unknown): RiskModelLoadResult {
  let raw = json;
  if (typeof json === "string") {
    try {
      raw = JSON.parse(json);
    } catch (error) {
      return {
        ok: false,
        errors: [
          { path: "", message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` },
        ],
      };
    }
  }
  const parsed = riskModelWeightsSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    };
  }
  return { ok: true, model: compileRiskModel(parsed.data) };
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** The model's probability and confidence for extracted features. */
export function scoreFeatures(
  features: FeatureVector,
  model: RiskModel,
): { risk: number; confidence: number } {
  let logit = model.bias;
  let mass = 0;
  let seenMass = 0;
  const { textIndices, textValues } = features;
  for (let i = 0; i < textIndices.length; i += 1) {
    const bucket = textIndices[i] ?? 0;
    const value = textValues[i] ?? 0;
    logit += (model.textWeights[bucket] ?? 0) * value;
    mass += value * value;
    if (model.textSeen[bucket] === 1) seenMass += value * value;
  }
  features.dense.forEach((value, i) => {
    logit += (model.denseWeights[i] ?? 0) * value;
    if (i < DOMAIN_FEATURES_START) {
      mass += value * value;
      seenMass += value * value;
    }
  });
  const risk = sigmoid(logit);
  const coverage = mass === 0 ? 1 : seenMass / mass;
  return { risk, confidence: Math.abs(2 * risk - 1) * coverage };
}

/** Tier 2: the risk of one trace given its Tier-1 result, in microseconds for ordinary traces. */
export function scoreRisk(trace: TraceInput, tier1: Tier1Result, model: RiskModel): Tier2Result {
  const { risk, confidence } = scoreFeatures(extractRiskFeatures(trace, tier1, model.buckets), model);
  return { risk_score: risk, confidence, model_version: model.version };
}
