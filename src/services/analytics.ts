import {
  HOUR_MS,
  type HourWindow,
  openReviewCount,
  type PercentileColumn,
  type RankPlan,
  ROLLUP_FIGURES,
  type RollupSums,
  rollupByBucket,
  rollupByDomain,
  rollupByModel,
  rollupTotals,
  ruleTotals,
  type TraceScope,
  valueAtRank,
} from "../db/analytics";
import type { Database } from "../db/client";
import type { Severity } from "../eval/types";
import { worstSeverity } from "../eval/verdict";

/*
 * Every figure describes the traces received in [since, until) and the latest evaluation of each
 * (a re-evaluated trace counts once, with its new outcome). Counts and sums come from the hourly
 * rollups; percentiles from the traces themselves. Rates are null when nothing was evaluated, except
 * in time series, where an empty bucket is 0 and its `n` says it is empty.
 */

export const DAY_MS = 24 * HOUR_MS;
export const INTERVALS = { hour: HOUR_MS, day: DAY_MS } as const;
export type Interval = keyof typeof INTERVALS;
export const TIMESERIES_METRICS = [
  "traces",
  "pass_rate",
  "fail_rate",
  "risk",
  "cost",
  "latency_p95",
] as const;
export type TimeseriesMetric = (typeof TIMESERIES_METRICS)[number];

const SUMMARY_PERCENTILES = [50, 95, 99] as const;
const NANOS = 1e9;

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);
const usd = (nanos: number) => nanos / NANOS;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Nearest-rank percentile: of n values in ascending order, the p-th percentile is the value at rank
 * ceil(p/100 × n) (1-based). It is always one of the values, exact, and defined for every n ≥ 1.
 */
export function nearestRank(p: number, n: number): number {
  return Math.max(1, Math.ceil((p * n) / 100));
}

interface PercentileRequest {
  scope: TraceScope;
  column: PercentileColumn;
  p: number;
  count: number;
  window: HourWindow;
  plan: RankPlan;
}

/** The requested percentiles in one D1 round trip; null for an empty set. */
async function percentiles(
  db: Database,
  orgId: string,
  requests: readonly PercentileRequest[],
): Promise<(number | null)[]> {
  const wanted = requests.filter((request) => request.count > 0);
  const [first, ...rest] = wanted.map((q) =>
    valueAtRank(db, orgId, q.window, q.scope, q.column, nearestRank(q.p, q.count), q.count, q.plan),
  );
  const results = first ? await db.batch([first, ...rest]) : [];
  const values = new Map(wanted.map((request, i) => [request, results[i]?.[0]?.value ?? null]));
  return requests.map((request) => values.get(request) ?? null);
}

function sumRollups(rows: readonly RollupSums[]): RollupSums {
  const totals = Object.fromEntries(ROLLUP_FIGURES.map((figure) => [figure, 0])) as RollupSums;
  for (const row of rows) for (const figure of ROLLUP_FIGURES) totals[figure] += row[figure];
  return totals;
}

function verdictFigures(sums: RollupSums) {
  return {
    traces: sums.traces,
    evaluated: sums.evaluated,
    pass: sums.pass,
    fail: sums.fail,
    review: sums.review,
    pass_rate: rate(sums.pass, sums.evaluated),
    fail_rate: rate(sums.fail, sums.evaluated),
    review_rate: rate(sums.review, sums.evaluated),
  };
}

const evaluationCostNanos = (sums: RollupSums) =>
  sums.tier1CostNanos + sums.tier2CostNanos + sums.tier3CostNanos;

