import { type Database, runBatch, type Statement } from "../db/client";
import { organizationsByIds } from "../db/organizations";
import type { NewSpanLogRow, NewSpanRow, SpanLogRow, SpanRow } from "../db/schema";
import {
  awaitContentStatements,
  awaitingSince,
  contentArrivedStatements,
  deleteOrphanSpans,
  deleteSpansStatements,
  insertSpanLogStatements,
  insertSpanStatements,
  logsOfTraces,
  overdueTraces,
  SPAN_INSERT_BYTES,
  spansOfTraces,
  tracesWithStoredRoot,
} from "../db/spans";
import { findByClientIds } from "../db/traces";
import { canonicalJson, redactLogRecord, redactSpan } from "../eval";
import { sha256Hex } from "../lib/crypto";
import { traceFromSpans } from "../otlp/genai";
import type { LogRecordContent, Rejections, SpanEvent, SpanRecord } from "../otlp/model";
import { type IngestDeps, type IngestItem, ingestTraces, phiSecret } from "./ingest";

/**
 * How long an OTel trace whose root span has arrived waits for GenAI content still missing (sent as
 * log records, often in another request) before it is made with what it has.
 */
export const CONTENT_WAIT_MS = 30_000;

/** What an OTLP request did besides what it stored: warnings for partial_success (rejected 0). */
export interface OtlpWarnings {
  messages: string[];
}

const utf8 = new TextEncoder();

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
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

const logEvent = (log: Pick<SpanLogRow, "eventName" | "timeMs" | "attributes" | "body">): SpanEvent => ({
  name: log.eventName,
  timeMs: log.timeMs,
  attributes: log.attributes,
  ...(log.body === null || log.body === undefined ? {} : { body: log.body }),
});

/** A span as stored: its name, status message, attributes, events and resource after the organization's PHI policy. */
async function spanRow(
  deps: IngestDeps,
  orgSecret: string,
  span: SpanRecord,
  now: number,
): Promise<NewSpanRow> {
  const { value, redactions } = await redactSpan(
    span,
    deps.caller.organization.settings.phi_redaction,
    orgSecret,
  );
  return { ...value, orgId: deps.caller.orgId, redactions, createdAt: now };
}

/** A GenAI log record as stored: after the PHI policy, keyed by a digest of what was sent. */
async function logRow(
  deps: IngestDeps,
  orgSecret: string,
  log: LogRecordContent,
  seq: number,
  now: number,
): Promise<NewSpanLogRow> {
  const digest = await sha256Hex(canonicalJson(log));
  const { value, redactions } = await redactLogRecord(
    log,
    deps.caller.organization.settings.phi_redaction,
    orgSecret,
  );
  return {
    orgId: deps.caller.orgId,
    traceId: log.traceId,
    spanId: log.spanId,
    digest,
    eventName: value.eventName,
    timeMs: log.timeMs,
    seq,
    body: value.body,
    attributes: value.attributes,
    redactions,
    createdAt: now,
  };
}

/** What became of the OTel traces whose root span is known. */
interface Settled {
  items: IngestItem[];
  /** Made now (or found made): they no longer wait. */
  made: string[];
  /** Their spans cannot make a trace (not for want of content): refused with their spans. */
  refused: { traceId: string; reason: string }[];
  /** Still waiting for content, with when their root arrived. */
  waiting: { traceId: string; since: number }[];
}

/**
 * Builds each OTel trace from its spans (stored and `here`) with its GenAI log records as their
 * events. A trace without content waits for it until CONTENT_WAIT_MS after its root arrived, then is
 * made with what it has, as `incomplete`; a trace whose spans are invalid is refused.
 */
