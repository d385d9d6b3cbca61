import { type Database, violatesUniqueKeyOn } from "../db/client";
import type { NewTraceRow, OrganizationRow, TraceStatus } from "../db/schema";
import { findByClientIds } from "../db/traces";
import type { Env } from "../env";
import { canonicalJson, redactTrace, routeDomain, storedIdentifier } from "../eval";
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
  /** Present when the organization redacts PHI: the key its stable tokens are derived from. */
  signingKey?: string;
}

export type IngestOutcome =
  | { id: string; created: true; status: "queued" | "failed" }
  | { id: string; created: false; status: TraceStatus };

/**
 * A trace to store. `incomplete` marks one that cannot be evaluated (an OpenTelemetry trace whose
 * GenAI content never arrived): it is stored `failed` with that reason and not queued.
 */
export interface IngestItem {
  trace: TraceInput;
  incomplete?: string;
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
  const orgSecret = await phiSecret(deps);
  // Redacted first: a client id that holds PHI is stored (and so looked up) as its token.
  const redacted = await Promise.all(
    items.map(async (item) => ({
      ...(await redactTrace(item.trace, caller.organization.settings.phi_redaction, orgSecret)),
      incomplete: item.incomplete,
    })),
  );
  const clientIds = [...new Set(redacted.flatMap(({ trace }) => (trace.id === undefined ? [] : [trace.id])))];
  const existing = clientIds.length > 0 ? await findByClientIds(db, caller.orgId, clientIds) : new Map();

  const now = Date.now();
  const outcomes: IngestOutcome[] = [];
  const rows: NewTraceRow[] = [];
  const seenInRequest = new Map<string, string>();
  for (const { trace, redactions, incomplete } of redacted) {
    const stored = trace.id === undefined ? undefined : (existing.get(trace.id) ?? undefined);
    const earlier = trace.id === undefined ? undefined : seenInRequest.get(trace.id);
    if (stored) outcomes.push({ id: stored.id, created: false, status: stored.status });
    else if (earlier) outcomes.push({ id: earlier, created: false, status: "queued" });
    else {
      const row = await traceRow(caller.orgId, trace, redactions, now);
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

/**
 * The organization's key for stable PHI tokens (pseudonyms, and identifier fields that hold PHI in
 * every mode); empty when redaction is off, since nothing is then replaced.
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
    signingKey: organization.settings.phi_redaction === "off" ? undefined : env.SIGNING_KEY,
    log: writeLog,
    waitUntil: (promise) => ctx.waitUntil(promise),
    announce: (events) => ctx.waitUntil(publishLiveEvents(env.ORG_HUB, events)),
  };
}