export async function summary(db: Database, orgId: string, window: HourWindow, domain?: string) {
  const [byDomain, [backlog]] = await db.batch([
    rollupByDomain(db, orgId, window, domain),
    openReviewCount(db, orgId, domain),
  ]);
  // The totals are the domains' sums: one pass over the rollup instead of two.
  const totals = sumRollups(byDomain);
  const request = (column: PercentileColumn, count: number) =>
    SUMMARY_PERCENTILES.map((p) => ({
      scope: { domain },
      column,
      p,
      count,
      window,
      plan: "value-order" as const,
    }));
  const values = await percentiles(db, orgId, [
    ...request("latency", totals.latencyCount),
    ...request("evaluationLatency", totals.evaluationLatencyCount),
  ]);
  const [p50, p95, p99, e50, e95, e99] = values;
  return {
    since: iso(window.since),
    until: iso(window.until),
    domain: domain ?? null,
    ...verdictFigures(totals),
    needs_review: totals.needsReview,
    review_backlog: backlog?.count ?? 0,
    by_domain: byDomain
      .filter((row) => row.traces > 0)
      .map((row) => ({ domain: row.domain, ...verdictFigures(row) })),
    issues_by_severity: {
      none: totals.severityNone,
      low: totals.severityLow,
      medium: totals.severityMedium,
      high: totals.severityHigh,
      critical: totals.severityCritical,
    },
    judge_cost_usd: usd(totals.tier3CostNanos),
    evaluation_cost_usd: usd(evaluationCostNanos(totals)),
    evaluation_latency_ms: { p50: e50 ?? null, p95: e95 ?? null, p99: e99 ?? null },
    trace_latency_ms: { p50: p50 ?? null, p95: p95 ?? null, p99: p99 ?? null },
    tokens: { input: totals.inputTokens, output: totals.outputTokens },
  };
}

/** A metric's value for one bucket and how many traces it is computed from. */
function metricPoint(metric: TimeseriesMetric, sums: RollupSums | undefined, p95: number | null) {
  if (!sums) return { value: 0, n: 0 };
  switch (metric) {
    case "traces":
      return { value: sums.traces, n: sums.traces };
    case "pass_rate":
      return { value: rate(sums.pass, sums.evaluated) ?? 0, n: sums.evaluated };
    case "fail_rate":
      return { value: rate(sums.fail, sums.evaluated) ?? 0, n: sums.evaluated };
    case "risk":
      return { value: rate(usd(sums.riskNanos), sums.evaluated) ?? 0, n: sums.evaluated };
    case "cost":
      return { value: usd(evaluationCostNanos(sums)), n: sums.evaluated };
    case "latency_p95":
      return { value: p95 ?? 0, n: sums.latencyCount };
  }
}

/** A dense series: every bucket of the window, in order, empty ones as 0 with n = 0. */
export async function timeseries(
  db: Database,
  orgId: string,
  window: HourWindow,
  interval: Interval,
  metric: TimeseriesMetric,
  domain?: string,
) {
  const step = INTERVALS[interval];
  const rows = await rollupByBucket(db, orgId, window, interval === "hour" ? 1 : 24, domain);
  const byStart = new Map(rows.map((row) => [row.bucket * HOUR_MS, row]));
  let p95ByStart = new Map<number, number | null>();
  if (metric === "latency_p95") {
    const requests = rows.map((row) => ({
      scope: { domain },
      column: "latency" as const,
      p: 95,
      count: row.latencyCount,
      window: { since: row.bucket * HOUR_MS, until: row.bucket * HOUR_MS + step },
      plan: "time-range" as const,
    }));
    const values = await percentiles(db, orgId, requests);
    p95ByStart = new Map(requests.map((request, i) => [request.window.since, values[i] ?? null]));
  }
  const data = [];
  for (let t = window.since; t < window.until; t += step) {
    data.push({ t: iso(t), ...metricPoint(metric, byStart.get(t), p95ByStart.get(t) ?? null) });
  }
  return {
    metric,
    interval,
    since: iso(window.since),
    until: iso(window.until),
    domain: domain ?? null,
    data,
  };
}

