import { and, eq, inArray, sql } from "drizzle-orm";
import { chunk, D1_MAX_PARAMS, type Database, rowsPerInsert, runBatch, type Statement } from "../db/client";
import { compilePackRow, latestPackRows } from "../db/domain-packs";
import { organizationsByIds } from "../db/organizations";
import { riskModelsFor } from "../db/risk-models";
import {
  type EvaluationRow,
  evaluationIssues,
  evaluations,
  reviewItems,
  type TraceRow,
  traces,
  usageDaily,
} from "../db/schema";
import { queueProgressStatement, traceInputFromRow, tracesByIds } from "../db/traces";
import type { CompiledPack } from "../eval";
import { cascadeFacts } from "../eval/cascade-facts";
import { type PipelineResult, pipelineVersionFor, runPipeline, TransientJudgeError } from "../eval/pipeline";
import type { Judge } from "../judge/client";
import { sha256Hex } from "../lib/crypto";
import type { OrgLiveEvent } from "../live/publisher";
import { EVALUATION_QUEUE, type EvaluationMessage } from "../queue/messages";
import type { JudgeSettings } from "../schema/organization";

/** Per trace: evaluated now (with what to announce), already evaluated, or to be retried. */
export type TraceOutcome =
  | {
      ok: true;
      evaluated?: {
        orgId: string;
        traceId: string;
        clientId: string | null;
        evaluationId: string;
        result: PipelineResult;
      };
    }
  | { ok: false; orgId: string; error: string; retryAfterSeconds?: number; judgeCostUsd: number };

export interface EvaluationDeps {
  db: Database;
  /** The organization's judge, or undefined when it has none configured. */
  judgeFor(settings: JudgeSettings | null): Judge | undefined;
  /** Uniform in [0, 1): draws calibration samples. */
  random(): number;
  now(): number;
  /**
   * When the batch's newest message was sent to the queue (its timestamp): how far the consumer has
   * got, noted in queue_progress for the sweep. A trace's enqueued_at is no measure of it, since a
   * re-send or a re-evaluation moves it on while its older message is still the one delivered.
   * Without it, the newest enqueued_at of the batch's traces.
   */
  handedOffAt?: number;
}

const reviewItemId = (evaluationId: string) => `rev_${evaluationId.slice(4)}`;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Evaluates the traces of a queue batch: one read each of the traces, their organizations, custom
 * packs, risk models, existing evaluations and today's judge spend; the pipeline in memory; one
 * atomic D1 batch for all results. A trace deleted meanwhile is simply done; a trace that could not
 * be evaluated (a transient judge error, a pack that no longer loads) is reported for retry.
 */
