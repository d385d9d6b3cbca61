import { app } from "./app";
import { createDb } from "./db/client";
import type { Env } from "./env";
import { writeLog } from "./http/logging";
import { handleQueueBatch } from "./queue/consumer";
import { systemIngestDeps } from "./services/ingest";
import { dropOrphanSpans, makeOverdueTraces } from "./services/otlp";
import { resendStaleTraces } from "./services/sweep";

export { OrgHub } from "./live/org-hub";
export { RateLimiter } from "./live/rate-limiter";

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
  async scheduled(_controller, env, ctx) {
    const db = createDb(env.DB);
    // Independent chores: one failing must not keep the others from running.
    const [resent, dropped, overdue] = await Promise.allSettled([
      resendStaleTraces(db, env.EVAL_QUEUE),
      dropOrphanSpans(db),
      makeOverdueTraces(db, (organization) => systemIngestDeps(env, ctx, db, organization)),
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
