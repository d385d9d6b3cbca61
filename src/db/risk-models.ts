import { desc, inArray } from "drizzle-orm";
import { loadRiskModel, type RiskModel } from "../eval/risk";
import { chunk, D1_MAX_PARAMS, type Database } from "./client";
import { riskModels } from "./schema";

/**
 * Per-organization Tier-2 weights, newest per domain, validated. A stored model that no longer
 * validates is an error for that organization's evaluations alone (never a silent fall-back to the
 * shipped weights, and never a failure of other organizations' traces in the same batch).
 */
export async function riskModelsFor(
  db: Database,
  orgIds: readonly string[],
): Promise<Map<string, ReadonlyMap<string, RiskModel> | Error>> {
  const byOrg = new Map<string, Map<string, RiskModel> | Error>();
  for (const ids of chunk(orgIds, D1_MAX_PARAMS)) {
    const rows = await db
      .select()
      .from(riskModels)
      .where(inArray(riskModels.orgId, ids))
      .orderBy(desc(riskModels.createdAt));
    for (const row of rows) {
      const models = byOrg.get(row.orgId) ?? new Map<string, RiskModel>();
      if (models instanceof Error || models.has(row.domain)) continue;
      const loaded = loadRiskModel(row.weights);
      byOrg.set(
        row.orgId,
        loaded.ok
          ? models.set(row.domain, loaded.model)
          : new Error(
              `stored risk model ${row.domain}@${row.version} is invalid: ${loaded.errors[0]?.message}`,
            ),
      );
    }
  }
  return byOrg;
}
