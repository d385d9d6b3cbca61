import { app } from "./app";
import { createDb } from "./db/client";
import type { OrganizationRow } from "./db/schema";
import { type Env, rateLimitFailureMode } from "./env";
import { writeLog } from "./http/logging";
import { chargeSystemTraces } from "./live/limits";
import type { LimitDecision } from "./live/rate-limiter";
import { handleQueueBatch } from "./queue/consumer";
import { systemIngestDeps } from "./services/ingest";
import { dropOrphanSpans, makeOverdueTraces } from "./services/otlp";
import { resendStaleTraces } from "./services/sweep";

export { OrgHub } from "./live/org-hub";
export { RateLimiter } from "./live/rate-limiter";

/**
 * Charges the traces the sweep makes to their organization's monthly quota; when the limiter cannot
 * be reached they are made uncharged (failing open, logged) or left waiting for the next run
 * (failing closed), as RATE_LIMIT_FAILURE_MODE says.
 */
async function chargeSweepTraces(
  env: Env,
  organization: OrganizationRow,
  traces: number,
): Promise<LimitDecision | undefined> {
  try {
    return await chargeSystemTraces(env.RATE_LIMITER, organization, traces);
  } catch (error) {
    const mode = rateLimitFailureMode(env);
    writeLog({
      level: mode === "open" ? "warn" : "error",
      msg: `rate limiter unreachable while the sweep made OTel traces; failing ${mode}`,
      org_id: organization.id,
      error: String(error),
    });
    if (mode === "open") return undefined;
    throw error;
  }
}

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
  async scheduled(_controller, env, ctx) {
    const db = createDb(env.DB);
    // Independent chores: one failing must not keep the others from running.
    const [resent, dropped, overdue] = await Promise.allSettled([
      resendStaleTraces(db, env.EVAL_QUEUE),
      dropOrphanSpans(db),
      makeOverdueTraces(db, {
        depsFor: (organization) => systemIngestDeps(env, ctx, db, organization),
        chargeQuota: (organization, traces) => chargeSweepTraces(env, organization, traces),
      }),
    ]);
    if (resent.status === "rejected")
      writeLog({ level: "error", msg: "sweep failed", error: String(resent.reason) });
    else if (resent.value > 0) writeLog({ level: "warn", msg: "re-sent stale traces", count: resent.value });
    if (dropped.status === "rejected")
      writeLog({ level: "error", msg: "orphan span clean-up failed", error: String(dropped.reason) });
    else if (dropped.value > 0)
      writeLog({ level: "info", msg: "dropped spans whose root never arrived", count: dropped.value });
    if (overdue.status === "rejected")
      writeLog({ level: "error", msg: "making overdue OTel traces failed", error: String(overdue.reason) });
    else if (overdue.value > 0)
      writeLog({
        level: "info",
        msg: "made OTel traces that waited for their content",
        count: overdue.value,
      });
    for (const chore of [resent, dropped, overdue]) if (chore.status === "rejected") throw chore.reason;
  },
} satisfies ExportedHandler<Env>;
