import { and, asc, desc, eq, gt, inArray, lt, max } from "drizzle-orm";
import { canonicalJson } from "../eval";
import { sha256Hex } from "../lib/crypto";
import { sleep } from "../lib/sleep";
import {
  chunk,
  D1_MAX_PARAMS,
  type Database,
  errorText,
  type Statement,
  violatesUniqueKeyOn,
} from "./client";
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
 * The head this isolate last appended to each organization's chain, so that an append need not read
 * it back from D1. Another isolate's append makes it stale; the next append here then fails (on the
 * (org_id, seq) key, or on the chain guard trigger of migration 0005 when it would not link to the
 * stored head), the batch rolls back, and withAuditChain retries against a fresh read. An
 * organization that collided recently is read fresh for a while, since other isolates write to it.
 */
const knownHeads = new Map<string, ChainHead>();
/** What the chain guard trigger of migrations/0005_audit_chain_guard.sql aborts with. */
const CHAIN_GUARD_MESSAGE = "the event does not follow the chain head";
const contendedUntil = new Map<string, number>();
const CONTENDED_MS = 10_000;
/** Bounds the cache for an isolate that serves very many organizations. */
const MAX_KNOWN_HEADS = 10_000;

async function storedHeads(db: Database, orgIds: readonly string[]): Promise<Map<string, ChainHead>> {
  const heads = new Map<string, ChainHead>();
  for (const ids of chunk(orgIds, D1_MAX_PARAMS)) {
    // SQLite returns the other columns of the row that holds max(seq).
    const rows = await db
      .select({ orgId: auditEvents.orgId, seq: max(auditEvents.seq), hash: auditEvents.hash })
      .from(auditEvents)
      .where(inArray(auditEvents.orgId, ids))
      .groupBy(auditEvents.orgId);
    for (const row of rows) if (row.seq !== null) heads.set(row.orgId, { seq: row.seq, hash: row.hash });
  }
  return heads;
}

/** Builds the statements of one write that appends to audit chains; see withAuditChain. */
export interface AuditChain {
  /**
   * The insert statements that append `entries` to the organization's chain, after whatever this
   * write appended to it already. The caller puts them in the same db.batch as the change they
   * record, so both land or neither does.
   */
  statements(orgId: string, entries: readonly AuditEntry[], at?: number): Promise<Statement[]>;
}

async function eventRows(head: ChainHead, orgId: string, entries: readonly AuditEntry[], at: number) {
  let { seq, hash } = head;
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
  return { rows, head: { seq, hash } };
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
 * without releasing is presumed gone after CHAIN_HOLD_TTL_MS; should it still be alive, its head is
 * not cached, and the chain guard keeps two writers from ever forking the chain.
 */
const chainHolders = new Map<string, { since: number }>();
const CHAIN_HOLD_TTL_MS = 5_000;

async function takeTurn(orgId: string): Promise<{ holds: () => boolean; release: () => void }> {
  for (let polls = 0; ; polls++) {
    const holder = chainHolders.get(orgId);
    if (holder === undefined || Date.now() - holder.since > CHAIN_HOLD_TTL_MS) break;
    await sleep(polls < 20 ? 1 : 5);
  }
  // An object of its own: two turns taken in the same millisecond must not pass for each other.
  const mine = { since: Date.now() };
  chainHolders.set(orgId, mine);
  const holds = () => chainHolders.get(orgId) === mine;
  return {
    holds,
    release: () => {
      if (holds()) chainHolders.delete(orgId);
    },
  };
}

export interface AuditChainOptions {
  /** A table whose key the write derives from a read the way it derives the chain's. */
  alsoRetryOnTable?: string;
  /** Attempts before a collision is thrown to the caller (default MAX_CHAIN_ATTEMPTS). */
  attempts?: number;
}

/**
 * Runs a write that appends to the audit chains of one or more organizations. Two writers that build
 * on the same chain head collide (the (org_id, seq) key, or the chain guard) and the loser's whole
 * batch rolls back; it then rebuilds against the new head. Within an isolate writers take turns, so
 * collisions come only from other isolates.
 */
export async function withAuditChain<T>(
  db: Database,
  orgIds: string | readonly string[],
  write: (chain: AuditChain) => Promise<T>,
  options: AuditChainOptions = {},
): Promise<T> {
  const { alsoRetryOnTable, attempts = MAX_CHAIN_ATTEMPTS } = options;
  // A fixed order, so that two writers that both span several organizations cannot deadlock.
  const orgs = [...new Set(typeof orgIds === "string" ? [orgIds] : orgIds)].sort();
  for (let attempt = 1; ; attempt++) {
    const turns: Awaited<ReturnType<typeof takeTurn>>[] = [];
    for (const orgId of orgs) turns.push(await takeTurn(orgId));
    // Heads as this write builds on them: the cache where it is trusted, one D1 read for the rest.
    const now = Date.now();
    const heads = new Map<string, ChainHead>();
    let unread: string[] = [];
    for (const orgId of orgs) {
      const known = (contendedUntil.get(orgId) ?? 0) > now ? undefined : knownHeads.get(orgId);
      if (known) heads.set(orgId, known);
      else unread.push(orgId);
    }
    const appended = new Set<string>();
    const chain: AuditChain = {
      statements: async (orgId, entries, at = Date.now()) => {
        if (!orgs.includes(orgId)) throw new Error(`no turn taken on the audit chain of ${orgId}`);
        if (unread.length > 0) {
          const stored = await storedHeads(db, unread);
          for (const id of unread) heads.set(id, stored.get(id) ?? { seq: 0, hash: GENESIS_HASH });
          unread = [];
        }
        const built = await eventRows(heads.get(orgId) ?? { seq: 0, hash: GENESIS_HASH }, orgId, entries, at);
        heads.set(orgId, built.head);
        appended.add(orgId);
        return built.rows.map((row) => db.insert(auditEvents).values(row));
      },
    };
    try {
      const result = await write(chain);
      orgs.forEach((orgId, i) => {
        const head = heads.get(orgId);
        if (!appended.has(orgId) || !head) return;
        // A writer that outlived its turn may have been overtaken: it does not vouch for the head.
        if (turns[i]?.holds()) rememberHead(orgId, head);
        else knownHeads.delete(orgId);
      });
      return result;
    } catch (error) {
      for (const orgId of orgs) knownHeads.delete(orgId);
      const chainCollision =
        violatesUniqueKeyOn(error, "audit_events.") || errorText(error).includes(CHAIN_GUARD_MESSAGE);
      if (chainCollision) for (const orgId of orgs) contendedUntil.set(orgId, Date.now() + CONTENDED_MS);
      const collision =
        chainCollision ||
        (alsoRetryOnTable !== undefined && violatesUniqueKeyOn(error, `${alsoRetryOnTable}.`));
      if (!collision || attempt >= attempts) throw error;
    } finally {
      for (const turn of turns) turn.release();
    }
    const ceiling = Math.min(CHAIN_BACKOFF_CAP_MS, CHAIN_BACKOFF_BASE_MS * 2 ** attempt);
    await sleep(Math.random() * ceiling);
  }
}

function rememberHead(orgId: string, head: ChainHead): void {
  knownHeads.delete(orgId);
  if (knownHeads.size >= MAX_KNOWN_HEADS) knownHeads.delete(knownHeads.keys().next().value ?? "");
  knownHeads.set(orgId, head);
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
