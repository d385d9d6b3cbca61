import type { Database } from "../db/client";
import { claimStaleTraces } from "../db/sweep";
import { readQueueProgress } from "../db/traces";
import { EVALUATION_QUEUE, type EvaluationMessage } from "../queue/messages";
import { enqueueEvaluations } from "../queue/producer";

/**
 * With the consumer idle, a hand-off this old that nothing picked up was lost (a failed send, a
 * crash): the queue delivers a message within its 2 s batch window.
 */
export const LOST_WHEN_IDLE_MS = 10_000;
/** At an isolate's start, a hand-off this long before it that an idle consumer never picked up was lost. */
export const ISOLATE_START_MARGIN_MS = 5_000;
/** With the consumer busy, a hand-off it moved past by this much (or this old) was lost. */
export const STALE_QUEUED_MS = 30_000;
/** A consumer that picked nothing up for this long is idle: nothing it has not taken is coming to it. */
export const CONSUMER_IDLE_MS = 30_000;
/** How long a trace may wait behind a busy consumer before it is re-sent anyway. */
export const BACKLOG_PATIENCE_MS = 5 * 60_000;
/** Longer than a queue consumer may run (15 minutes of wall time), so a live one is never raced. */
export const STUCK_EVALUATING_MS = 30 * 60_000;
const SWEEP_PAGE = 1_000;
/** One run stops paging after this long, well inside a scheduled handler's limits; the next goes on. */
const SWEEP_BUDGET_MS = 20_000;

/**
 * Until when a `queued` trace counts as lost. With the consumer idle, any hand-off older than
 * LOST_WHEN_IDLE_MS. With it busy, only one it has moved past (it picked up messages handed off more
 * than STALE_QUEUED_MS later), or one that has waited BACKLOG_PATIENCE_MS: a trace that is only
 * waiting in a backlog is not sent a second time every minute.
 */
function lostBefore(
  now: number,
  progress: { newestEnqueuedAt: number; handledAt: number } | undefined,
  isolateStartedAt: number | undefined,
) {
  const busy = progress !== undefined && progress.handledAt > now - CONSUMER_IDLE_MS;
  if (!busy) {
    // An isolate that has just started after a crash knows more: what an idle queue still holds from
    // before it started, it would have delivered by now.
    const beforeStart = isolateStartedAt === undefined ? 0 : isolateStartedAt - ISOLATE_START_MARGIN_MS;
    return Math.max(now - LOST_WHEN_IDLE_MS, beforeStart);
  }
  return Math.max(
    now - BACKLOG_PATIENCE_MS,
    Math.min(now - STALE_QUEUED_MS, progress.newestEnqueuedAt - STALE_QUEUED_MS),
  );
}

/**
 * Re-sends every trace whose hand-off to the queue was lost: still `queued` (see lostBefore), or
 * still `evaluating` for longer than STUCK_EVALUATING_MS (its consumer died). Each page is claimed
 * before it is sent (its hand-off recorded as now, in one statement), so sweeps running at once in
 * several isolates never send the same trace twice; a send that fails leaves its page claimed, for
 * the next sweep to find once it is stale again. Pages go out one after another until none is left
 * or SWEEP_BUDGET_MS has passed; the next run goes on from there. A trace that was only slow may
 * still be sent twice; the consumer stores one evaluation per (trace, pipeline version) either way.
 * Answers how many were re-sent.
 */
export async function resendStaleTraces(
  db: Database,
  queue: Queue<EvaluationMessage>,
  now = Date.now(),
  options: { isolateStartedAt?: number; clock?: () => number } = {},
): Promise<number> {
  const clock = options.clock ?? Date.now;
  const queuedBefore = lostBefore(
    now,
    await readQueueProgress(db, EVALUATION_QUEUE),
    options.isolateStartedAt,
  );
  const deadline = clock() + SWEEP_BUDGET_MS;
  let resent = 0;
  for (;;) {
    // Claimed traces move out of the window (their hand-off is now), so the next page is the next one.
    const claimed = await claimStaleTraces(db, queuedBefore, now - STUCK_EVALUATING_MS, SWEEP_PAGE, now);
    if (claimed.length === 0) break;
    await enqueueEvaluations(
      queue,
      claimed.map((row) => ({ trace_id: row.id, org_id: row.orgId })),
    );
    resent += claimed.length;
    if (claimed.length < SWEEP_PAGE || clock() > deadline) break;
  }
  return resent;
}

let checkedThisIsolate = false;

/**
 * The first request or queue batch an isolate handles after a (re)start checks for hand-offs lost
 * while nothing was running, instead of leaving them for the next scheduled sweep (which `wrangler
 * dev` only runs when told to). Answers the check to run, once per isolate; later calls get
 * undefined. A request runs it at once; a queue batch runs it after the batch (see
 * handleQueueBatch), so it never counts as lost the messages the batch is handling.
 */
export function isolateStartCheck():
  | ((
      db: Database,
      queue: Queue<EvaluationMessage>,
      log: (event: Record<string, unknown>) => void,
    ) => Promise<void>)
  | undefined {
  if (checkedThisIsolate) return undefined;
  checkedThisIsolate = true;
  // The first thing it handles is about when the isolate started.
  const startedAt = Date.now();
  return (db, queue, log) =>
    resendStaleTraces(db, queue, Date.now(), { isolateStartedAt: startedAt }).then(
      (count) => {
        if (count > 0) log({ level: "warn", msg: "re-sent lost hand-offs on isolate start", count });
      },
      (error: unknown) => log({ level: "error", msg: "isolate-start sweep failed", error: String(error) }),
    );
}

/** For tests: the next request or queue batch runs the isolate-start check again, as in a new isolate. */
export function resetIsolateStartCheck(): void {
  checkedThisIsolate = false;
}

/** The isolate-start check (see isolateStartCheck) at once: the promise to wait on, the first time. */
export function sweepOnIsolateStart(
  db: Database,
  queue: Queue<EvaluationMessage>,
  log: (event: Record<string, unknown>) => void,
): Promise<void> | undefined {
  return isolateStartCheck()?.(db, queue, log);
}
