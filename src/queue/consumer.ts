import { createDb, type Database, runBatch } from "../db/client";
import { deadLetterTraces } from "../db/dead-letters";
import { queueProgressStatement } from "../db/traces";
import type { Env } from "../env";
import { writeLog } from "../http/logging";
import { checkJudgeAddress } from "../judge/address";
import { createJudge, JUDGE_TIMEOUT_MS, MAX_JUDGE_ATTEMPTS } from "../judge/client";
import { judgeAddressPolicy } from "../judge/dns";
import { publishLiveEvents } from "../live/publisher";
import {
  type AttemptFailure,
  type EvaluationDeps,
  evaluateTraces,
  evaluationEvents,
  recordAttemptError,
} from "../services/evaluate";
import { isolateStartCheck } from "../services/sweep";
import { EVALUATION_QUEUE, type EvaluationMessage, evaluationMessageSchema } from "./messages";

/** Exponential backoff for a retried message: 5 s, 10 s, 20 s ... capped at 5 minutes. */
export function retryDelaySeconds(attempts: number, atLeast = 0): number {
  return Math.min(300, Math.max(atLeast, 5 * 2 ** Math.max(0, attempts - 1)));
}

function isDeadLetterQueue(name: string): boolean {
  return name.endsWith("-dlq");
}

/** How often a running batch notes that the consumer is busy: well within the sweep's CONSUMER_IDLE_MS. */
const HEARTBEAT_MS = 10_000;

/** Notes in queue_progress that the consumer is at work, up to the hand-off at `handedOffAt`; never throws. */
async function noteProgress(db: Database, handedOffAt: number): Promise<void> {
  try {
    await runBatch(db, [queueProgressStatement(db, EVALUATION_QUEUE, handedOffAt, Date.now())]);
  } catch (error) {
    writeLog({ level: "warn", msg: "noting queue progress failed", error: String(error) });
  }
}

/** How long one consumer invocation may run (Cloudflare Queues' wall-clock limit). */
const CONSUMER_WALL_MS = 15 * 60_000;
/** Kept free at the end of a batch for its reads and writes. */
const BATCH_WRITE_MARGIN_MS = 2 * 60_000;

/**
 * What the evaluation service needs from the Worker's environment: D1 and the judge providers. Judge
 * calls start only while one (both its attempts) can still finish inside the consumer's time; later
 * ones are retried with their message.
 */
export function evaluationDeps(env: Env, db: Database): EvaluationDeps {
  const timeoutMs = Number(env.JUDGE_TIMEOUT_MS) || JUDGE_TIMEOUT_MS;
  const startBy = Date.now() + CONSUMER_WALL_MS - BATCH_WRITE_MARGIN_MS - MAX_JUDGE_ATTEMPTS * timeoutMs;
  const addressPolicy = judgeAddressPolicy(env, (url, init) => fetch(url, init));
  return {
    db,
    judgeFor: (settings) =>
      settings
        ? createJudge(settings, {
            fetch: (url, init) => fetch(url, init),
            openai: { baseUrl: env.OPENAI_BASE_URL || undefined, apiKey: env.OPENAI_API_KEY || undefined },
            anthropic: {
              baseUrl: env.ANTHROPIC_BASE_URL || undefined,
              apiKey: env.ANTHROPIC_API_KEY || undefined,
            },
            ai: env.AI,
            now: () => Date.now(),
            timeoutMs,
            startBy,
            checkAddress: (baseUrl) => checkJudgeAddress(baseUrl, addressPolicy),
          })
        : undefined,
    random: Math.random,
    now: () => Date.now(),
  };
}

/**
 * Evaluates a batch from `aegis-evaluations`, or, for the dead-letter queue, marks the traces whose
 * retries ran out as failed. Each message is acked or retried on its own: one bad trace never holds
 * back its neighbours.
 */
export async function handleQueueBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const db = createDb(env.DB);
  // Claimed now, run once the batch is handled: run first, it would count the batch's own messages,
  // not yet marked as picked up, as lost.
  const startCheck = isolateStartCheck();
  try {
    await handleMessages(batch, env, db, ctx);
  } finally {
    if (startCheck) ctx.waitUntil(startCheck(db, env.EVAL_QUEUE, writeLog));
  }
}

async function handleMessages(
  batch: MessageBatch<unknown>,
  env: Env,
  db: Database,
  ctx: ExecutionContext,
): Promise<void> {
  const messages: Message<EvaluationMessage>[] = [];
  for (const message of batch.messages) {
    if (evaluationMessageSchema.safeParse(message.body).success)
      messages.push(message as Message<EvaluationMessage>);
    else {
      // A body that can never name a trace cannot succeed on retry either.
      writeLog({
        level: "error",
        msg: "malformed queue message dropped",
        queue: batch.queue,
        body: message.body,
      });
      message.ack();
    }
  }
  if (messages.length === 0) return;
  if (isDeadLetterQueue(batch.queue)) await deadLetter(db, messages);
  else await evaluate(env, db, messages, ctx);
}

async function deadLetter(db: Database, messages: Message<EvaluationMessage>[]): Promise<void> {
  try {
    await deadLetterTraces(
      db,
      messages.map((m) => m.body.trace_id),
    );
    for (const message of messages) message.ack();
  } catch (error) {
    writeLog({ level: "error", msg: "dead-letter handling failed", error: String(error) });
    for (const message of messages) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

async function evaluate(
  env: Env,
  db: Database,
  messages: Message<EvaluationMessage>[],
  ctx: ExecutionContext,
): Promise<void> {
  let outcomes: Awaited<ReturnType<typeof evaluateTraces>>;
  // How far the consumer has got: its newest message's hand-off, noted as the batch starts (with the
  // traces it marks as picked up), every HEARTBEAT_MS while it runs and once it is done, so a long
  // batch of judge calls never looks like an idle consumer to the sweep.
  const handedOffAt = Math.max(...messages.map((m) => m.timestamp.getTime()));
  const heartbeat = setInterval(() => {
    ctx.waitUntil(noteProgress(db, handedOffAt));
  }, HEARTBEAT_MS);
  try {
    outcomes = await evaluateTraces(
      { ...evaluationDeps(env, db), handedOffAt },
      messages.map((m) => m.body),
    );
  } catch (error) {
    // The batch as a whole failed (D1 busy or unreachable): every message tries again later.
    writeLog({ level: "warn", msg: "evaluation batch failed; retrying", error: String(error) });
    for (const message of messages) message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    return;
  } finally {
    clearInterval(heartbeat);
    await noteProgress(db, handedOffAt);
  }
  const failed: AttemptFailure[] = [];
  for (const message of messages) {
    const outcome = outcomes.get(message.body.trace_id) ?? { ok: true };
    if (outcome.ok) message.ack();
    else {
      failed.push({
        traceId: message.body.trace_id,
        orgId: outcome.orgId,
        error: outcome.error,
        judgeCostUsd: outcome.judgeCostUsd,
      });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, outcome.retryAfterSeconds) });
    }
  }
  ctx.waitUntil(publishLiveEvents(env.ORG_HUB, evaluationEvents(outcomes)));
  if (failed.length > 0) {
    // The messages are already marked for retry; losing this record loses only the error text shown
    // in dead letters and the cost of failed judge attempts, so it is logged rather than thrown.
    await recordAttemptError(db, failed).catch((error: unknown) =>
      writeLog({
        level: "error",
        msg: "recording failed attempts failed",
        error: String(error),
        count: failed.length,
      }),
    );
  }
}
