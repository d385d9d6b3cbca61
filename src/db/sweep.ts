import { and, eq, inArray, lt, or } from "drizzle-orm";
import type { Database } from "./client";
import { traces } from "./schema";

/**
 * Claims up to `limit` traces whose last hand-off to the queue is old, oldest first, by recording a
 * fresh hand-off at `at`, and answers the ones claimed: still `queued` since before `queuedBefore`
 * (the send failed), or still `evaluating` since before `evaluatingBefore` (a consumer died
 * mid-batch and the message was lost with it; it goes back to `queued`). One statement, which
 * SQLite runs whole, so concurrent sweeps (every new isolate checks at its start) never claim the
 * same trace: the second finds it freshly handed off and leaves it.
 */
export async function claimStaleTraces(
  db: Database,
  queuedBefore: number,
  evaluatingBefore: number,
  limit: number,
  at: number,
): Promise<{ id: string; orgId: string }[]> {
  const stale = or(
    and(eq(traces.status, "queued"), lt(traces.enqueuedAt, queuedBefore)),
    and(eq(traces.status, "evaluating"), lt(traces.enqueuedAt, evaluatingBefore)),
  );
  const oldest = db
    .select({ id: traces.id })
    .from(traces)
    .where(stale)
    .orderBy(traces.enqueuedAt)
    .limit(limit);
  return db
    .update(traces)
    .set({ enqueuedAt: at, status: "queued" })
    .where(and(inArray(traces.id, oldest), stale))
    .returning({ id: traces.id, orgId: traces.orgId });
}
