import { Hono } from "hono";
import { z } from "zod";
import { listDeadLetters, redriveDeadLetters } from "../db/dead-letters";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { logger } from "../http/logging";
import { jsonBody, queryParams } from "../http/validate";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { enqueueEvaluations } from "../queue/producer";

/** Traces whose evaluation ran out of retries, for the organization's admin to inspect and re-drive. */
export const deadLettersApi = new Hono<AppEnv>();

deadLettersApi.use("*", requireApiKey("admin"));

const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

deadLettersApi.get("/", async (c) => {
  const { limit, cursor } = queryParams(c, listQuerySchema);
  const rows = await listDeadLetters(
    c.var.db,
    c.var.caller.orgId,
    limit + 1,
    cursor === undefined ? undefined : decodeCursor(cursor),
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return c.json({
    data: page.map((row) => ({
      trace_id: row.traceId,
      error: row.error,
      dead_lettered_at: new Date(row.deadLetteredAt).toISOString(),
    })),
    next_cursor:
      rows.length > limit && last ? encodeCursor({ t: last.deadLetteredAt, i: last.traceId }) : null,
  });
});

const redriveSchema = z.strictObject({
  trace_ids: z.array(z.string().min(1)).min(1).max(90).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

deadLettersApi.post("/redrive", async (c) => {
  const { trace_ids, limit } = await jsonBody(c, redriveSchema);
  const { db, caller } = c.var;
  const ids = await redriveDeadLetters(db, caller.orgId, caller.actor, trace_ids, limit);
  try {
    await enqueueEvaluations(
      c.env.EVAL_QUEUE,
      ids.map((trace_id) => ({ trace_id, org_id: caller.orgId })),
    );
  } catch (error) {
    // The traces are `queued` again already, so the scheduled sweep re-sends them.
    logger(c)({ level: "warn", msg: "redrive send failed; left for the sweep", error: String(error) });
    return c.json({ redriven: ids.length, trace_ids: ids, sent: false }, 202);
  }
  return c.json({ redriven: ids.length, trace_ids: ids, sent: true });
});
