import { and, asc, eq, getTableColumns, inArray, lt, notExists, sql } from "drizzle-orm";
import { chunk, D1_MAX_PARAMS, type Database, type Statement } from "./client";
import { type NewSpanRow, type SpanRow, spans, traces } from "./schema";

/**
 * Spans go in as JSON arrays that json_each unpacks, up to this many bytes per statement: a column per
 * bound parameter would allow six spans per statement, and an exporter's batch holds hundreds.
 */
export const SPAN_INSERT_BYTES = 1_000_000;

const utf8 = new TextEncoder();

/** Inserts that keep spans already stored (an exporter's retry), within D1's parameter and size limits. */
export function insertSpanStatements(db: Database, rows: readonly NewSpanRow[]): Statement[] {
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
      .insert(spans)
      .select(sql`SELECT ${SPAN_FIELDS} FROM json_each(${`[${group.join(",")}]`}) WHERE true`)
      .onConflictDoNothing(),
  );
}

/** Each column, in the table's order, read from a json_each row holding a NewSpanRow. */
const SPAN_FIELDS = sql.join(
  Object.keys(getTableColumns(spans)).map((key) => sql.raw(`json_extract(value, '$.${key}')`)),
  sql`, `,
);

/** The stored spans of these OTel traces, by trace id. */
export async function spansOfTraces(
  db: Database,
  orgId: string,
  traceIds: readonly string[],
): Promise<Map<string, SpanRow[]>> {
  const found = new Map<string, SpanRow[]>();
  for (const ids of chunk(traceIds, D1_MAX_PARAMS - 1)) {
    const rows = await db
      .select()
      .from(spans)
      .where(and(eq(spans.orgId, orgId), inArray(spans.traceId, ids)));
    for (const row of rows) found.set(row.traceId, [...(found.get(row.traceId) ?? []), row]);
  }
  return found;
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

export function deleteSpansStatements(db: Database, orgId: string, traceIds: readonly string[]): Statement[] {
  return chunk(traceIds, D1_MAX_PARAMS - 1).map((ids) =>
    db.delete(spans).where(and(eq(spans.orgId, orgId), inArray(spans.traceId, ids))),
  );
}

/** The spans of an Aegis trace, found through its client id (the OTel trace id). */
export function deleteSpansOfTraceStatement(db: Database, orgId: string, aegisTraceId: string): Statement {
  return db.delete(spans).where(
    and(
      eq(spans.orgId, orgId),
      inArray(
        spans.traceId,
        db
          .select({ clientId: traces.clientId })
          .from(traces)
          .where(and(eq(traces.orgId, orgId), eq(traces.id, aegisTraceId))),
      ),
    ),
  );
}

/** Removes spans older than `before` whose trace never got its root span, so never became a trace. */
export async function deleteOrphanSpans(db: Database, before: number): Promise<number> {
  const result = await db.delete(spans).where(
    and(
      lt(spans.createdAt, before),
      notExists(
        db
          .select({ one: sql`1` })
          .from(traces)
          .where(and(eq(traces.orgId, spans.orgId), eq(traces.clientId, spans.traceId))),
      ),
    ),
  );
  return result.meta.changes;
}
