import { type AuditEntry, withAuditChain } from "../db/audit";
import { type Database, runBatch, type Statement } from "../db/client";
import type { NewTraceRow } from "../db/schema";
import { insertTraceStatements, storedTraceIds } from "../db/traces";
import { sleep } from "../lib/sleep";
import { type OrgLiveEvent, traceReceivedEvents } from "../live/publisher";
import type { EvaluationMessage } from "../queue/messages";
import { enqueueEvaluations } from "../queue/producer";

/** One ingestion request's new traces and the audit event that records them. */
export interface TraceWrite {
  orgId: string;
  rows: readonly NewTraceRow[];
  audit: AuditEntry;
  at: number;
}

export interface CommitDeps {
  db: Database;
  queue: Queue<EvaluationMessage>;
  log: (event: Record<string, unknown>) => void;
  /** Keeps a shared flush running to its end even if the request that leads it goes away. */
  waitUntil: (promise: Promise<unknown>) => void;
  /** Sends live-feed events after the response, never failing or delaying the write. */
  announce: (events: OrgLiveEvent[]) => void;
}

type CommitState = "waiting" | "committed" | "alone" | { error: unknown };

interface PendingWrite {
  write: TraceWrite;
  state: CommitState;
  /** When the request that owns the write last looked at it: a request that stopped is gone. */
  polledAt: number;
}

/**
 * Group commit. Concurrent ingestion requests in this isolate, of any organization, share one D1
 * batch (their traces and audit events) and one queue send, instead of paying both round trips each.
 * A request that finds no flush running leads one: its own write and whatever else is waiting. The
 * others poll their own timers until their write is settled, because a Worker may not await a
 * promise that another request resolves. An idle isolate flushes a lone request at once, so nothing
 * waits for company.
 */
const waiting: PendingWrite[] = [];
/** The flush in progress; a flush clears it only if it is still its own (see STALE_FLUSH_MS). */
let current: { startedAt: number } | null = null;

/** A flush is bounded so that its batch stays well inside D1's limits and its latency stays short. */
const MAX_GROUP_WRITES = 32;
const MAX_GROUP_TRACES = 250;
const MAX_GROUP_TEXT_CHARS = 4_000_000;
/** A waiting write whose request has not polled for this long was abandoned (the client went away). */
const ABANDONED_MS = 5_000;
/** A flush still running after this long belongs to a request that died; others may flush again. */
const STALE_FLUSH_MS = 30_000;
/** How long a request waits for its write before answering that the outcome is unknown. */
const COMMIT_TIMEOUT_MS = 45_000;

/** Stores the write's traces and audit event atomically, then queues the traces for evaluation. */
export async function commitTraces(deps: CommitDeps, write: TraceWrite): Promise<void> {
  const pending: PendingWrite = { write, state: "waiting", polledAt: Date.now() };
  waiting.push(pending);
  const deadline = pending.polledAt + COMMIT_TIMEOUT_MS;
  for (let polls = 0; pending.state === "waiting"; polls++) {
    const now = Date.now();
    pending.polledAt = now;
    if (current !== null && now - current.startedAt > STALE_FLUSH_MS) current = null;
    const queued = waiting.includes(pending);
    if (current === null && queued) {
      const flush = { startedAt: now };
      current = flush;
      const run = flushGroup(deps, takeGroup(pending)).finally(() => {
        if (current === flush) current = null;
      });
      deps.waitUntil(run);
      await run;
    } else if (now > deadline) {
      if (queued) {
        waiting.splice(waiting.indexOf(pending), 1);
        throw new Error(
          `the traces were not written: no flush could take them within ${COMMIT_TIMEOUT_MS} ms`,
        );
      }
      // Its flush has not settled: the traces may or may not be stored. A retry stores them again
      // unless they carry the client's own ids, which make it find them instead.
      throw new Error(
        `the write did not finish within ${COMMIT_TIMEOUT_MS} ms and may or may not be stored; retry with the traces' own ids so that a stored one is found, not stored twice`,
      );
    } else {
      await sleep(polls < 8 ? 1 : 4);
    }
  }
  if (pending.state === "alone") return commitAlone(deps, write);
  if (pending.state !== "committed") throw pending.state.error;
}

