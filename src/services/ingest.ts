import { type Database, violatesUniqueKeyOn } from "../db/client";
import type { NewTraceRow, OrganizationRow, TraceStatus } from "../db/schema";
import { findByClientIds, MAX_TRACE_ROW_BYTES, type OversizedRow, oversizedTraceRow } from "../db/traces";
import type { Env } from "../env";
import { canonicalJson, redactTrace, routeDomain, storedIdentifier } from "../eval";
import { identifierHoldsPhi, sourceRedactionRecords } from "../eval/phi";
import { minhashSignature } from "../eval/similarity";
import type { Caller } from "../http/context";
import { writeLog } from "../http/logging";
import { hmacSha256Hex, sha256Hex } from "../lib/crypto";
import { newId } from "../lib/ids";
import { toolCallText } from "../lib/search-text";
import { publishLiveEvents } from "../live/publisher";
import type { RedactionRecord, TraceInput } from "../schema/trace";
import { type CommitDeps, commitTraces } from "./trace-commit";

export interface IngestDeps extends CommitDeps {
  caller: Caller;
  /**
   * The key the organization's stable PHI tokens are derived from: required when it redacts PHI,
   * and used when it does not to find traces whose client id an earlier mode stored as its token.
   */
  signingKey?: string;
}

/** A trace too large to store as it would be stored (after redaction): the field that takes the most. */
export interface TooLarge {
  path: string;
  message: string;
  detail: string;
}

export type IngestOutcome =
  | { id: string; created: true; status: "queued" | "failed" }
  | { id: string; created: false; status: TraceStatus }
  | { id: null; created: false; tooLarge: TooLarge };

/**
 * A trace to store. `incomplete` marks one that cannot be evaluated (an OpenTelemetry trace whose
 * GenAI content never arrived): it is stored `failed` with that reason and not queued.
 */
export interface IngestItem {
  trace: TraceInput;
  incomplete?: string;
  /**
   * The redaction records of content the trace was made from that was stored redacted (OpenTelemetry
   * spans and log records): the placeholders they left in its texts are recorded as identifiers.
   */
  sourceRedactions?: readonly RedactionRecord[];
}

/** Client-id races with a concurrent request are settled by re-reading; this bounds the retries. */
const MAX_CLIENT_ID_RACES = 3;

/**
 * Stores traces (already validated) for the caller's organization and hands the new ones to the
 * evaluation queue. Traces whose client id is already stored are not stored again. Outcomes are in
 * the order of `items`.
 */
export async function ingestTraces(
  deps: IngestDeps,
  items: readonly (TraceInput | IngestItem)[],
): Promise<IngestOutcome[]> {
  const normalized = items.map((item): IngestItem => ("trace" in item ? item : { trace: item }));
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeAndEnqueue(deps, normalized);
    } catch (error) {
      const clientIdRace = violatesUniqueKeyOn(error, "traces.client_id");
      if (!clientIdRace || attempt >= MAX_CLIENT_ID_RACES) throw error;
    }
  }
}

async function storeAndEnqueue(deps: IngestDeps, items: readonly IngestItem[]): Promise<IngestOutcome[]> {
  const { db, caller } = deps;
  const mode = caller.organization.settings.phi_redaction;
  // Derived once, and only when something needs it: with redaction off, only a client id with PHI.
  let secret: Promise<string> | undefined;
  const orgSecret = () => {
    secret ??= phiSecret(deps);
    return secret;
  };
  // Redacted first: a client id that holds PHI is stored (and so looked up) as its token.
  const redacted = await Promise.all(
    items.map(async (item) => {
      const { trace, redactions } = await redactTrace(
        item.trace,
        mode,
        mode === "off" ? "" : await orgSecret(),
      );
      const forms = await clientIdForms(item.trace.id, trace.id, deps.signingKey ? orgSecret : undefined);
      const own = new Set(redactions.map((record) => record.field));
      const fromSources = sourceRedactionRecords(trace, item.sourceRedactions ?? []).filter(
        (record) => !own.has(record.field),
      );
      return { trace, redactions: [...redactions, ...fromSources], forms, incomplete: item.incomplete };
    }),
  );
  // Every form a client id may be stored in (as sent, as its token), all in one lookup: a resend
  // after a change of redaction mode still finds the trace.
  const clientIds = [...new Set(redacted.flatMap(({ forms }) => forms))];
  const existing = clientIds.length > 0 ? await findByClientIds(db, caller.orgId, clientIds) : new Map();

  const now = Date.now();
  const outcomes: IngestOutcome[] = [];
  const rows: NewTraceRow[] = [];
  const seenInRequest = new Map<string, string>();
  for (const { trace, redactions, forms, incomplete } of redacted) {
    const stored = forms.map((form) => existing.get(form)).find((row) => row !== undefined);
    const earlier = trace.id === undefined ? undefined : seenInRequest.get(trace.id);
    if (stored) outcomes.push({ id: stored.id, created: false, status: stored.status });
    else if (earlier) outcomes.push({ id: earlier, created: false, status: "queued" });
    else {
      const row = await traceRow(caller.orgId, trace, redactions, now);
      const tooLarge = oversizedTraceRow(row);
      if (tooLarge !== null) {
        // Refused alone, before anything is written: its neighbours in the request are stored.
        outcomes.push({ id: null, created: false, tooLarge: tooLargeProblem(tooLarge) });
        continue;
      }
      if (incomplete !== undefined) Object.assign(row, { status: "failed", error: incomplete });
      if (trace.id !== undefined) seenInRequest.set(trace.id, row.id);
      rows.push(row);
      outcomes.push({ id: row.id, created: true, status: incomplete === undefined ? "queued" : "failed" });
    }
  }
  if (rows.length === 0) return outcomes;

  await commitTraces(deps, {
    orgId: caller.orgId,
    rows,
    audit: {
      actor: caller.actor,
      action: rows.length === 1 ? "trace.ingested" : "traces.ingested",
      target: rows.length === 1 ? (rows[0]?.id ?? "") : `${rows.length} traces`,
      payload: {
        traces: rows.map((row) => ({ id: row.id, client_id: row.clientId, content_hash: row.contentHash })),
      },
    },
    at: now,
  });
  return outcomes;
}