export async function evaluateTraces(
  deps: EvaluationDeps,
  messages: readonly EvaluationMessage[],
): Promise<Map<string, TraceOutcome>> {
  const { db } = deps;
  const outcomes = new Map<string, TraceOutcome>();
  const rows = await tracesByIds(
    db,
    messages.map((m) => m.trace_id),
  );
  if (rows.length === 0) return outcomes;
  const orgIds = [...new Set(rows.map((row) => row.orgId))];
  const now = deps.now();
  const [orgs, packRows, riskModels, spent, stored] = await Promise.all([
    organizationsByIds(db, orgIds),
    latestPackRows(db, orgIds),
    riskModelsFor(db, orgIds),
    judgeSpendToday(db, orgIds, now),
    storedPipelineVersions(
      db,
      rows.map((row) => row.id),
    ),
  ]);
  const settingsByOrg = new Map(orgs.map((org) => [org.id, org.settings]));
  await markEvaluating(db, rows, now, deps.handedOffAt);

  const writes = new Map<string, Statement[]>();
  await Promise.all(
    rows.map(async (row) => {
      try {
        const packs = new Map<string, CompiledPack>();
        for (const [name, packRow] of packRows.get(row.orgId) ?? []) packs.set(name, compilePackRow(packRow));
        const orgModels = riskModels.get(row.orgId);
        if (orgModels instanceof Error) throw orgModels;
        const trace = traceInputFromRow(row);
        const version = pipelineVersionFor(trace, packs, orgModels);
        const existing = stored.get(`${row.id}|${version}`);
        if (existing) {
          // Already evaluated by this exact pipeline (a redelivery, or a re-evaluation after a change
          // was rolled back): no second judge call, no new rows; the trace shows that evaluation again.
          writes.set(row.id, [
            db
              .update(traces)
              .set({
                status: "evaluated",
                error: null,
                updatedAt: now,
                latestEvaluationId: existing.id,
                verdict: existing.verdict,
                severity: existing.severity,
                riskScore: existing.riskScore,
                needsReview: existing.needsReview,
              })
              .where(eq(traces.id, row.id)),
          ]);
          outcomes.set(row.id, { ok: true });
          return;
        }
        const settings = settingsByOrg.get(row.orgId);
        const judge = deps.judgeFor(settings?.judge ?? null);
        const result = await runPipeline(trace, {
          packs,
          redactions: row.redactions,
          riskModels: orgModels,
          judge:
            judge && settings?.judge
              ? {
                  call: (input) => judge.evaluate(input),
                  budgetLeftUsd: () => (settings.judge?.daily_budget_usd ?? 0) - (spent.get(row.orgId) ?? 0),
                  calibrationSampleRate: settings.judge.calibration_sample_rate,
                }
              : undefined,
          random: deps.random,
        });
        spent.set(row.orgId, (spent.get(row.orgId) ?? 0) + result.judgeCostUsd);
        const evaluationId = `evl_${(await sha256Hex(`${row.id}|${result.pipelineVersion}`)).slice(0, 26)}`;
        writes.set(row.id, evaluationStatements(db, row, evaluationId, result, now));
        outcomes.set(row.id, {
          ok: true,
          evaluated: { orgId: row.orgId, traceId: row.id, clientId: row.clientId, evaluationId, result },
        });
      } catch (error) {
        const transient = error instanceof TransientJudgeError ? error : undefined;
        outcomes.set(row.id, {
          ok: false,
          orgId: row.orgId,
          error: error instanceof Error ? error.message : String(error),
          retryAfterSeconds: transient?.retryAfterSeconds,
          judgeCostUsd: transient?.costUsd ?? 0,
        });
      }
    }),
  );
  await writeResults(db, writes, outcomes);
  return outcomes;
}

/**
 * All results in one atomic batch; if it fails (say a trace was deleted meanwhile and its rows no
 * longer have a parent), each trace's results are written on their own, so only the traces whose
 * own writes fail are retried, and their neighbours' judge calls are not paid again.
 */
async function writeResults(
  db: Database,
  writes: ReadonlyMap<string, Statement[]>,
  outcomes: Map<string, TraceOutcome>,
): Promise<void> {
  try {
    await runBatch(db, [...writes.values()].flat());
    return;
  } catch (error) {
    if (writes.size === 1) throw error;
  }
  for (const [traceId, statements] of writes) {
    try {
      await runBatch(db, statements);
    } catch (error) {
      const outcome = outcomes.get(traceId);
      const evaluated = outcome?.ok ? outcome.evaluated : undefined;
      outcomes.set(traceId, {
        ok: false,
        orgId: evaluated?.orgId ?? "",
        error: `storing the evaluation failed: ${error instanceof Error ? error.message : String(error)}`,
        judgeCostUsd: evaluated?.result.judgeCostUsd ?? 0,
      });
    }
  }
}

/** The evaluations these traces already have, by `trace_id|pipeline_version`. */
async function storedPipelineVersions(db: Database, traceIds: readonly string[]) {
  const found = new Map<
    string,
    Pick<EvaluationRow, "id" | "verdict" | "severity" | "riskScore" | "needsReview">
  >();
  for (const ids of chunk(traceIds, D1_MAX_PARAMS)) {
    const rows = await db
      .select({
        id: evaluations.id,
        traceId: evaluations.traceId,
        version: evaluations.pipelineVersion,
        verdict: evaluations.verdict,
        severity: evaluations.severity,
        riskScore: evaluations.riskScore,
        needsReview: evaluations.needsReview,
      })
      .from(evaluations)
      .where(inArray(evaluations.traceId, ids));
    for (const { traceId, version, ...evaluation } of rows) found.set(`${traceId}|${version}`, evaluation);
  }
  return found;
}