/**
 * The leader's write first, then the oldest others that fit. Writes whose request went away are
 * dropped (nobody acknowledged them). A write that repeats a client id already in the group waits for
 * the next flush, since the two could never land in one batch.
 */
function takeGroup(leader: PendingWrite): PendingWrite[] {
  const now = Date.now();
  const group: PendingWrite[] = [];
  const clientIds = new Set<string>();
  let traces = 0;
  let chars = 0;
  const candidates = [leader, ...waiting.filter((p) => p !== leader)];
  for (const pending of candidates) {
    if (pending !== leader && now - pending.polledAt > ABANDONED_MS) {
      waiting.splice(waiting.indexOf(pending), 1);
      pending.state = { error: new Error("the request was abandoned before its traces were written") };
      continue;
    }
    const { rows, orgId } = pending.write;
    const ids = rows.flatMap((row) => (row.clientId ? [`${orgId} ${row.clientId}`] : []));
    const size = rows.reduce((sum, row) => sum + row.input.length + row.output.length, 0);
    const fits =
      group.length === 0 ||
      (group.length < MAX_GROUP_WRITES &&
        traces + rows.length <= MAX_GROUP_TRACES &&
        chars + size <= MAX_GROUP_TEXT_CHARS &&
        !ids.some((id) => clientIds.has(id)));
    if (!fits) continue;
    group.push(pending);
    waiting.splice(waiting.indexOf(pending), 1);
    for (const id of ids) clientIds.add(id);
    traces += rows.length;
    chars += size;
  }
  return group;
}

async function commitAlone(deps: CommitDeps, write: TraceWrite): Promise<void> {
  const pending: PendingWrite = { write, state: "waiting", polledAt: Date.now() };
  await flushGroup(deps, [pending]);
  if (pending.state !== "committed") throw (pending.state as { error: unknown }).error;
}

async function flushGroup(deps: CommitDeps, group: PendingWrite[]): Promise<void> {
  const { db } = deps;
  try {
    await withAuditChain(
      db,
      group.map(({ write }) => write.orgId),
      async (chain) => {
        const statements: Statement[] = [];
        for (const { write } of group) {
          statements.push(
            ...insertTraceStatements(db, write.rows),
            ...(await chain.statements(write.orgId, [write.audit], write.at)),
          );
        }
        await runBatch(db, statements);
      },
      // A group retries nothing itself: its writes retry alone, each with its own backoff.
      { attempts: group.length === 1 ? undefined : 1 },
    );
  } catch (error) {
    if (group.length > 1) {
      // One write can fail the whole batch (a client id stored meanwhile, a chain another isolate
      // moved on): each write then goes again on its own, so the others are stored and only the
      // failing one gets its error.
      for (const pending of group) pending.state = "alone";
      return;
    }
    // A lone write found stored after all (its batch's reply was lost) goes on to be queued.
    const [only] = group;
    if (only && !(await alreadyStored(db, only.write))) {
      only.state = { error };
      return;
    }
  }
  // A trace stored as failed (it had nothing to evaluate) is not queued.
  const messages = group.flatMap(({ write }) =>
    write.rows
      .filter((row) => row.status === "queued")
      .map((row) => ({ trace_id: row.id, org_id: write.orgId })),
  );
  try {
    await enqueueEvaluations(deps.queue, messages);
  } catch (error) {
    // The traces are stored and stay `queued`: the scheduled sweep re-sends them.
    deps.log({
      level: "warn",
      msg: "queue send failed; left for the sweep",
      error: String(error),
      count: messages.length,
    });
  }
  for (const pending of group) pending.state = "committed";
  // One publish per organization in the group, however many requests it joined.
  deps.announce(group.flatMap(({ write }) => traceReceivedEvents(write.orgId, write.rows)));
}

/**
 * Whether a write whose batch failed is stored all the same: a batch whose reply was lost may have
 * committed, and then the traces, with the audit event stored atomically with them, are there. The
 * write's trace ids are fresh random ids, so finding them means this write stored them.
 */
async function alreadyStored(db: Database, write: TraceWrite): Promise<boolean> {
  try {
    const ids = write.rows.map((row) => row.id);
    return (await storedTraceIds(db, write.orgId, ids)).size === ids.length;
  } catch {
    return false;
  }
}