async function settle(
  db: Database,
  orgId: string,
  traceIds: readonly string[],
  here: ReadonlyMap<string, readonly SpanRecord[]>,
  now: number,
): Promise<Settled> {
  const [stored, logs, since] = await Promise.all([
    spansOfTraces(db, orgId, traceIds),
    logsOfTraces(db, orgId, traceIds),
    awaitingSince(db, orgId, traceIds),
  ]);
  const settled: Settled = { items: [], made: [], refused: [], waiting: [] };
  for (const traceId of traceIds) {
    const spans = new Map((stored.get(traceId) ?? []).map((row) => [row.spanId, recordOf(row)]));
    for (const span of here.get(traceId) ?? []) spans.set(span.spanId, span);
    const eventsOf = groupBy(logs.get(traceId) ?? [], (log) => log.spanId);
    const withLogs = [...spans.values()].map((span) => ({
      ...span,
      events: [...span.events, ...(eventsOf.get(span.spanId) ?? []).map(logEvent)],
    }));
    const rootSince = since.get(traceId) ?? now;
    const overdue = now - rootSince >= CONTENT_WAIT_MS;
    const build = traceFromSpans(traceId, withLogs, { incomplete: overdue });
    if (build.ok) {
      settled.made.push(traceId);
      settled.items.push(
        build.missing === undefined
          ? { trace: build.trace }
          : {
              trace: build.trace,
              incomplete: `no GenAI content arrived within ${CONTENT_WAIT_MS / 1000} s of the root span: ${build.missing}`,
            },
      );
    } else if (build.missingContent) settled.waiting.push({ traceId, since: rootSince });
    else settled.refused.push({ traceId, reason: build.reason });
  }
  return settled;
}

/** The writes that record where each settled trace stands, beside what the request itself stores. */
function settledStatements(db: Database, orgId: string, settled: Settled): Statement[] {
  const refused = settled.refused.map((r) => r.traceId);
  return [
    ...deleteSpansStatements(db, orgId, refused),
    ...contentArrivedStatements(db, orgId, refused),
    ...settled.waiting.flatMap(({ traceId, since }) => awaitContentStatements(db, orgId, [traceId], since)),
  ];
}

/** Makes the settled traces (redacted, audited and queued once by ingestTraces), then stops their wait. */
async function makeSettled(deps: IngestDeps, settled: Settled, warnings: OtlpWarnings): Promise<void> {
  if (settled.items.length > 0) await ingestTraces(deps, settled.items);
  const incomplete = settled.items.filter((item) => item.incomplete !== undefined);
  if (incomplete.length > 0) {
    warnings.messages.push(
      `${incomplete.length} trace(s) stored without their GenAI content, which did not arrive within ` +
        `${CONTENT_WAIT_MS / 1000} s (status failed, not evaluated): ${incomplete.map((i) => i.trace.id).join(", ")}`,
    );
  }
  if (settled.made.length > 0)
    await runBatch(deps.db, contentArrivedStatements(deps.db, deps.caller.orgId, settled.made));
}

function noteWaiting(settled: Settled, warnings: OtlpWarnings, now: number): void {
  if (settled.waiting.length === 0) return;
  const waitsUntil = Math.max(...settled.waiting.map((w) => w.since)) + CONTENT_WAIT_MS;
  warnings.messages.push(
    `${settled.waiting.length} trace(s) have no GenAI content yet and wait up to ` +
      `${Math.ceil((waitsUntil - now) / 1000)} s for it (send it as span attributes or as log records to /v1/logs)`,
  );
}

/**
 * Stores the spans of an OTLP request and makes one Aegis trace of each OTel trace whose root span
 * has arrived (in this request or an earlier one) and that has no trace yet, from all its spans and
 * GenAI log records so far. The trace goes through ingestTraces, so it is redacted, audited and
 * queued once, with the OTel trace id as its client id: a retried export finds it instead of making
 * another. A trace still without content waits (see settle). Spans arriving after their trace was
 * made are stored beside it. `charge` is called with the number of traces about to be made, before
 * anything is written; it throws to refuse the request.
 */
export async function ingestSpans(
  deps: IngestDeps,
  records: readonly SpanRecord[],
  rejections: Rejections,
  charge: (traces: number) => Promise<void>,
): Promise<OtlpWarnings> {
  const { db, caller } = deps;
  const fitting = records.filter((span) => {
    const bytes = utf8.encode(JSON.stringify(span)).length;
    if (bytes <= SPAN_INSERT_BYTES) return true;
    rejections.add(`the span is ${bytes} bytes as JSON, over the ${SPAN_INSERT_BYTES} a span may have`);
    return false;
  });
  const groups = groupBy(fitting, (span) => span.traceId);
  const made = await findByClientIds(db, caller.orgId, [...groups.keys()]);
  const open = [...groups.keys()].filter((traceId) => !made.has(traceId));
  const rootHere = open.filter((traceId) => groups.get(traceId)?.some((s) => s.isRoot));
  const rootStored = await tracesWithStoredRoot(
    db,
    caller.orgId,
    open.filter((traceId) => !rootHere.includes(traceId)),
  );
  const now = Date.now();
  const settled = await settle(db, caller.orgId, [...rootHere, ...rootStored], groups, now);
  for (const { traceId, reason } of settled.refused) rejections.add(reason, groups.get(traceId)?.length ?? 0);
  await charge(settled.items.length);

  const orgSecret = await phiSecret(deps);
  const refused = new Set(settled.refused.map((r) => r.traceId));
  const rows = await Promise.all(
    fitting.filter((span) => !refused.has(span.traceId)).map((span) => spanRow(deps, orgSecret, span, now)),
  );
  await runBatch(db, [...insertSpanStatements(db, rows), ...settledStatements(db, caller.orgId, settled)]);
  const warnings: OtlpWarnings = { messages: [] };
  await makeSettled(deps, settled, warnings);
  noteWaiting(settled, warnings, now);
  return warnings;
}