async function judgeSpendToday(db: Database, orgIds: readonly string[], now: number) {
  const spent = new Map<string, number>();
  for (const ids of chunk(orgIds, D1_MAX_PARAMS - 1)) {
    const rows = await db
      .select({ orgId: usageDaily.orgId, cost: usageDaily.judgeCostUsd })
      .from(usageDaily)
      .where(and(inArray(usageDaily.orgId, ids), eq(usageDaily.day, utcDay(now))));
    for (const row of rows) spent.set(row.orgId, row.cost);
  }
  return spent;
}

/** Marks the batch's traces as picked up, and notes how far the consumer has got (for the sweep). */
async function markEvaluating(
  db: Database,
  rows: readonly TraceRow[],
  now: number,
  handedOffAt: number | undefined,
): Promise<void> {
  const newest = handedOffAt ?? Math.max(...rows.map((row) => row.enqueuedAt));
  await runBatch(db, [
    // Three values besides the ids: two set, one in the status check.
    ...chunk(
      rows.map((row) => row.id),
      D1_MAX_PARAMS - 3,
    ).map((ids) =>
      db
        .update(traces)
        .set({ status: "evaluating", updatedAt: now })
        .where(and(inArray(traces.id, ids), eq(traces.status, "queued"))),
    ),
    queueProgressStatement(db, EVALUATION_QUEUE, newest, now),
  ]);
}

/**
 * The writes for one evaluation. Ids are derived from (trace, pipeline version) and every insert
 * ignores a row that exists, so a redelivered message writes nothing twice; usage is counted only
 * when the evaluation row is new (the check runs before the insert in the same batch).
 */
function evaluationStatements(
  db: Database,
  row: TraceRow,
  evaluationId: string,
  result: PipelineResult,
  now: number,
): Statement[] {
  const { decision } = result;
  const notYetStored = sql`not exists (select 1 from ${evaluations} where ${evaluations.id} = ${evaluationId})`;
  const usage = {
    orgId: row.orgId,
    day: utcDay(now),
    tracesEvaluated: 1,
    tier1Runs: 1,
    tier2Runs: 1,
    tier3Runs: result.judgeRan ? 1 : 0,
    reviewsCreated: decision.needsReview ? 1 : 0,
    judgeCostUsd: result.judgeCostUsd,
  };
  const issueRows = result.issues.map((issue, ordinal) => ({
    ...issue,
    orgId: row.orgId,
    evaluationId,
    ordinal,
    traceId: row.id,
    createdAt: now,
  }));
  return [
    db
      .insert(usageDaily)
      .select(
        db
          .select({
            orgId: sql<string>`${usage.orgId}`.as("org_id"),
            day: sql<string>`${usage.day}`.as("day"),
            tracesEvaluated: sql<number>`${usage.tracesEvaluated}`.as("traces_evaluated"),
            tier1Runs: sql<number>`${usage.tier1Runs}`.as("tier1_runs"),
            tier2Runs: sql<number>`${usage.tier2Runs}`.as("tier2_runs"),
            tier3Runs: sql<number>`${usage.tier3Runs}`.as("tier3_runs"),
            reviewsCreated: sql<number>`${usage.reviewsCreated}`.as("reviews_created"),
            judgeCostUsd: sql<number>`${usage.judgeCostUsd}`.as("judge_cost_usd"),
          })
          .from(sql`(select 1)`)
          .where(notYetStored),
      )
      .onConflictDoUpdate({
        target: [usageDaily.orgId, usageDaily.day],
        set: {
          tracesEvaluated: sql`${usageDaily.tracesEvaluated} + excluded.traces_evaluated`,
          tier1Runs: sql`${usageDaily.tier1Runs} + excluded.tier1_runs`,
          tier2Runs: sql`${usageDaily.tier2Runs} + excluded.tier2_runs`,
          tier3Runs: sql`${usageDaily.tier3Runs} + excluded.tier3_runs`,
          reviewsCreated: sql`${usageDaily.reviewsCreated} + excluded.reviews_created`,
          judgeCostUsd: sql`${usageDaily.judgeCostUsd} + excluded.judge_cost_usd`,
        },
      }),
    db
      .insert(evaluations)
      .values({
        id: evaluationId,
        orgId: row.orgId,
        traceId: row.id,
        pipelineVersion: result.pipelineVersion,
        domain: result.domain,
        verdict: decision.verdict,
        severity: decision.severity,
        riskScore: decision.riskScore,
        confidence: decision.confidence,
        needsReview: decision.needsReview,
        reviewReason: decision.reviewReason,
        why: result.why,
        tiers: result.tiers,
        escalations: result.escalations,
        costUsd: result.judgeCostUsd,
        latencyMs: result.latencyMs,
        createdAt: now,
      })
      .onConflictDoNothing(),
    ...chunk(issueRows, rowsPerInsert(issueRows[0] ?? {})).map((part) =>
      db.insert(evaluationIssues).values(part).onConflictDoNothing(),
    ),
    ...(decision.needsReview
      ? [
          db
            .insert(reviewItems)
            .values({
              id: reviewItemId(evaluationId),
              orgId: row.orgId,
              traceId: row.id,
              evaluationId,
              reason: decision.reviewReason ?? "needs review",
              priority: decision.reviewPriority,
              status: "open",
              createdAt: now,
              domain: result.domain,
            })
            .onConflictDoNothing(),
        ]
      : []),
    db
      .update(traces)
      .set({
        status: "evaluated",
        error: null,
        updatedAt: now,
        latestEvaluationId: evaluationId,
        verdict: decision.verdict,
        severity: decision.severity,
        riskScore: decision.riskScore,
        needsReview: decision.needsReview,
        // Changing these fires the triggers that keep the analytics rollups equal to the traces.
        ...cascadeFacts(result),
      })
      .where(eq(traces.id, row.id)),
  ];
}