/** Each rule that fired in the window, against the previous window of the same length. */
export async function ruleAnalytics(db: Database, orgId: string, window: HourWindow) {
  const previous = { since: 2 * window.since - window.until, until: window.since };
  const [current, before, [totals], [previousTotals]] = await db.batch([
    ruleTotals(db, orgId, window),
    ruleTotals(db, orgId, previous),
    rollupTotals(db, orgId, window),
    rollupTotals(db, orgId, previous),
  ]);
  const evaluated = totals?.evaluated ?? 0;
  const previousEvaluated = previousTotals?.evaluated ?? 0;
  const rules = new Map<string, { traces: number; severities: Severity[] }>();
  for (const row of current) {
    if (row.traces <= 0) continue;
    const entry = rules.get(row.rule) ?? { traces: 0, severities: [] };
    entry.traces += row.traces;
    entry.severities.push(row.severity);
    rules.set(row.rule, entry);
  }
  const previousCounts = new Map<string, number>();
  for (const row of before) previousCounts.set(row.rule, (previousCounts.get(row.rule) ?? 0) + row.traces);
  const data = [...rules]
    .map(([rule, { traces, severities }]) => {
      const previousTraces = previousCounts.get(rule) ?? 0;
      const change = traces - previousTraces;
      return {
        rule,
        severity: worstSeverity(severities.map((severity) => ({ severity }))),
        traces,
        share: rate(traces, evaluated),
        previous_traces: previousTraces,
        previous_share: rate(previousTraces, previousEvaluated),
        change,
        trend: previousTraces === 0 ? "new" : change > 0 ? "up" : change < 0 ? "down" : "flat",
      };
    })
    .sort((a, b) => b.traces - a.traces || (a.rule < b.rule ? -1 : 1));
  return {
    since: iso(window.since),
    until: iso(window.until),
    previous: { since: iso(previous.since), until: iso(previous.until) },
    evaluated,
    previous_evaluated: previousEvaluated,
    data,
  };
}

/** Names in order, traces without a model last. */
const byModelName = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

export async function modelAnalytics(db: Database, orgId: string, window: HourWindow, domain?: string) {
  const rows = (await rollupByModel(db, orgId, window, domain)).filter((row) => row.traces > 0);
  const p95 = await percentiles(
    db,
    orgId,
    rows.map((row) => ({
      scope: { domain, model: row.model === "" ? null : row.model },
      column: "latency" as const,
      p: 95,
      count: row.latencyCount,
      window,
      plan: "value-order" as const,
    })),
  );
  const data = rows
    .map((row, i) => ({
      model: row.model === "" ? null : row.model,
      traces: row.traces,
      evaluated: row.evaluated,
      pass_rate: rate(row.pass, row.evaluated),
      mean_risk: rate(usd(row.riskNanos), row.evaluated),
      latency_p95_ms: p95[i] ?? null,
      cost_usd: usd(row.costNanos),
      evaluation_cost_usd: usd(evaluationCostNanos(row)),
    }))
    .sort((a, b) => b.traces - a.traces || byModelName(a.model, b.model));
  return { since: iso(window.since), until: iso(window.until), domain: domain ?? null, data };
}

/** Where the cascade stopped, what each tier cost per trace, and how often it escalated. */
export async function tierAnalytics(db: Database, orgId: string, window: HourWindow, domain?: string) {
  const [totals] = await rollupTotals(db, orgId, window, domain);
  if (!totals) throw new Error("an aggregate query returned no row");
  const { evaluated } = totals;
  const tiers = [
    { tier: 1, name: "rules", stopped: totals.stoppedTier1, costNanos: totals.tier1CostNanos },
    { tier: 2, name: "risk_model", stopped: totals.stoppedTier2, costNanos: totals.tier2CostNanos },
    { tier: 3, name: "llm_judge", stopped: totals.stoppedTier3, costNanos: totals.tier3CostNanos },
    // A person: what their time costs is not recorded, so this tier has no cost.
    { tier: 4, name: "human_review", stopped: totals.stoppedTier4, costNanos: null },
  ];
  return {
    since: iso(window.since),
    until: iso(window.until),
    domain: domain ?? null,
    evaluated,
    tiers: tiers.map(({ tier, name, stopped, costNanos }) => ({
      tier,
      name,
      stopped,
      stopped_share: rate(stopped, evaluated),
      cost_usd: costNanos === null ? null : usd(costNanos),
      cost_per_trace_usd: costNanos === null ? null : rate(usd(costNanos), evaluated),
    })),
    escalation: {
      to_judge: { count: totals.judgeRuns, rate: rate(totals.judgeRuns, evaluated) },
      to_review: { count: totals.stoppedTier4, rate: rate(totals.stoppedTier4, evaluated) },
    },
    cost_per_trace_usd: rate(usd(evaluationCostNanos(totals)), evaluated),
  };
}
