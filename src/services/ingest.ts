import { violatesUniqueKeyOn } from "../db/client";
import type { NewTraceRow, TraceStatus } from "../db/schema";
import { findByClientIds } from "../db/traces";
import { canonicalJson, redactTrace, routeDomain } from "../eval";
import { minhashSignature } from "../eval/similarity";
import type { Caller } from "../http/context";
import { hmacSha256Hex, sha256Hex } from "../lib/crypto";
import { newId } from "../lib/ids";
import { toolCallText } from "../lib/search-text";
import type { TraceInput } from "../schema/trace";
import { type CommitDeps, commitTraces } from "./trace-commit";

export interface IngestDeps extends CommitDeps {
  caller: Caller;
  /** Present when the organization pseudonymizes PHI: the key for its stable tokens. */
  signingKey?: string;
}

export type IngestOutcome =
  | { id: string; created: true; status: "queued" }
  | { id: string; created: false; status: TraceStatus };

/** Client-id races with a concurrent request are settled by re-reading; this bounds the retries. */
const MAX_CLIENT_ID_RACES = 3;

/**
 * Stores traces (already validated) for the caller's organization and hands the new ones to the
 * evaluation queue. Traces whose client id is already stored are not stored again. Outcomes are in
 * the order of `items`.
 */
export async function ingestTraces(deps: IngestDeps, items: readonly TraceInput[]): Promise<IngestOutcome[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeAndEnqueue(deps, items);
    } catch (error) {
      const clientIdRace = violatesUniqueKeyOn(error, "traces.client_id");
      if (!clientIdRace || attempt >= MAX_CLIENT_ID_RACES) throw error;
    }
  }
}

async function storeAndEnqueue(deps: IngestDeps, items: readonly TraceInput[]): Promise<IngestOutcome[]> {
  const { db, caller } = deps;
  const clientIds = [...new Set(items.flatMap((item) => (item.id === undefined ? [] : [item.id])))];
  const existing = clientIds.length > 0 ? await findByClientIds(db, caller.orgId, clientIds) : new Map();

  const now = Date.now();
  const orgSecret = await phiSecret(deps);
  const outcomes: IngestOutcome[] = [];
  const rows: NewTraceRow[] = [];
  const seenInRequest = new Map<string, string>();
  for (const item of items) {
    const stored = item.id === undefined ? undefined : (existing.get(item.id) ?? undefined);
    const earlier = item.id === undefined ? undefined : seenInRequest.get(item.id);
    if (stored) outcomes.push({ id: stored.id, created: false, status: stored.status });
    else if (earlier) outcomes.push({ id: earlier, created: false, status: "queued" });
    else {
      const row = await traceRow(caller, item, orgSecret, now);
      if (item.id !== undefined) seenInRequest.set(item.id, row.id);
      rows.push(row);
      outcomes.push({ id: row.id, created: true, status: "queued" });
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

/** The organization's key for stable PHI pseudonyms; empty unless it pseudonymizes. */
export async function phiSecret(deps: Pick<IngestDeps, "caller" | "signingKey">): Promise<string> {
  return deps.signingKey ? hmacSha256Hex(deps.signingKey, `phi:${deps.caller.orgId}`) : "";
}

async function traceRow(
  caller: Caller,
  input: TraceInput,
  orgSecret: string,
  now: number,
): Promise<NewTraceRow> {
  const { trace, redactions } = await redactTrace(
    input,
    caller.organization.settings.phi_redaction,
    orgSecret,
  );
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
    orgId: caller.orgId,
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