/**
 * Stores the GenAI log records of an OTLP logs request beside their spans, whichever arrives first,
 * and makes the traces they complete: an OTel trace whose root span is stored and that waited for
 * this content. Records of traces already made are kept beside them. `charge` as for ingestSpans.
 */
export async function ingestLogs(
  deps: IngestDeps,
  records: readonly LogRecordContent[],
  charge: (traces: number) => Promise<void>,
): Promise<OtlpWarnings> {
  const { db, caller } = deps;
  const now = Date.now();
  const orgSecret = await phiSecret(deps);
  const rows = await Promise.all(records.map((log, seq) => logRow(deps, orgSecret, log, seq, now)));
  const traceIds = [...new Set(records.map((log) => log.traceId))];
  const made = await findByClientIds(db, caller.orgId, traceIds);
  const rooted = await tracesWithStoredRoot(
    db,
    caller.orgId,
    traceIds.filter((traceId) => !made.has(traceId)),
  );
  // Stored first: the traces they complete are built from what is stored.
  await runBatch(db, insertSpanLogStatements(db, rows));
  const settled = await settle(db, caller.orgId, [...rooted], new Map(), now);
  await charge(settled.items.length);
  await runBatch(db, settledStatements(db, caller.orgId, settled));
  const warnings: OtlpWarnings = { messages: [] };
  await makeSettled(deps, settled, warnings);
  noteWaiting(settled, warnings, now);
  return warnings;
}

/** Traces made per scheduled run, at most; the next run goes on. */
const OVERDUE_PAGE = 500;

/**
 * Makes the OTel traces that waited CONTENT_WAIT_MS for GenAI content without a request completing
 * them: with their content if it arrived meanwhile, else with what they have (stored failed, not
 * evaluated). Answers how many were made. `depsFor` gives each organization's ingestion dependencies.
 */
export async function makeOverdueTraces(
  db: Database,
  depsFor: (organization: IngestDeps["caller"]["organization"]) => IngestDeps,
  now = Date.now(),
): Promise<number> {
  const overdue = await overdueTraces(db, now - CONTENT_WAIT_MS, OVERDUE_PAGE);
  if (overdue.length === 0) return 0;
  const byOrg = new Map<string, string[]>();
  for (const { orgId, traceId } of overdue) byOrg.set(orgId, [...(byOrg.get(orgId) ?? []), traceId]);
  let count = 0;
  for (const organization of await organizationsByIds(db, [...byOrg.keys()])) {
    const deps = depsFor(organization);
    const traceIds = byOrg.get(organization.id) ?? [];
    const made = await findByClientIds(db, organization.id, traceIds);
    const settled = await settle(
      db,
      organization.id,
      traceIds.filter((id) => !made.has(id)),
      new Map(),
      now,
    );
    settled.made.push(...made.keys());
    await runBatch(db, settledStatements(db, organization.id, settled));
    await makeSettled(deps, settled, { messages: [] });
    count += settled.items.length;
  }
  return count;
}

/** How long spans wait for their trace's root span before the scheduled sweep drops them. */
export const ORPHAN_SPAN_TTL_MS = 24 * 60 * 60_000;

/** Drops spans and log records whose trace was never made within ORPHAN_SPAN_TTL_MS; answers how many. */
export function dropOrphanSpans(db: Database, now = Date.now()): Promise<number> {
  return deleteOrphanSpans(db, now - ORPHAN_SPAN_TTL_MS);
}
