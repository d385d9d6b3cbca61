import type { Database } from "../db/client";
import { markEnqueued, staleTraces } from "../db/traces";
import type { EvaluationMessage } from "../queue/messages";
import { enqueueEvaluations } from "../queue/producer";

export const STALE_QUEUED_MS = 5 * 60_000;
/** Longer than a queue consumer may run (15 minutes of wall time), so a live one is never raced. */
export const STUCK_EVALUATING_MS = 30 * 60_000;
const SWEEP_LIMIT = 1_000;

/**
 * Re-sends traces that have waited in `queued` for longer than STALE_QUEUED_MS (the queue send after
 * their write failed) or in `evaluating` for longer than STUCK_EVALUATING_MS (their consumer died).
 * A trace that is only slow in a backlog may be sent twice; the consumer stores one evaluation per
 * (trace, pipeline version) either way. Answers how many were re-sent.
 */
export async function resendStaleTraces(
  db: Database,
  queue: Queue<EvaluationMessage>,
  now = Date.now(),
): Promise<number> {
  const stale = await staleTraces(db, now - STALE_QUEUED_MS, now - STUCK_EVALUATING_MS, SWEEP_LIMIT);
  if (stale.length === 0) return 0;
  await enqueueEvaluations(
    queue,
    stale.map((row) => ({ trace_id: row.id, org_id: row.orgId })),
  );
  await markEnqueued(
    db,
    stale.map((row) => row.id),
    now,
  );
  return stale.length;
}
