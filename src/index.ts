import { app } from "./app";
import { createDb } from "./db/client";
import type { Env } from "./env";
import { writeLog } from "./http/logging";
import { handleQueueBatch } from "./queue/consumer";
import { resendStaleTraces } from "./services/sweep";

export { OrgHub } from "./live/org-hub";
export { RateLimiter } from "./live/rate-limiter";

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
  async scheduled(_controller, env) {
    const resent = await resendStaleTraces(createDb(env.DB), env.EVAL_QUEUE);
    if (resent > 0) writeLog({ level: "warn", msg: "re-sent stale queued traces", count: resent });
  },
} satisfies ExportedHandler<Env>;
