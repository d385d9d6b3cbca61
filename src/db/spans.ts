import { and, asc, eq, getTableColumns, gt, inArray, lt, notExists, or, sql } from "drizzle-orm";
import { chunk, D1_MAX_PARAMS, type Database, type Statement } from "./client";
import {
  type NewSpanLogRow,
  type NewSpanRow,
  type SpanLogRow,
  type SpanRow,
  spanLogs,
  spans,
  traces,
  tracesAwaitingContent,
} from "./schema";

/**
 * Spans and log records go in as JSON arrays that json_each unpacks, up to this many bytes per
 * statement: a column per bound parameter would allow six spans per statement, and an exporter's
 * batch holds hundreds.
 */
export const SPAN_INSERT_BYTES = 1_000_000;

const utf8 = new TextEncoder();

/**
 * Inserts that keep rows already stored (an exporter's retry), within D1's parameter and size limits.
 * A JSON-mode column takes its value as JSON text (`->`), since json_extract would unquote a string
 * (a log record's body may be one) and turn `true` into 1; other columns take the SQL value.
 */
function insertJsonRows(db: Database, table: typeof spans | typeof spanLogs, rows: readonly object[]) {
  const fields = sql.join(
    Object.entries(getTableColumns(table)).map(([key, column]) =>
      sql.raw(column.dataType === "json" ? `value -> '$.${key}'` : `json_extract(value, '$.${key}')`),
    ),
    sql`, `,
  );
  const groups: string[][] = [];
  let size = SPAN_INSERT_BYTES;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const bytes = utf8.encode(json).length;
    if (size + bytes > SPAN_INSERT_BYTES) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)?.push(json);
    size += bytes + 1;
  }
  return groups.map((group) =>
    db
      .insert(table)
      .select(sql`SELECT ${fields} FROM json_each(${`[${group.join(",")}]`}) WHERE true`)
      .onConflictDoNothing(),
  );
}

export function insertSpanStatements(db: Database, rows: readonly NewSpanRow[]): Statement[] {
  return insertJsonRows(db, spans, rows);
}

export function insertSpanLogStatements(db: Database, rows: readonly NewSpanLogRow[]): Statement[] {
  return insertJsonRows(db, spanLogs, rows);
}

/** Rows of these OTel traces, read within D1's parameter limit, by trace id in the order read. */
async function byTrace<R extends { traceId: string }>(
  traceIds: readonly string[],
  read: (ids: string[]) => Promise<R[]>,
): Promise<Map<string, R[]>> {
  const found = new Map<string, R[]>();
  for (const ids of chunk(traceIds, D1_MAX_PARAMS - 1)) {
    for (const row of await read(ids)) found.set(row.traceId, [...(found.get(row.traceId) ?? []), row]);
  }
  return found;
}

/** The stored GenAI log records of these OTel traces, by trace id, in time order. */
export function logsOfTraces(
  db: Database,
  orgId: string,
  traceIds: readonly string[],
): Promise<Map<string, SpanLogRow[]>> {
  return byTrace(traceIds, (ids) =>
    db
      .select()
      .from(spanLogs)
      .where(and(eq(spanLogs.orgId, orgId), inArray(spanLogs.traceId, ids)))
      .orderBy(asc(spanLogs.timeMs), asc(spanLogs.seq)),
  );
}

/** The stored spans of these OTel traces, by trace id. */
export function spansOfTraces(
  db: Database,
  orgId: string,
  traceIds: readonly string[],
): Promise<Map<string, SpanRow[]>> {
  return byTrace(traceIds, (ids) =>
    db
      .select()
      .from(spans)
      .where(and(eq(spans.orgId, orgId), inArray(spans.traceId, ids))),
  );
}

/** Which of these OTel traces already have their root span stored. */
export async function tracesWithStoredRoot(
  db: Database,
  orgId: string,
  traceIds: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const ids of chunk(traceIds, D1_MAX_PARAMS - 1)) {
    const rows = await db
      .selectDistinct({ traceId: spans.traceId })
      .from(spans)
      .where(and(eq(spans.orgId, orgId), inArray(spans.traceId, ids), eq(spans.isRoot, true)));
    for (const row of rows) found.add(row.traceId);
  }
  return found;
}

/** A trace's spans in the order they started. */
export async function traceSpans(db: Database, orgId: string, traceId: string): Promise<SpanRow[]> {
  return db
    .select()
    .from(spans)
    .where(and(eq(spans.orgId, orgId), eq(spans.traceId, traceId)))
    .orderBy(asc(spans.startMs), asc(spans.spanId));
}

