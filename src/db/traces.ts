import {
  and,
  desc,
  eq,
  exists,
  getTableColumns,
  gte,
  inArray,
  lt,
  lte,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { SeverityOrNone, Verdict } from "../eval/verdict";
import type { Cursor } from "../lib/cursor";
import { utf8Length } from "../lib/utf8";
import type { TraceInput } from "../schema/trace";
import { withAuditChain } from "./audit";
import { chunk, D1_MAX_PARAMS, type Database, runBatch, type Statement } from "./client";
import {
  evaluationIssues,
  evaluations,
  type NewTraceRow,
  type QueueProgressRow,
  queueProgress,
  type TraceRow,
  type TraceStatus,
  traces,
} from "./schema";
import { deleteSpansOfTraceStatements, deleteSpansStatements } from "./spans";

export interface TraceFilters {
  domain?: string;
  /** Any of these models (a name as sent and, when it holds PHI, its stored token). */
  model?: readonly string[];
  /** Any of these sessions, likewise. */
  session_id?: readonly string[];
  status?: TraceStatus;
  since?: number;
  until?: number;
  verdict?: Verdict;
  severity?: SeverityOrNone;
  /** Traces whose latest evaluation raised this rule. */
  rule?: string;
  needs_review?: boolean;
  /** Traces carrying every one of these tags. */
  tags?: string[];
}

/**
 * A trace of this organization, by Aegis id or by the client's own id (as sent, or as any of the
 * forms it may be stored in: `clientIds`, in order of preference). Should a client id equal another
 * trace's Aegis id, the Aegis id wins, so a lookup never depends on row order. Two lookups, each on
 * its own index, in one round trip: `id = ? OR client_id IN (…)` can be planned as a scan of the
 * organization's traces.
 */
export async function findTrace(
  db: Database,
  orgId: string,
  id: string,
  clientIds: readonly string[] = [id],
): Promise<TraceRow | undefined> {
  const byAegisId = db
    .select()
    .from(traces)
    .where(and(eq(traces.orgId, orgId), eq(traces.id, id)));
  if (clientIds.length === 0) return (await byAegisId)[0];
  const [byId, byClientId] = await db.batch([
    byAegisId,
    db
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, orgId), inArray(traces.clientId, [...clientIds]))),
  ]);
  if (byId[0] !== undefined) return byId[0];
  for (const form of clientIds) {
    const found = byClientId.find((row) => row.clientId === form);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Traces of this organization already stored under these client ids. */
export async function findByClientIds(db: Database, orgId: string, clientIds: readonly string[]) {
  const found = new Map<string, { id: string; status: TraceStatus }>();
  for (const ids of chunk(clientIds, D1_MAX_PARAMS - 1)) {
    const rows = await db
      .select({ id: traces.id, clientId: traces.clientId, status: traces.status })
      .from(traces)
      .where(and(eq(traces.orgId, orgId), inArray(traces.clientId, ids)));
    for (const row of rows) if (row.clientId !== null) found.set(row.clientId, row);
  }
  return found;
}

/** Which of these Aegis trace ids the organization has stored. */
export async function storedTraceIds(
  db: Database,
  orgId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunk(ids, D1_MAX_PARAMS - 1)) {
    const rows = await db
      .select({ id: traces.id })
      .from(traces)
      .where(and(eq(traces.orgId, orgId), inArray(traces.id, part)));
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/**
 * The most a stored trace row may take: D1 refuses a row (a string, a blob) over 2,000,000 bytes, and
 * SQLite's record adds a little. A trace that would be larger, as stored (after PHI redaction, with
 * its search text and redaction records), is refused before anything is written.
 */
export const MAX_TRACE_ROW_BYTES = 1_900_000;

/** A row too large to store: its size, and the trace field that takes the most of it. */
export interface OversizedRow {
  bytes: number;
  field: string;
  fieldBytes: number;
}

/** Whether the row fits (null) or is too large to store (see MAX_TRACE_ROW_BYTES). */
export function oversizedTraceRow(row: NewTraceRow): OversizedRow | null {
  const redactions = JSON.stringify(row.redactions);
  // At most 3 bytes per UTF-16 code unit: almost every trace is told apart without counting.
  let units = JSON.stringify(row.payload).length + redactions.length;
  for (const value of Object.values(row)) if (typeof value === "string") units += value.length;
  if (units * 3 + 1_024 <= MAX_TRACE_ROW_BYTES) return null;

  // The trace fields as stored: input and output, each payload field, and the tool calls' search text.
  const fields = new Map<string, number>([
    ["input", utf8Length(row.input)],
    ["output", utf8Length(row.output)],
  ]);
  for (const [key, value] of Object.entries(row.payload))
    fields.set(key, utf8Length(key) + 4 + utf8Length(JSON.stringify(value) ?? ""));
  if (row.toolText) fields.set("tool_calls", (fields.get("tool_calls") ?? 0) + utf8Length(row.toolText));
  let bytes = utf8Length(redactions);
  for (const size of fields.values()) bytes += size;
  for (const [column, value] of Object.entries(row)) {
    if (column === "input" || column === "output" || column === "toolText") continue;
    if (typeof value === "string") bytes += utf8Length(value);
    else if (typeof value === "number") bytes += 8;
  }
  if (bytes <= MAX_TRACE_ROW_BYTES) return null;
  let largest: [string, number] = ["input", 0];
  for (const entry of fields) if (entry[1] > largest[1]) largest = entry;
  return { bytes, field: largest[0], fieldBytes: largest[1] };
}

const TRACE_COLUMNS = Object.keys(getTableColumns(traces)).length;

/** Multi-row inserts cut so that no statement binds more parameters than D1 allows. */
export function insertTraceStatements(db: Database, rows: readonly NewTraceRow[]): Statement[] {
  const rowsPerStatement = Math.max(1, Math.floor(D1_MAX_PARAMS / TRACE_COLUMNS));
  return chunk(rows, rowsPerStatement).map((part) => db.insert(traces).values(part));
}

export async function listTraces(
  db: Database,
  orgId: string,
  filters: TraceFilters,
  limit: number,
  after?: Cursor,
): Promise<TraceRow[]> {
  const conditions = [
    ...traceFilterConditions(db, orgId, filters),
    after === undefined
      ? undefined
      : or(lt(traces.createdAt, after.t), and(eq(traces.createdAt, after.t), lt(traces.id, after.i))),
  ];
  return db
    .select()
    .from(traces)
    .where(and(...conditions))
    .orderBy(desc(traces.createdAt), desc(traces.id))
    .limit(limit);
}

/** The organization and the filters as conditions on `traces` (listing and search share them). */
export function traceFilterConditions(
  db: Database,
  orgId: string,
  filters: TraceFilters,
): (SQL | undefined)[] {
  return [
    eq(traces.orgId, orgId),
    filters.domain === undefined ? undefined : eq(traces.domain, filters.domain),
    filters.model === undefined ? undefined : inArray(traces.model, [...filters.model]),
    filters.session_id === undefined ? undefined : inArray(traces.sessionId, [...filters.session_id]),
    filters.status === undefined ? undefined : eq(traces.status, filters.status),
    filters.since === undefined ? undefined : gte(traces.createdAt, filters.since),
    filters.until === undefined ? undefined : lte(traces.createdAt, filters.until),
    filters.verdict === undefined ? undefined : eq(traces.verdict, filters.verdict),
    filters.severity === undefined ? undefined : eq(traces.severity, filters.severity),
    filters.needs_review === undefined ? undefined : eq(traces.needsReview, filters.needs_review),
    filters.rule === undefined
      ? undefined
      : exists(
          db
            .select({ one: sql`1` })
            .from(evaluationIssues)
            .where(
              and(
                eq(evaluationIssues.evaluationId, traces.latestEvaluationId),
                eq(evaluationIssues.rule, filters.rule),
              ),
            ),
        ),
    ...(filters.tags ?? []).map(
      (tag) => sql`exists (select 1 from json_each(${traces.payload}, '$.tags') where value = ${tag})`,
    ),
  ];
}

/**
 * Statements that remove a trace with everything derived from it. Its spans are those keyed by its
 * client id, and by `otherSpanKeys` (the raw OTel trace id of a trace whose client id is stored as
 * its token).
 */
export function deleteTraceStatements(
  db: Database,
  orgId: string,
  traceId: string,
  otherSpanKeys: readonly string[] = [],
): Statement[] {
  return [
    ...deleteSpansOfTraceStatements(db, orgId, traceId),
    ...deleteSpansStatements(db, orgId, otherSpanKeys),
    db
      .delete(evaluationIssues)
      .where(and(eq(evaluationIssues.orgId, orgId), eq(evaluationIssues.traceId, traceId))),
    db.delete(evaluations).where(and(eq(evaluations.orgId, orgId), eq(evaluations.traceId, traceId))),
    db.delete(traces).where(and(eq(traces.orgId, orgId), eq(traces.id, traceId))),
  ];
}

/** Notes that a consumer picked up messages whose newest hand-off was at `newestEnqueuedAt`. */
export function queueProgressStatement(
  db: Database,
  queue: string,
  newestEnqueuedAt: number,
  handledAt: number,
): Statement {
  return db
    .insert(queueProgress)
    .values({ queue, newestEnqueuedAt, handledAt })
    .onConflictDoUpdate({
      target: queueProgress.queue,
      set: {
        newestEnqueuedAt: sql`max(${queueProgress.newestEnqueuedAt}, excluded.newest_enqueued_at)`,
        handledAt: sql`excluded.handled_at`,
      },
    });
}

export async function readQueueProgress(db: Database, queue: string): Promise<QueueProgressRow | undefined> {
  return db.query.queueProgress.findFirst({ where: eq(queueProgress.queue, queue) });
}

/** The trace as the customer sent it (after redaction), rebuilt from its stored row for the engine. */
export function traceInputFromRow(row: TraceRow): TraceInput {
  const usage =
    row.inputTokens === null && row.outputTokens === null
      ? undefined
      : { input_tokens: row.inputTokens ?? undefined, output_tokens: row.outputTokens ?? undefined };
  return {
    ...row.payload,
    id: row.clientId ?? undefined,
    domain: row.domain,
    application_type: row.applicationType ?? undefined,
    application_id: row.applicationId ?? undefined,
    model: row.model ?? undefined,
    input: row.input,
    output: row.output,
    session_id: row.sessionId ?? undefined,
    user_id: row.userId ?? undefined,
    usage,
    latency_ms: row.latencyMs ?? undefined,
    cost_usd: row.costUsd ?? undefined,
    timestamp: row.timestamp === null ? undefined : new Date(row.timestamp).toISOString(),
  };
}

export async function tracesByIds(db: Database, ids: readonly string[]): Promise<TraceRow[]> {
  const rows: TraceRow[] = [];
  for (const part of chunk(ids, D1_MAX_PARAMS)) {
    rows.push(...(await db.select().from(traces).where(inArray(traces.id, part))));
  }
  return rows;
}

/** Puts a trace back in `queued` for another evaluation, recorded in the audit trail. */
export async function requeueTrace(
  db: Database,
  caller: { orgId: string; actor: string },
  traceId: string,
): Promise<void> {
  await withAuditChain(db, caller.orgId, async (chain) => {
    const now = Date.now();
    const audit = await chain.statements(
      caller.orgId,
      [
        {
          actor: caller.actor,
          action: "trace.reevaluation_requested",
          target: traceId,
          payload: { id: traceId },
        },
      ],
      now,
    );
    await runBatch(db, [
      db
        .update(traces)
        .set({ status: "queued", error: null, enqueuedAt: now, updatedAt: now })
        .where(and(eq(traces.orgId, caller.orgId), eq(traces.id, traceId))),
      ...audit,
    ]);
  });
}
