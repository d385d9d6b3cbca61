import { type Database, runBatch, type Statement } from "../db/client";
import { organizationsByIds } from "../db/organizations";
import type { NewSpanLogRow, NewSpanRow, SpanRow } from "../db/schema";
import {
  awaitContentStatements,
  awaitingSince,
  contentArrivedStatements,
  deleteOrphanSpans,
  deleteSpansStatements,
  insertSpanLogStatements,
  insertSpanStatements,
  logsOfTraces,
  type OverdueCursor,
  overdueTraces,
  SPAN_INSERT_BYTES,
  spansOfTraces,
  tracesWithStoredRoot,
} from "../db/spans";
import { findByClientIds } from "../db/traces";
import { canonicalJson, redactLogRecord, redactSpan } from "../eval";
import { writeLog } from "../http/logging";
import { hmacSha256Hex, sha256Hex } from "../lib/crypto";
import type { LimitDecision } from "../live/rate-limiter";
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

const logEvent = (log: Pick<NewSpanLogRow, "eventName" | "timeMs" | "attributes" | "body">): SpanEvent => ({
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

/**
 * What makes a retried export of a log record a no-op: a digest of the record as sent. When the
 * organization redacts PHI it is an HMAC under the organization's secret, since a plain hash of a
 * record whose only unknown is a short identifier (an SSN, a date of birth) could be reversed by
 * trying every value; without redaction the record is stored as sent anyway.
 */
function logDigest(orgSecret: string, log: LogRecordContent): Promise<string> {
  const canonical = canonicalJson(log);
  return orgSecret === "" ? sha256Hex(canonical) : hmacSha256Hex(orgSecret, `span_logs.digest:${canonical}`);
}

/** A GenAI log record as stored: after the PHI policy, keyed by a digest of what was sent. */
async function logRow(
  deps: IngestDeps,
  orgSecret: string,
  log: LogRecordContent,
  seq: number,
  now: number,
): Promise<NewSpanLogRow> {
  const digest = await logDigest(orgSecret, log);
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

/** What a request brings beside what is stored: spans by trace id, and log records as they will be stored. */
interface Arriving {
  spans?: ReadonlyMap<string, readonly SpanRecord[]>;
  logs?: readonly NewSpanLogRow[];
}

type LogForEvent = Pick<
  NewSpanLogRow,
  "spanId" | "digest" | "eventName" | "timeMs" | "seq" | "attributes" | "body"
>;

/** A trace's log records, stored and arriving (a retried record once), in the order they are read back. */
function mergedLogs(
  stored: readonly LogForEvent[],
  arriving: readonly LogForEvent[],
): readonly LogForEvent[] {
  const known = new Set(stored.map((log) => `${log.spanId}|${log.digest}`));
  const fresh = arriving.filter((log) => !known.has(`${log.spanId}|${log.digest}`));
  if (fresh.length === 0) return stored;
  return [...stored, ...fresh].sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
}

/**
 * Builds each OTel trace from its spans (stored and arriving) with its GenAI log records (stored and
 * arriving) as their events. A trace without content waits for it until CONTENT_WAIT_MS after its
 * root arrived, then is made with what it has, as `incomplete`; a trace whose spans are invalid
 * (whether or not its content has come) is refused.
 */
async function settle(
  db: Database,
  orgId: string,
  traceIds: readonly string[],
  arriving: Arriving,
  now: number,
): Promise<Settled> {
  const [stored, logs, since] = await Promise.all([
    spansOfTraces(db, orgId, traceIds),
    logsOfTraces(db, orgId, traceIds),
    awaitingSince(db, orgId, traceIds),
  ]);
  const arrivingLogs = groupBy(arriving.logs ?? [], (log) => log.traceId);
  const settled: Settled = { items: [], made: [], refused: [], waiting: [] };
  for (const traceId of traceIds) {
    const spans = new Map((stored.get(traceId) ?? []).map((row) => [row.spanId, recordOf(row)]));
    for (const span of arriving.spans?.get(traceId) ?? []) spans.set(span.spanId, span);
    const eventsOf = groupBy(
      mergedLogs(logs.get(traceId) ?? [], arrivingLogs.get(traceId) ?? []),
      (log) => log.spanId,
    );
    const withLogs = [...spans.values()].map((span) => ({
      ...span,
      events: [...span.events, ...(eventsOf.get(span.spanId) ?? []).map(logEvent)],
    }));
    const rootSince = since.get(traceId) ?? now;
    const overdue = now - rootSince >= CONTENT_WAIT_MS;
    const build = traceFromSpans(traceId, withLogs, { incomplete: overdue });
    if (build.ok) {
      settled.made.push(traceId);
      // Arriving spans are redacted with the trace; stored spans and every log row already were.
      const sourceRedactions = [
        ...(stored.get(traceId) ?? []).filter(
          (row) => !arriving.spans?.get(traceId)?.some((s) => s.spanId === row.spanId),
        ),
        ...(logs.get(traceId) ?? []),
        ...(arrivingLogs.get(traceId) ?? []),
      ].flatMap((row) => row.redactions);
      settled.items.push(
        build.missing === undefined
          ? { trace: build.trace, sourceRedactions }
          : {
              trace: build.trace,
              sourceRedactions,
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
    ...awaitContentStatements(db, orgId, settled.waiting),
  ];
}

/** Makes the settled traces (redacted, audited and queued once by ingestTraces), then stops their wait. */
/**
 * Stores the settled traces. One too large to store is refused like a trace its spans cannot make
 * valid: its spans and log records are deleted (nothing would ever read them) and it is returned for
 * the caller to report.
 */
async function makeSettled(
  deps: IngestDeps,
  settled: Settled,
  warnings: OtlpWarnings,
): Promise<{ traceId: string; reason: string }[]> {
  const outcomes = settled.items.length > 0 ? await ingestTraces(deps, settled.items) : [];
  const tooLarge = outcomes.flatMap((outcome, i) => {
    const traceId = settled.items[i]?.trace.id;
    return "tooLarge" in outcome && traceId !== undefined
      ? [{ traceId, reason: `trace ${traceId} cannot be stored: ${outcome.tooLarge.detail}` }]
      : [];
  });
  if (tooLarge.length > 0)
    await runBatch(
      deps.db,
      deleteSpansStatements(
        deps.db,
        deps.caller.orgId,
        tooLarge.map((t) => t.traceId),
      ),
    );
  const incomplete = settled.items.filter((item) => item.incomplete !== undefined);
  if (incomplete.length > 0) {
    warnings.messages.push(
      `${incomplete.length} trace(s) stored without their GenAI content, which did not arrive within ` +
        `${CONTENT_WAIT_MS / 1000} s (status failed, not evaluated): ${incomplete.map((i) => i.trace.id).join(", ")}`,
    );
  }
  if (settled.made.length > 0)
    await runBatch(deps.db, contentArrivedStatements(deps.db, deps.caller.orgId, settled.made));
  return tooLarge;
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
  const settled = await settle(db, caller.orgId, [...rootHere, ...rootStored], { spans: groups }, now);
  for (const { traceId, reason } of settled.refused) rejections.add(reason, groups.get(traceId)?.length ?? 0);
  await charge(settled.items.length);

  const orgSecret = await phiSecret(deps);
  const refused = new Set(settled.refused.map((r) => r.traceId));
  const rows = await Promise.all(
    fitting.filter((span) => !refused.has(span.traceId)).map((span) => spanRow(deps, orgSecret, span, now)),
  );
  await runBatch(db, [...insertSpanStatements(db, rows), ...settledStatements(db, caller.orgId, settled)]);
  const warnings: OtlpWarnings = { messages: [] };
  for (const { traceId, reason } of await makeSettled(deps, settled, warnings))
    rejections.add(reason, groups.get(traceId)?.length ?? 1);
  noteWaiting(settled, warnings, now);
  return warnings;
}

/**
 * Stores the GenAI log records of an OTLP logs request beside their spans, whichever arrives first,
 * and makes the traces they complete: an OTel trace whose root span is stored and that waited for
 * this content. Records of traces already made are kept beside them; those of a trace the records
 * cannot make valid are refused with it, counted in `rejections`. `charge` as for ingestSpans: it
 * runs before anything is written.
 */
export async function ingestLogs(
  deps: IngestDeps,
  records: readonly LogRecordContent[],
  rejections: Rejections,
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
  const settled = await settle(db, caller.orgId, [...rooted], { logs: rows }, now);
  const refused = new Set(settled.refused.map((r) => r.traceId));
  for (const { traceId, reason } of settled.refused)
    rejections.add(reason, rows.filter((row) => row.traceId === traceId).length);
  await charge(settled.items.length);
  await runBatch(db, [
    ...insertSpanLogStatements(
      db,
      rows.filter((row) => !refused.has(row.traceId)),
    ),
    ...settledStatements(db, caller.orgId, settled),
  ]);
  const warnings: OtlpWarnings = { messages: [] };
  for (const { traceId, reason } of await makeSettled(deps, settled, warnings))
    rejections.add(reason, rows.filter((row) => row.traceId === traceId).length);
  noteWaiting(settled, warnings, now);
  return warnings;
}

/** Traces read per page of a scheduled run. */
const OVERDUE_PAGE = 500;
/** A run stops paging after this long, well inside a scheduled handler's limits; the next goes on. */
const OVERDUE_BUDGET_MS = 20_000;

export interface OverdueOptions {
  /** Each organization's ingestion dependencies. */
  depsFor: (organization: IngestDeps["caller"]["organization"]) => IngestDeps;
  /**
   * Charges traces to the organization's monthly quota (src/live/limits.ts chargeSystemTraces), or
   * answers undefined when they are made uncharged (the limiter unreachable, failing open); throws
   * to leave the organization's traces waiting for the next run.
   */
  chargeQuota: (
    organization: IngestDeps["caller"]["organization"],
    traces: number,
  ) => Promise<LimitDecision | undefined>;
  log?: (event: Record<string, unknown>) => void;
  now?: number;
  clock?: () => number;
}

/**
 * Of `items`, how many the organization's monthly quota takes (charged now); the rest are stored
 * failed, saying so, rather than made and evaluated for free.
 */
async function withinQuota(
  organization: IngestDeps["caller"]["organization"],
  items: readonly IngestItem[],
  chargeQuota: OverdueOptions["chargeQuota"],
): Promise<IngestItem[]> {
  if (items.length === 0) return [];
  let decision = await chargeQuota(organization, items.length);
  if (decision?.outcome !== "quota-exceeded") return [...items];
  const left = Math.max(0, decision.quota - decision.used);
  let allowed = 0;
  if (left > 0) {
    const retried = await chargeQuota(organization, left);
    if (retried?.outcome !== "quota-exceeded") allowed = left;
    else decision = retried;
  }
  const { quota } = decision;
  const resetsAt = new Date(decision.resetsAt).toISOString();
  return items.map((item, i) =>
    i < allowed
      ? item
      : {
          trace: item.trace,
          incomplete:
            `the organization's monthly quota of ${quota} traces was used up when this trace was made ` +
            `(it resets at ${resetsAt}): stored without evaluation`,
        },
  );
}

/**
 * Makes the OTel traces that waited CONTENT_WAIT_MS for GenAI content without a request completing
 * them: with their content if it arrived meanwhile, else with what they have (stored failed, not
 * evaluated), charged to the organization's monthly quota (over it, stored failed saying so). Pages
 * through them, oldest first, within OVERDUE_BUDGET_MS; an organization that fails is logged and
 * left for the next run without holding back the others, and a trace its spans cannot make valid is
 * logged as it is dropped. Answers how many were made.
 */
export async function makeOverdueTraces(db: Database, options: OverdueOptions): Promise<number> {
  const now = options.now ?? Date.now();
  const clock = options.clock ?? Date.now;
  const log = options.log ?? writeLog;
  const deadline = clock() + OVERDUE_BUDGET_MS;
  let count = 0;
  let after: OverdueCursor | undefined;
  for (;;) {
    const overdue = await overdueTraces(db, now - CONTENT_WAIT_MS, OVERDUE_PAGE, after);
    const last = overdue.at(-1);
    if (last === undefined) break;
    after = last;
    const byOrg = new Map<string, string[]>();
    for (const { orgId, traceId } of overdue) byOrg.set(orgId, [...(byOrg.get(orgId) ?? []), traceId]);
    for (const organization of await organizationsByIds(db, [...byOrg.keys()])) {
      const traceIds = byOrg.get(organization.id) ?? [];
      try {
        count += await makeOverdueOf(db, organization, traceIds, options, now, log);
      } catch (error) {
        log({
          level: "error",
          msg: "making an organization's overdue OTel traces failed; the next run tries again",
          org_id: organization.id,
          traces: traceIds.length,
          error: String(error),
        });
      }
    }
    if (overdue.length < OVERDUE_PAGE || clock() > deadline) break;
  }
  return count;
}

async function makeOverdueOf(
  db: Database,
  organization: IngestDeps["caller"]["organization"],
  traceIds: readonly string[],
  options: OverdueOptions,
  now: number,
  log: (event: Record<string, unknown>) => void,
): Promise<number> {
  const made = await findByClientIds(db, organization.id, traceIds);
  const settled = await settle(
    db,
    organization.id,
    traceIds.filter((id) => !made.has(id)),
    {},
    now,
  );
  settled.made.push(...made.keys());
  settled.items = await withinQuota(organization, settled.items, options.chargeQuota);
  await runBatch(db, settledStatements(db, organization.id, settled));
  const tooLarge = await makeSettled(options.depsFor(organization), settled, { messages: [] });
  for (const { traceId, reason } of [...settled.refused, ...tooLarge])
    log({
      level: "warn",
      msg: "dropped an OTel trace its spans cannot make valid or that is too large to store",
      org_id: organization.id,
      trace_id: traceId,
      reason,
    });
  return settled.items.length - tooLarge.length;
}

/** How long spans wait for their trace's root span before the scheduled sweep drops them. */
export const ORPHAN_SPAN_TTL_MS = 24 * 60 * 60_000;

/** Drops spans and log records whose trace was never made within ORPHAN_SPAN_TTL_MS; answers how many. */
export function dropOrphanSpans(db: Database, now = Date.now()): Promise<number> {
  return deleteOrphanSpans(db, now - ORPHAN_SPAN_TTL_MS);
}
