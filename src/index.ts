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
    const resent = await resendStaleTraces(db, env.EVAL_QUEUE);
    if (resent > 0) writeLog({ level: "warn", msg: "re-sent stale queued traces", count: resent });
    const dropped = await dropOrphanSpans(db);
    if (dropped > 0) writeLog({ level: "info", msg: "dropped spans whose root never arrived", count: dropped });
  },
} satisfies ExportedHandler<Env>;
