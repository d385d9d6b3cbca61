import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Cursor } from "../lib/cursor";
import { withAuditChain } from "./audit";
import { chunk, D1_MAX_PARAMS, type Database, runBatch } from "./client";
import { type DeadLetterRow, deadLetters, traces } from "./schema";

const EXHAUSTED = "evaluation retries exhausted";

/**
 * Traces whose messages ran out of retries: marked failed (keeping the last error seen) and listed
 * as dead letters, in one batch. A trace evaluated meanwhile is left alone.
 */
export async function deadLetterTraces(
  db: Database,
  traceIds: readonly string[],
  now = Date.now(),
): Promise<void> {
  const statements = chunk(traceIds, D1_MAX_PARAMS - 4).flatMap((ids) => [
    db
      .insert(deadLetters)
      .select(
        db
          .select({
            orgId: traces.orgId,
            traceId: traces.id,
            error: sql<string>`coalesce(${traces.error}, ${EXHAUSTED})`.as("error"),
            deadLetteredAt: sql<number>`${now}`.as("dead_lettered_at"),
          })
          .from(traces)
          .where(and(inArray(traces.id, ids), sql`${traces.status} != 'evaluated'`)),
      )
      .onConflictDoUpdate({
        target: [deadLetters.orgId, deadLetters.traceId],
        set: { error: sql`excluded.error`, deadLetteredAt: sql`excluded.dead_lettered_at` },
      }),
    db
      .update(traces)
      .set({ status: "failed", error: sql`coalesce(${traces.error}, ${EXHAUSTED})`, updatedAt: now })
      .where(and(inArray(traces.id, ids), sql`${traces.status} != 'evaluated'`)),
  ]);
  await runBatch(db, statements);
}

export async function listDeadLetters(
  db: Database,
  orgId: string,
  limit: number,
  after?: Cursor,
): Promise<DeadLetterRow[]> {
  return db
    .select()
    .from(deadLetters)
    .where(
      and(
        eq(deadLetters.orgId, orgId),
        after === undefined
          ? undefined
          : or(
              lt(deadLetters.deadLetteredAt, after.t),
              and(eq(deadLetters.deadLetteredAt, after.t), lt(deadLetters.traceId, after.i)),
            ),
      ),
    )
    .orderBy(desc(deadLetters.deadLetteredAt), desc(deadLetters.traceId))
    .limit(limit);
}

/**
 * Takes dead letters of this organization (all, or the given traces) back to `queued` in one batch
 * with its audit event, and answers the trace ids the caller must now send to the queue.
 */
export async function redriveDeadLetters(
  db: Database,
  orgId: string,
  actor: string,
  traceIds: readonly string[] | undefined,
  limit: number,
): Promise<string[]> {
  return withAuditChain(db, orgId, async (chain) => {
    const rows = await db
      .select({ traceId: deadLetters.traceId })
      .from(deadLetters)
      .where(
        and(eq(deadLetters.orgId, orgId), traceIds ? inArray(deadLetters.traceId, [...traceIds]) : undefined),
      )
      .orderBy(deadLetters.deadLetteredAt)
      .limit(limit);
    const ids = rows.map((row) => row.traceId);
    if (ids.length === 0) return ids;
    const now = Date.now();
    const audit = await chain.statements(
      orgId,
      [
        {
          actor,
          action: "dead_letters.redriven",
          target: `${ids.length} traces`,
          payload: { trace_ids: ids },
        },
      ],
      now,
    );
    await runBatch(db, [
      // The update binds five values besides the ids (four set, one org).
      ...chunk(ids, D1_MAX_PARAMS - 5).flatMap((part) => [
        db.delete(deadLetters).where(and(eq(deadLetters.orgId, orgId), inArray(deadLetters.traceId, part))),
        db
          .update(traces)
          .set({ status: "queued", error: null, enqueuedAt: now, updatedAt: now })
          .where(and(eq(traces.orgId, orgId), inArray(traces.id, part))),
      ]),
      ...audit,
    ]);
    return ids;
  });
}
