import { type Database, runBatch } from "../db/client";
import type { NewSpanRow, SpanRow } from "../db/schema";
import {
  deleteOrphanSpans,
  deleteSpansStatements,
  insertSpanStatements,
  SPAN_INSERT_BYTES,
  spansOfTraces,
  tracesWithStoredRoot,
} from "../db/spans";
import { findByClientIds } from "../db/traces";
import { redactDocument } from "../eval";
import { traceFromSpans } from "../otlp/genai";
import type { Rejections, SpanRecord } from "../otlp/model";
import type { TraceInput } from "../schema/trace";
import { type IngestDeps, ingestTraces, phiSecret } from "./ingest";

const utf8 = new TextEncoder();

function groupByTrace(records: readonly SpanRecord[]): Map<string, Map<string, SpanRecord>> {
  const groups = new Map<string, Map<string, SpanRecord>>();
  for (const record of records) {
    const group = groups.get(record.traceId) ?? new Map<string, SpanRecord>();
    groups.set(record.traceId, group.set(record.spanId, record));
  }
  return groups;
}

const recordOf = (row: SpanRow): SpanRecord => ({
  traceId: row.traceId,
  spanId: row.spanId,
  parentSpanId: row.parentSpanId,
  isRoot: row.isRoot,
  name: row.name,
  kind: row.kind,
  startMs: row.startMs,
  endMs: row.endMs,
  statusCode: row.statusCode,
  statusMessage: row.statusMessage,
  attributes: row.attributes,
  events: row.events,
  resource: row.resource,
});

/** A span as stored: attributes, events, resource and status message after the organization's PHI policy. */
async function spanRow(
  deps: IngestDeps,
  orgSecret: string,
  span: SpanRecord,
  now: number,
): Promise<NewSpanRow> {
  const { value, redactions } = await redactDocument(
    {
      attributes: span.attributes,
      events: span.events,
      resource: span.resource,
      status_message: span.statusMessage,
    },
    deps.caller.organization.settings.phi_redaction,
    orgSecret,
  );
  return {
    ...span,
    orgId: deps.caller.orgId,
    attributes: value.attributes,
    events: value.events,
    resource: value.resource,
    statusMessage: value.status_message,
    redactions,
    createdAt: now,
  };
}

/**
 * Stores the spans of an OTLP request and makes one Aegis trace of each OTel trace whose root span
 * has arrived (in this request or an earlier one) and that has no trace yet, from all its spans so
 * far. The trace goes through ingestTraces, so it is redacted, audited and queued once, with the OTel
 * trace id as its client id: a retried export finds it instead of making another. Spans arriving
 * after their trace was made are stored beside it. A trace whose spans cannot make an Aegis trace
 * (no input or output) is rejected with its spans. `charge` is called with the number of traces about
 * to be made, before anything is written; it throws to refuse the request.
 */
export async function ingestSpans(
  deps: IngestDeps,
  records: readonly SpanRecord[],
  rejections: Rejections,
  charge: (traces: number) => Promise<void>,
): Promise<void> {
  const { db, caller } = deps;
  const fitting = records.filter((span) => {
    const bytes = utf8.encode(JSON.stringify(span)).length;
    if (bytes <= SPAN_INSERT_BYTES) return true;
    rejections.add(`the span is ${bytes} bytes as JSON, over the ${SPAN_INSERT_BYTES} a span may have`);
    return false;
  });
  const groups = groupByTrace(fitting);
  const made = await findByClientIds(db, caller.orgId, [...groups.keys()]);
  const open = [...groups.keys()].filter((traceId) => !made.has(traceId));
  const rootHere = open.filter((traceId) => [...(groups.get(traceId)?.values() ?? [])].some((s) => s.isRoot));
  const rootStored = await tracesWithStoredRoot(
    db,
    caller.orgId,
    open.filter((traceId) => !rootHere.includes(traceId)),
  );
  const complete = [...rootHere, ...rootStored];
  const stored = await spansOfTraces(db, caller.orgId, complete);

  const traces: TraceInput[] = [];
  const refused: string[] = [];
  for (const traceId of complete) {
    const here = groups.get(traceId) ?? new Map<string, SpanRecord>();
    const spans = new Map((stored.get(traceId) ?? []).map((row) => [row.spanId, recordOf(row)]));
    for (const [spanId, span] of here) spans.set(spanId, span);
    const build = traceFromSpans(traceId, [...spans.values()]);
    if (build.ok) traces.push(build.trace);
    else {
      refused.push(traceId);
      rejections.add(build.reason, here.size);
    }
  }
  await charge(traces.length);

  const now = Date.now();
  const orgSecret = await phiSecret(deps);
  const keep = fitting.filter((span) => !refused.includes(span.traceId));
  const rows = await Promise.all(keep.map((span) => spanRow(deps, orgSecret, span, now)));
  await runBatch(db, [
    ...insertSpanStatements(db, rows),
    ...deleteSpansStatements(db, caller.orgId, refused),
  ]);
  if (traces.length > 0) await ingestTraces(deps, traces);
}

/** How long spans wait for their trace's root span before the scheduled sweep drops them. */
export const ORPHAN_SPAN_TTL_MS = 24 * 60 * 60_000;

/** Drops spans whose root never arrived within ORPHAN_SPAN_TTL_MS; answers how many. */
export function dropOrphanSpans(db: Database, now = Date.now()): Promise<number> {
  return deleteOrphanSpans(db, now - ORPHAN_SPAN_TTL_MS);
}
