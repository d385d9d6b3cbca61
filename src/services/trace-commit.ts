import { type AuditEntry, auditStatements, withAuditChain } from "../db/audit";
import { type Database, runBatch, type Statement } from "../db/client";
import type { NewTraceRow } from "../db/schema";
import { insertTraceStatements } from "../db/traces";
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
}

/**
 * Group commit. Concurrent ingestion requests in this isolate, of any organization, share one D1
 * batch (their traces and audit events) and one queue send, instead of paying both round trips each.
 * A request that finds no flush running flushes everything waiting, itself included; the others poll
 * their own timers until their write is settled, because a Worker may not await a promise that
 * another request resolves. An idle isolate flushes a lone request at once, so nothing waits for
 * company.
 */
const waiting: PendingWrite[] = [];
let flushStartedAt: number | null = null;

/** A flush is bounded so that its batch stays well inside D1's limits and its latency stays short. */
const MAX_GROUP_WRITES = 32;
const MAX_GROUP_TRACES = 250;
/** A flush that has not settled by now belongs to a request that died; its writes report failure. */
const FLUSH_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stores the write's traces and audit event atomically, then queues the traces for evaluation. */
export async function commitTraces(deps: CommitDeps, write: TraceWrite): Promise<void> {
  const pending: PendingWrite = { write, state: "waiting" };
  waiting.push(pending);
  const deadline = Date.now() + FLUSH_TIMEOUT_MS;
  for (let polls = 0; pending.state === "waiting"; polls++) {
    if (flushStartedAt !== null && Date.now() - flushStartedAt > FLUSH_TIMEOUT_MS) flushStartedAt = null;
    if (flushStartedAt === null) {
      flushStartedAt = Date.now();
      const flush = flushGroup(deps, takeGroup()).finally(() => {
        flushStartedAt = null;
      });
      deps.waitUntil(flush);
      await flush;
    } else if (Date.now() > deadline) {
      const index = waiting.indexOf(pending);
      if (index >= 0) waiting.splice(index, 1);
      throw new Error(`the trace write was not confirmed within ${FLUSH_TIMEOUT_MS} ms`);
    } else {
      await sleep(polls < 8 ? 1 : 4);
    }
  }
  if (pending.state === "alone") return commitAlone(deps, write);
  if (pending.state !== "committed") throw pending.state.error;
}

function takeGroup(): PendingWrite[] {
  let traces = 0;
  let count = 0;
  for (const { write } of waiting) {
    if (count === MAX_GROUP_WRITES || (count > 0 && traces + write.rows.length > MAX_GROUP_TRACES)) break;
    traces += write.rows.length;
    count++;
  }
  return waiting.splice(0, count);
}

async function commitAlone(deps: CommitDeps, write: TraceWrite): Promise<void> {
  const pending: PendingWrite = { write, state: "waiting" };
  await flushGroup(deps, [pending]);
  if (pending.state !== "committed") throw (pending.state as { error: unknown }).error;
}

async function flushGroup(deps: CommitDeps, group: PendingWrite[]): Promise<void> {
  const { db } = deps;
  if (group.length === 0) return;
  try {
    await withAuditChain(
      group.map(({ write }) => write.orgId),
      async () => {
        const statements: Statement[] = [];
        for (const { write } of group) {
          statements.push(
            ...insertTraceStatements(db, write.rows),
            ...(await auditStatements(db, write.orgId, [write.audit], write.at)),
          );
        }
        await runBatch(db, statements);
      },
    );
  } catch (error) {
    // One write can fail the whole batch (a client id stored meanwhile by another request); each
    // write then goes again on its own, so the others are stored and the failing one gets its error.
    for (const pending of group) pending.state = group.length === 1 ? { error } : "alone";
    return;
  }
  const messages = group.flatMap(({ write }) =>
    write.rows.map((row) => ({ trace_id: row.id, org_id: write.orgId })),
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