/** What a trace too large to store is refused with, naming the field that takes the most of it. */
function tooLargeProblem({ bytes, field, fieldBytes }: OversizedRow): TooLarge {
  return {
    path: field,
    message: `takes ${fieldBytes} bytes as stored (after PHI redaction), the largest part of a trace of ${bytes} bytes`,
    detail: `The trace would be stored as ${bytes} bytes (after PHI redaction, with its search text and redaction records), over the ${MAX_TRACE_ROW_BYTES} a stored trace may have; its largest field is ${field}`,
  };
}

/**
 * The forms a client id may be stored in, the one this request stores first: as redaction left it
 * (`stored`: itself, or its token), and the other (the token an earlier redaction mode stored, or
 * the raw id an earlier "off" stored). Only an id that holds PHI has a token, so for almost every
 * trace this is the id alone, with no HMAC computed.
 */
async function clientIdForms(
  raw: string | undefined,
  stored: string | undefined,
  orgSecret: (() => Promise<string>) | undefined,
): Promise<string[]> {
  if (raw === undefined || stored === undefined) return [];
  if (stored !== raw) return [stored, raw];
  if (orgSecret === undefined || !identifierHoldsPhi(raw)) return [raw];
  return [raw, await storedIdentifier(raw, await orgSecret())];
}

/**
 * The organization's key for stable PHI tokens (pseudonyms, and identifier fields that hold PHI in
 * every mode); empty without a signing key (redaction off in a deployment that has none).
 */
export async function phiSecret(deps: Pick<IngestDeps, "caller" | "signingKey">): Promise<string> {
  return deps.signingKey ? hmacSha256Hex(deps.signingKey, `phi:${deps.caller.orgId}`) : "";
}

/**
 * The forms a client's own identifier (its trace id, session or model) may be stored in: as sent,
 * and, when it holds PHI, as the organization's token for it (src/eval/phi.ts storedIdentifier).
 */
export async function identifierForms(
  deps: Pick<IngestDeps, "caller" | "signingKey">,
  raw: string,
): Promise<string[]> {
  const secret = await phiSecret(deps);
  if (secret === "") return [raw];
  const stored = await storedIdentifier(raw, secret);
  return stored === raw ? [raw] : [raw, stored];
}

/** List filters on identifiers, widened to every form they may be stored in. */
export async function identifierFilters<F extends { model?: string; session_id?: string }>(
  deps: Pick<IngestDeps, "caller" | "signingKey">,
  { model, session_id, ...rest }: F,
): Promise<Omit<F, "model" | "session_id"> & { model?: string[]; session_id?: string[] }> {
  return {
    ...rest,
    ...(model === undefined ? {} : { model: await identifierForms(deps, model) }),
    ...(session_id === undefined ? {} : { session_id: await identifierForms(deps, session_id) }),
  };
}

/** A trace row from a trace the organization's PHI policy has already been applied to. */
async function traceRow(
  orgId: string,
  trace: TraceInput,
  redactions: RedactionRecord[],
  now: number,
): Promise<NewTraceRow> {
  const {
    id: clientId,
    domain,
    application_type,
    application_id,
    model,
    input: text,
    output,
    session_id,
    user_id,
    usage,
    latency_ms,
    cost_usd,
    timestamp,
    ...payload
  } = trace;
  return {
    id: newId("trc", now),
    orgId,
    clientId: clientId ?? null,
    domain: routeDomain({ domain, application_type }),
    applicationType: application_type ?? null,
    applicationId: application_id ?? null,
    model: model ?? null,
    input: text,
    output,
    sessionId: session_id ?? null,
    userId: user_id ?? null,
    payload,
    redactions,
    inputTokens: usage?.input_tokens ?? null,
    outputTokens: usage?.output_tokens ?? null,
    latencyMs: latency_ms ?? null,
    costUsd: cost_usd ?? null,
    timestamp: timestamp === undefined ? null : Date.parse(timestamp),
    status: "queued",
    error: null,
    contentHash: await sha256Hex(canonicalJson(trace)),
    createdAt: now,
    updatedAt: now,
    enqueuedAt: now,
    // Derived from the redacted trace: search and similarity never see what redaction removed.
    toolText: toolCallText(payload.tool_calls),
    minhash: minhashSignature(output),
  };
}

/**
 * Ingestion dependencies for work no request asks for (the scheduled sweep making OTel traces that
 * waited for their content): the organization's own policy, audited as the system.
 */
export function systemIngestDeps(
  env: Pick<Env, "EVAL_QUEUE" | "ORG_HUB" | "SIGNING_KEY">,
  ctx: Pick<ExecutionContext, "waitUntil">,
  db: Database,
  organization: OrganizationRow,
): IngestDeps {
  return {
    db,
    queue: env.EVAL_QUEUE,
    caller: {
      orgId: organization.id,
      keyId: "",
      scopes: [],
      organization,
      keyRateLimitPerMinute: null,
      actor: "system:otlp",
    },
    signingKey: env.SIGNING_KEY || undefined,
    log: writeLog,
    waitUntil: (promise) => ctx.waitUntil(promise),
    announce: (events) => ctx.waitUntil(publishLiveEvents(env.ORG_HUB, events)),
  };
}
