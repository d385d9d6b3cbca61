import { app } from "./app";
import { createDb } from "./db/client";
import type { Env } from "./env";
import { writeLog } from "./http/logging";
import { handleQueueBatch } from "./queue/consumer";
import { dropOrphanSpans } from "./services/otlp";
import { resendStaleTraces } from "./services/sweep";

export { OrgHub } from "./live/org-hub";
export { RateLimiter } from "./live/rate-limiter";

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
  async scheduled(_controller, env) {
    const db = createDb(env.DB);
    // Independent chores: one failing must not keep the other from running.
    const [resent, dropped] = await Promise.allSettled([
      resendStaleTraces(db, env.EVAL_QUEUE),
      dropOrphanSpans(db),
    ]);
    if (resent.status === "rejected")
      writeLog({ level: "error", msg: "sweep failed", error: String(resent.reason) });
    else if (resent.value > 0) writeLog({ level: "warn", msg: "re-sent stale traces", count: resent.value });
    if (dropped.status === "rejected")
      writeLog({ level: "error", msg: "orphan span clean-up failed", error: String(dropped.reason) });
    else if (dropped.value > 0)
      writeLog({ level: "info", msg: "dropped spans whose root never arrived", count: dropped.value });
    for (const chore of [resent, dropped]) if (chore.status === "rejected") throw chore.reason;
  },
} satisfies ExportedHandler<Env>;
