import { GENERIC_DOMAIN } from "../routing";
import { loadRiskModel, type RiskModel } from "./model";
import genericWeights from "./weights/generic.json";
import healthcareWeights from "./weights/healthcare.json";
import legalWeights from "./weights/legal.json";
import roboticsWeights from "./weights/robotics.json";
import tradingWeights from "./weights/trading.json";

/** Shipped weights are validated like any other; an invalid file is a build defect, so it throws at load. */
function loadShipped(sources: readonly unknown[]): ReadonlyMap<string, RiskModel> {
  const models = new Map<string, RiskModel>();
  for (const source of sources) {
    const loaded = loadRiskModel(source);
    if (!loaded.ok) {
      throw new Error(
        `shipped risk weights are invalid: ${loaded.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      );
    }
    models.set(loaded.model.domain, loaded.model);
  }
  return models;
}

const SHIPPED_SOURCES: readonly unknown[] = [
  healthcareWeights,
  tradingWeights,
  legalWeights,
  roboticsWeights,
  genericWeights,
];

let shipped: ReadonlyMap<string, RiskModel> | undefined;

/**
 * The per-domain models trained by `npm run train:tier2`, by domain. Validated on first use rather
 * than at module load, so a Worker that only ingests never pays for it on a cold start.
 */
export function shippedRiskModels(): ReadonlyMap<string, RiskModel> {
  shipped ??= loadShipped(SHIPPED_SOURCES);
  return shipped;
}

/**
 * The model for a domain: the organization's own (from `overrides`, keyed by domain) first, then the
 * shipped one; a custom domain with neither gets the generic model (the organization's generic
 * override if it has one).
 */
export function riskModelFor(domain: string, overrides?: ReadonlyMap<string, RiskModel>): RiskModel {
  const model =
    overrides?.get(domain) ??
    shippedRiskModels().get(domain) ??
    overrides?.get(GENERIC_DOMAIN) ??
    shippedRiskModels().get(GENERIC_DOMAIN);
  if (model === undefined) throw new Error("no generic risk model is shipped");
  return model;
}
