/** Tier 2: the logistic-regression risk model. Pure: no I/O, no bindings; weights are data. */
export {
  DENSE_FEATURES,
  type DenseFeature,
  extractRiskFeatures,
  type FeatureVector,
  RISK_DOMAINS,
  RISK_FEATURE_SET,
} from "./features";
export {
  compileRiskModel,
  loadRiskModel,
  type RiskModel,
  type RiskModelError,
  type RiskModelLoadResult,
  scoreRisk,
  type Tier2Result,
} from "./model";
export { riskModelFor, shippedRiskModels } from "./shipped";
export { type RiskModelWeights, riskModelWeightsSchema } from "./weights-schema";