/** The spans and log records of these OTel traces. */
export function deleteSpansStatements(db: Database, orgId: string, traceIds: readonly string[]): Statement[] {
  return chunk(traceIds, D1_MAX_PARAMS - 1).flatMap((ids) => [
    db.delete(spans).where(and(eq(spans.orgId, orgId), inArray(spans.traceId, ids))),
    db.delete(spanLogs).where(and(eq(spanLogs.orgId, orgId), inArray(spanLogs.traceId, ids))),
  ]);
}

/** The spans and log records of an Aegis trace, found through its client id (the OTel trace id). */
export function deleteSpansOfTraceStatements(db: Database, orgId: string, aegisTraceId: string): Statement[] {
  const clientId = db
    .select({ clientId: traces.clientId })
    .from(traces)
    .where(and(eq(traces.orgId, orgId), eq(traces.id, aegisTraceId)));
  return [
    db.delete(spans).where(and(eq(spans.orgId, orgId), inArray(spans.traceId, clientId))),
    db.delete(spanLogs).where(and(eq(spanLogs.orgId, orgId), inArray(spanLogs.traceId, clientId))),
  ];
}

/**
 * Removes spans and log records older than `before` whose trace was never made (its root span never
 * arrived); answers how many rows went.
 */
export async function deleteOrphanSpans(db: Database, before: number): Promise<number> {
  const orphan = (table: typeof spans | typeof spanLogs) =>
    and(
      lt(table.createdAt, before),
      notExists(
        db
          .select({ one: sql`1` })
          .from(traces)
          .where(and(eq(traces.orgId, table.orgId), eq(traces.clientId, table.traceId))),
      ),
    );
  const [deletedSpans, deletedLogs] = await db.batch([
    db.delete(spans).where(orphan(spans)),
    db.delete(spanLogs).where(orphan(spanLogs)),
  ]);
  return deletedSpans.meta.changes + deletedLogs.meta.changes;
}

/**
 * Notes OTel traces whose root span arrived without GenAI content, each with when its root arrived:
 * they wait for it (see awaitingSince). A trace already waiting keeps its first time. As few
 * statements as D1's parameter limit allows (three per trace).
 */
export function awaitContentStatements(
  db: Database,
  orgId: string,
  waiting: readonly { traceId: string; since: number }[],
): Statement[] {
  return chunk(waiting, Math.floor(D1_MAX_PARAMS / 3)).map((part) =>
    db
      .insert(tracesAwaitingContent)
      .values(part.map(({ traceId, since }) => ({ orgId, traceId, rootReceivedAt: since })))
      .onConflictDoNothing(),
  );
}

/** The OTel traces no longer waiting: made into Aegis traces, or refused. */
export function contentArrivedStatements(
  db: Database,
  orgId: string,
  traceIds: readonly string[],
): Statement[] {
  return chunk(traceIds, D1_MAX_PARAMS - 1).map((ids) =>
    db
      .delete(tracesAwaitingContent)
      .where(and(eq(tracesAwaitingContent.orgId, orgId), inArray(tracesAwaitingContent.traceId, ids))),
  );
}

/** Of these OTel traces, those waiting for content, with when their root arrived. */
export async function awaitingSince(
  db: Database,
  orgId: string,
  traceIds: readonly string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const ids of chunk(traceIds, D1_MAX_PARAMS - 1)) {
    const rows = await db
      .select()
      .from(tracesAwaitingContent)
      .where(and(eq(tracesAwaitingContent.orgId, orgId), inArray(tracesAwaitingContent.traceId, ids)));
    for (const row of rows) found.set(row.traceId, row.rootReceivedAt);
  }
  return found;
}

/** Where a page of overdueTraces ended: the next page starts after it. */
export type OverdueCursor = Pick<
  typeof tracesAwaitingContent.$inferSelect,
  "rootReceivedAt" | "orgId" | "traceId"
>;

/** Traces that have waited since before `before`, oldest first, after `after` when paging on. */
export async function overdueTraces(db: Database, before: number, limit: number, after?: OverdueCursor) {
  const t = tracesAwaitingContent;
  return db
    .select()
    .from(t)
    .where(
      and(
        lt(t.rootReceivedAt, before),
        after === undefined
          ? undefined
          : or(
              gt(t.rootReceivedAt, after.rootReceivedAt),
              and(eq(t.rootReceivedAt, after.rootReceivedAt), gt(t.orgId, after.orgId)),
              and(
                eq(t.rootReceivedAt, after.rootReceivedAt),
                eq(t.orgId, after.orgId),
                gt(t.traceId, after.traceId),
              ),
            ),
      ),
    )
    .orderBy(asc(t.rootReceivedAt), asc(t.orgId), asc(t.traceId))
    .limit(limit);
}