/**
 * Records why an attempt failed, so the dead-letter consumer can report the last error, and counts
 * what a failed judgement already cost against the organization's day.
 */
export interface AttemptFailure {
  traceId: string;
  orgId: string;
  error: string;
  judgeCostUsd: number;
}

export async function recordAttemptError(
  db: Database,
  failures: readonly AttemptFailure[],
  now = Date.now(),
): Promise<void> {
  await runBatch(
    db,
    failures.flatMap((f) => [
      db
        .update(traces)
        .set({ error: f.error.slice(0, 2_000), updatedAt: now })
        .where(eq(traces.id, f.traceId)),
      ...(f.judgeCostUsd > 0
        ? [
            db
              .insert(usageDaily)
              .values({ orgId: f.orgId, day: utcDay(now), judgeCostUsd: f.judgeCostUsd })
              .onConflictDoUpdate({
                target: [usageDaily.orgId, usageDaily.day],
                set: { judgeCostUsd: sql`${usageDaily.judgeCostUsd} + excluded.judge_cost_usd` },
              }),
          ]
        : []),
    ]),
  );
}

/** `evaluation.completed` for every trace evaluated now, and `review.created` for those sent to a human. */
export function evaluationEvents(outcomes: ReadonlyMap<string, TraceOutcome>): OrgLiveEvent[] {
  const events: OrgLiveEvent[] = [];
  for (const outcome of outcomes.values()) {
    if (!outcome.ok || !outcome.evaluated) continue;
    const { orgId, traceId, clientId, evaluationId, result } = outcome.evaluated;
    const { decision } = result;
    events.push({
      orgId,
      event: {
        type: "evaluation.completed",
        data: {
          trace_id: traceId,
          client_id: clientId,
          evaluation_id: evaluationId,
          domain: result.domain,
          verdict: decision.verdict,
          severity: decision.severity,
          risk_score: decision.riskScore,
          rules: [...new Set(result.issues.map((issue) => issue.rule))],
        },
      },
    });
    if (decision.needsReview) {
      events.push({
        orgId,
        event: {
          type: "review.created",
          data: {
            review_id: reviewItemId(evaluationId),
            trace_id: traceId,
            domain: result.domain,
            severity: decision.severity,
            reason: decision.reviewReason ?? "needs review",
          },
        },
      });
    }
  }
  return events;
}
