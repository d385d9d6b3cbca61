import { desc, inArray } from "drizzle-orm";
import { loadRiskModel, type RiskModel } from "../eval/risk";
import { chunk, D1_MAX_PARAMS, type Database } from "./client";
import { riskModels } from "./schema";

/**
 * Per-organization Tier-2 weights, newest per domain, validated. A stored model that no longer
 * validates is an error for that organization's evaluations, never a silent fall-back.
 */
export async function riskModelsFor(
  db: Database,
  orgIds: readonly string[],
): Promise<Map<string, ReadonlyMap<string, RiskModel>>> {
  const byOrg = new Map<string, Map<string, RiskModel>>();
  for (const ids of chunk(orgIds, D1_MAX_PARAMS)) {
    const rows = await db
      .select()
      .from(riskModels)
      .where(inArray(riskModels.orgId, ids))
      .orderBy(desc(riskModels.createdAt));
    for (const row of rows) {
      const models = byOrg.get(row.orgId) ?? new Map<string, RiskModel>();
      if (!models.has(row.domain)) {
        const loaded = loadRiskModel(row.weights);
        if (!loaded.ok) {
          throw new Error(
            `stored risk model ${row.domain}@${row.version} is invalid: ${loaded.errors[0]?.message}`,
          );
        }
        models.set(row.domain, loaded.model);
      }
      byOrg.set(row.orgId, models);
    }
  }
  return byOrg;
}
