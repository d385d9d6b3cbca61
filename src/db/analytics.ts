import { and, asc, count, desc, eq, gte, isNotNull, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";
import { reviewItems, ruleRollupHourly, traceRollupHourly, traces } from "./schema";

export const HOUR_MS = 3_600_000;

/** [since, until) in milliseconds, both on whole UTC hours: the rollups' resolution. */
export interface HourWindow {
  since: number;
  until: number;
}

export interface TraceScope {
  domain?: string;
  /** A model name, or null for traces sent without one. */
  model?: string | null;
}

const total = (column: SQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);
const r = traceRollupHourly;

/** Every figure of the hourly rollup, summed over the rows a query selects. */
const rollupSums = {
  traces: total(r.traces),
  inputTokens: total(r.inputTokens),
  outputTokens: total(r.outputTokens),
  costNanos: total(r.costNanos),
  latencyCount: total(r.latencyCount),
  evaluated: total(r.evaluated),
  pass: total(r.pass),
  fail: total(r.fail),
  review: total(r.review),
  needsReview: total(r.needsReview),
  riskNanos: total(r.riskNanos),
  severityNone: total(r.severityNone),
  severityLow: total(r.severityLow),
  severityMedium: total(r.severityMedium),
  severityHigh: total(r.severityHigh),
  severityCritical: total(r.severityCritical),
  stoppedTier1: total(r.stoppedTier1),
  stoppedTier2: total(r.stoppedTier2),
  stoppedTier3: total(r.stoppedTier3),
  stoppedTier4: total(r.stoppedTier4),
  judgeRuns: total(r.judgeRuns),
  tier1CostNanos: total(r.tier1CostNanos),
  tier2CostNanos: total(r.tier2CostNanos),
  tier3CostNanos: total(r.tier3CostNanos),
  evaluationLatencyCount: total(r.evaluationLatencyCount),
};
export type RollupSums = { [K in keyof typeof rollupSums]: number };
export const ROLLUP_FIGURES = Object.keys(rollupSums) as (keyof RollupSums)[];

function rollupWhere(orgId: string, window: HourWindow, domain: string | undefined): SQL | undefined {
  return and(
    eq(r.orgId, orgId),
    gte(r.hour, window.since / HOUR_MS),
    lt(r.hour, window.until / HOUR_MS),
    domain === undefined ? undefined : eq(r.domain, domain),
  );
}

export function rollupTotals(db: Database, orgId: string, window: HourWindow, domain?: string) {
  return db
    .select(rollupSums)
    .from(r)
    .where(rollupWhere(orgId, window, domain));
}

export function rollupByDomain(db: Database, orgId: string, window: HourWindow, domain?: string) {
  return db
    .select({ domain: r.domain, ...rollupSums })
    .from(r)
    .where(rollupWhere(orgId, window, domain))
    .groupBy(r.domain)
    .orderBy(r.domain);
}

export function rollupByModel(db: Database, orgId: string, window: HourWindow, domain?: string) {
  return db
    .select({ model: r.model, ...rollupSums })
    .from(r)
    .where(rollupWhere(orgId, window, domain))
    .groupBy(r.model)
    .orderBy(r.model);
}

/** Sums per bucket of `bucketHours` hours (1 or 24); `bucket` is the bucket's start in whole hours. */
export function rollupByBucket(
  db: Database,
  orgId: string,
  window: HourWindow,
  bucketHours: 1 | 24,
  domain?: string,
) {
  const bucket = sql<number>`(${r.hour} / ${sql.raw(String(bucketHours))}) * ${sql.raw(String(bucketHours))}`;
  return db
    .select({ bucket: bucket.mapWith(Number), ...rollupSums })
    .from(r)
    .where(rollupWhere(orgId, window, domain))
    .groupBy(bucket);
}

/** Traces per rule (all, or one) and severity whose latest evaluation raised it, received in the window. */
export function ruleTotals(db: Database, orgId: string, window: HourWindow, rule?: string) {
  const rr = ruleRollupHourly;
  return db
    .select({ rule: rr.rule, severity: rr.severity, traces: total(rr.traces) })
    .from(rr)
    .where(
      and(
        eq(rr.orgId, orgId),
        gte(rr.hour, window.since / HOUR_MS),
        lt(rr.hour, window.until / HOUR_MS),
        rule === undefined ? undefined : eq(rr.rule, rule),
      ),
    )
    .groupBy(rr.rule, rr.severity);
}

export const PERCENTILE_COLUMNS = {
  /** The traces' own latency as the customer reported it. */
  latency: traces.latencyMs,
  /** How long the latest evaluation took. */
  evaluationLatency: traces.evaluationLatencyMs,
};
export type PercentileColumn = keyof typeof PERCENTILE_COLUMNS;

/**
 * How to find a value by rank. `value-order` walks the (org, value) index from the nearer end,
 * counting rows of the window, with no sort: for windows that hold much of the organization, such as
 * a summary's. `time-range` reads the window's (org, created_at) range and keeps a top-N: for small
 * windows, such as one bucket of a series. Bound LIMIT and OFFSET hide from SQLite how many rows are
 * wanted, so without a hint it would pick the time range and sort a whole large window.
 */
export type RankPlan = "value-order" | "time-range";

/**
 * The value at 1-based `rank` in ascending order among the `count` non-null values of the column in
 * the window and scope, read from whichever end is nearer (rank 95 of 100 is offset 5 from the top).
 * `count` must be the number of such values (the rollups' latency counts).
 */
export function valueAtRank(
  db: Database,
  orgId: string,
  window: HourWindow,
  scope: TraceScope,
  column: PercentileColumn,
  rank: number,
  count: number,
  plan: RankPlan,
) {
  const value = PERCENTILE_COLUMNS[column];
  const fromTop = rank - 1 > count - rank;
  // likely() tells the planner a condition keeps most rows, so it will not drive the query.
  const check = (condition: SQL) => (plan === "value-order" ? sql`likely(${condition})` : condition);
  return db
    .select({ value })
    .from(traces)
    .where(
      and(
        eq(traces.orgId, orgId),
        isNotNull(value),
        check(gte(traces.createdAt, window.since)),
        check(lt(traces.createdAt, window.until)),
        scope.domain === undefined ? undefined : check(eq(traces.domain, scope.domain)),
        scope.model === undefined
          ? undefined
          : check(scope.model === null ? isNull(traces.model) : eq(traces.model, scope.model)),
      ),
    )
    .orderBy(fromTop ? desc(value) : asc(value))
    .limit(1)
    .offset(fromTop ? count - rank : rank - 1);
}

/** The review queue as it stands: items still open (of the domain), whenever their trace arrived. */
export function openReviewCount(db: Database, orgId: string, domain?: string) {
  return db
    .select({ count: count() })
    .from(reviewItems)
    .where(
      and(
        eq(reviewItems.orgId, orgId),
        eq(reviewItems.status, "open"),
        domain === undefined ? undefined : eq(reviewItems.domain, domain),
      ),
    );
}
