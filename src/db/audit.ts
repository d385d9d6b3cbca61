import { and, asc, desc, eq, gt, lt } from "drizzle-orm";
import { canonicalJson } from "../eval";
import { sha256Hex } from "../lib/crypto";
import { type Database, isUniqueViolation, type Statement } from "./client";
import { type AuditEventRow, auditEvents } from "./schema";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  payload: unknown;
}

/** The hash that chains one event to the previous: over every stored field but the hash itself. */
async function eventHash(row: Omit<AuditEventRow, "hash" | "payload">): Promise<string> {
  return sha256Hex(
    canonicalJson({
      org_id: row.orgId,
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      action: row.action,
      target: row.target,
      payload_hash: row.payloadHash,
      prev_hash: row.prevHash,
    }),
  );
}

interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The head this isolate last appended to each organization's chain, so that an append does not read
 * it back from D1. Another isolate's append makes it stale; the next append here then collides on
 * (org_id, seq), which drops it (withAuditChain) before the write is retried against a fresh read.
 */
const knownHeads = new Map<string, ChainHead>();
/**
 * Heads that statements built inside withAuditChain would leave, before their batch has run: the
 * next auditStatements call for the same organization chains on from there, and withAuditChain makes
 * them known once the write succeeds.
 */
const proposedHeads = new Map<string, ChainHead>();

async function chainHead(db: Database, orgId: string): Promise<ChainHead> {
  const [head] = await db
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return head ?? { seq: 0, hash: GENESIS_HASH };
}

/**
 * Builds the insert statements that append `entries` to the organization's chain. The caller puts
 * them in the same db.batch as the change they record, so both land or neither does.
 */
export async function auditStatements(
  db: Database,
  orgId: string,
  entries: readonly AuditEntry[],
  at = Date.now(),
): Promise<Statement[]> {
  let { seq, hash } = proposedHeads.get(orgId) ?? knownHeads.get(orgId) ?? (await chainHead(db, orgId));
  const rows: AuditEventRow[] = [];
  for (const entry of entries) {
    const payload = canonicalJson(entry.payload);
    const base = {
      orgId,
      seq: seq + 1,
      at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      payloadHash: await sha256Hex(payload),
      prevHash: hash,
    };
    const row = { ...base, payload, hash: await eventHash(base) };
    rows.push(row);
    seq = row.seq;
    hash = row.hash;
  }
  proposedHeads.set(orgId, { seq, hash });
  return rows.map((row) => db.insert(auditEvents).values(row));
}

/**
 * Appends to one organization's chain are serial by design. Writers that lose a race back off with
 * full jitter (exponential, capped) so that a burst of concurrent writers drains instead of
 * colliding again in lockstep; the cap on attempts only ends a pathological storm.
 */
const MAX_CHAIN_ATTEMPTS = 40;
const CHAIN_BACKOFF_BASE_MS = 4;
const CHAIN_BACKOFF_CAP_MS = 250;

/**
 * Organizations whose chain a request in this isolate is appending to, with when it started. Writers
 * in the same isolate take turns instead of colliding; they wait by polling their own timers (never
 * by awaiting another request's promise, which Workers do not allow). A holder whose request died
 * without releasing is presumed gone after CHAIN_HOLD_TTL_MS.
 */
const chainHolders = new Map<string, number>();
const CHAIN_HOLD_TTL_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function takeTurn(orgId: string): Promise<() => void> {
  for (let polls = 0; ; polls++) {
    const since = chainHolders.get(orgId);
    if (since === undefined || Date.now() - since > CHAIN_HOLD_TTL_MS) break;
    await sleep(polls < 20 ? 1 : 5);
  }
  const mine = Date.now();
  chainHolders.set(orgId, mine);
  return () => {
    if (chainHolders.get(orgId) === mine) chainHolders.delete(orgId);
  };
}

/**
 * Runs a write that appends to the audit chains of one or more organizations. Two writers that build
 * on the same chain head collide on the (org_id, seq) key and the loser's whole batch rolls back; it
 * then rebuilds against the new head. Within an isolate writers take turns, so collisions come only
 * from other isolates. `alsoRetryOnTable` names a table whose key the write derives from a read the
 * same way.
 */
export async function withAuditChain<T>(
  orgIds: string | readonly string[],
  write: () => Promise<T>,
  alsoRetryOnTable?: string,
): Promise<T> {
  // A fixed order, so that two writers that both span several organizations never wait on each other.
  const orgs = [...new Set(typeof orgIds === "string" ? [orgIds] : orgIds)].sort();
  for (let attempt = 1; ; attempt++) {
    const releases: (() => void)[] = [];
    for (const orgId of orgs) releases.push(await takeTurn(orgId));
    for (const orgId of orgs) proposedHeads.delete(orgId);
    try {
      const result = await write();
      for (const orgId of orgs) {
        const head = proposedHeads.get(orgId);
        if (head) knownHeads.set(orgId, head);
      }
      return result;
    } catch (error) {
      for (const orgId of orgs) knownHeads.delete(orgId);
      const text = errorText(error);
      const collision =
        isUniqueViolation(error) &&
        (text.includes("audit_events") ||
          (alsoRetryOnTable !== undefined && text.includes(alsoRetryOnTable)));
      if (!collision || attempt >= MAX_CHAIN_ATTEMPTS) throw error;
    } finally {
      for (const orgId of orgs) proposedHeads.delete(orgId);
      for (const release of releases) release();
    }
    const ceiling = Math.min(CHAIN_BACKOFF_CAP_MS, CHAIN_BACKOFF_BASE_MS * 2 ** attempt);
    await sleep(Math.random() * ceiling);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error);
}

export function auditEventView(row: AuditEventRow) {
  return {
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target,
    payload: JSON.parse(row.payload) as unknown,
    payload_hash: row.payloadHash,
    prev_hash: row.prevHash,
    hash: row.hash,
  };
}

/** Newest first; `beforeSeq` continues a previous page. */
export async function listAuditEvents(
  db: Database,
  orgId: string,
  limit: number,
  beforeSeq?: number,
): Promise<AuditEventRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(
      beforeSeq === undefined
        ? eq(auditEvents.orgId, orgId)
        : and(eq(auditEvents.orgId, orgId), lt(auditEvents.seq, beforeSeq)),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
}

export type ChainVerification =
  | { valid: true; events: number }
  | { valid: false; events: number; broken_at: number; reason: string };

const VERIFY_PAGE = 500;

/** Recomputes every payload hash and link of the organization's chain, oldest first. */
export async function verifyAuditChain(db: Database, orgId: string): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, orgId), gt(auditEvents.seq, expectedSeq - 1)))
      .orderBy(asc(auditEvents.seq))
      .limit(VERIFY_PAGE);
    for (const row of page) {
      const broken = (reason: string): ChainVerification => ({
        valid: false,
        events: expectedSeq - 1,
        broken_at: row.seq,
        reason,
      });
      if (row.seq !== expectedSeq) return broken(`sequence gap: expected ${expectedSeq}, found ${row.seq}`);
      if (row.prevHash !== prevHash) return broken("prev_hash does not match the previous event's hash");
      if ((await sha256Hex(row.payload)) !== row.payloadHash)
        return broken("payload does not match its payload_hash");
      if ((await eventHash(row)) !== row.hash) return broken("hash does not match the event's contents");
      prevHash = row.hash;
      expectedSeq++;
    }
    if (page.length < VERIFY_PAGE) return { valid: true, events: expectedSeq - 1 };
  }
}
