import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb, runBatch } from "../../src/db/client";
import { evaluations, type NewTraceRow, reviewItems, type TraceRow } from "../../src/db/schema";
import { insertTraceStatements } from "../../src/db/traces";
import type { IssueRule, StopTier, TierCosts } from "../../src/eval/cascade-facts";
import type { SeverityOrNone, Verdict } from "../../src/eval/verdict";
import { call, createOrg, deliverEvaluations, ingestHeld, judgeEnv, type TestOrg, trace } from "./helpers";

const HOUR = 3_600_000;
/** The window under test: six hours of 2026-01-05, and the six before it for trends. */
const T0 = Date.UTC(2026, 0, 5);
const WINDOW = { since: "2026-01-05T00:00:00.000Z", until: "2026-01-05T06:00:00.000Z" };

interface Evaluation {
  verdict: Verdict;
  severity: SeverityOrNone;
  risk: number;
  stop: StopTier;
  latency: number;
  /** Sent to a human: the evaluations that stopped at tier 4. */
  review: boolean;
  judge: boolean;
  tierCosts: TierCosts;
  rules: IssueRule[];
}

interface Spec {
  hour: number;
  domain: string;
  model: string | null;
  latency: number | null;
  tokens: [number, number] | null;
  cost: number | null;
  /** Absent for a trace still waiting for its evaluation. */
  evaluation?: Evaluation;
}

const spec = (
  hour: number,
  domain: string,
  model: string | null,
  latency: number | null,
  tokens: [number, number] | null,
  cost: number | null,
  evaluation?: Evaluation,
): Spec => ({ hour, domain, model, latency, tokens, cost, evaluation });

/** An evaluation; the judge ran when it cost something at tier 3. */
const evaluated = (
  verdict: Verdict,
  severity: SeverityOrNone,
  risk: number,
  stop: StopTier,
  latency: number,
  rules: IssueRule[] = [],
  judgeCost: number | null = null,
): Evaluation => ({
  verdict,
  severity,
  risk,
  stop,
  latency,
  review: stop === 4,
  judge: judgeCost !== null,
  tierCosts: [0, 0, judgeCost ?? 0],
  rules,
});

const overdose = (severity: IssueRule["severity"]): IssueRule => ({
  rule: "healthcare.medication_overdose",
  severity,
});
const guarantee = (severity: IssueRule["severity"]): IssueRule => ({ rule: "trading.guarantee", severity });
const caveat: IssueRule = { rule: "healthcare.dosing_caveat", severity: "low" };
const phi: IssueRule = { rule: "phi.leak", severity: "high" };

/** Ten traces in the window (nine evaluated), four in the previous six hours. Figures below are by hand. */
const IN_WINDOW: Spec[] = [
  spec(0, "healthcare", "gpt-4o", 300, [10, 20], 0.5, evaluated("pass", "none", 0.25, 2, 12)),
  spec(
    0,
    "healthcare",
    "gpt-4o",
    100,
    [30, 40],
    0.25,
    evaluated("fail", "critical", 1, 1, 40, [overdose("critical")]),
  ),
  spec(
    0,
    "trading",
    "claude",
    900,
    [5, 5],
    null,
    evaluated("review", "medium", 0.5, 4, 25, [guarantee("medium")], 0.25),
  ),
  spec(
    2,
    "trading",
    "claude",
    500,
    null,
    0.125,
    evaluated("pass", "low", 0.125, 3, 8, [guarantee("low")], 0.125),
  ),
  spec(
    2,
    "healthcare",
    null,
    700,
    [1, 2],
    0,
    evaluated("fail", "high", 0.75, 2, 30, [overdose("high"), phi]),
  ),
  spec(3, "healthcare", "gpt-4o", 200, [4, 4], 0.25, evaluated("pass", "none", 0, 3, 15, [], 0.5)),
  spec(
    5,
    "healthcare",
    "gpt-4o",
    1000,
    [8, 9],
    0.125,
    evaluated("fail", "critical", 1, 1, 50, [overdose("critical")]),
  ),
  spec(5, "generic", null, null, [2, 3], null, evaluated("pass", "none", 0.25, 2, 5)),
  spec(5, "healthcare", "gpt-4o", 600, [6, 6], 0.5, evaluated("review", "low", 0.5, 4, 20, [caveat])),
  spec(5, "healthcare", "gpt-4o", 400, [7, 8], 0.25),
];
const previousFailure = evaluated("fail", "critical", 1, 1, 9, [caveat, overdose("critical")]);
const previousReview = evaluated("review", "medium", 0.5, 4, 9, [guarantee("medium")]);
const PREVIOUS: Spec[] = [
  spec(-3, "healthcare", "gpt-4o", 100, null, null, previousFailure),
  spec(-3, "healthcare", "gpt-4o", 100, null, null, previousFailure),
  spec(-2, "trading", "claude", 100, null, null, previousReview),
  spec(-1, "trading", "claude", 100, null, null, previousReview),
];

let fixtureIds = 0;
function fixtureRow(orgId: string, spec: Spec): NewTraceRow {
  const at = T0 + spec.hour * HOUR + 60_000;
  const e = spec.evaluation;
  return {
    id: `trc_fixture_${String(++fixtureIds).padStart(6, "0")}`,
    orgId,
    domain: spec.domain,
    model: spec.model,
    input: "fixture input",
    output: "fixture output",
    payload: {},
    redactions: [],
    inputTokens: spec.tokens?.[0] ?? null,
    outputTokens: spec.tokens?.[1] ?? null,
    latencyMs: spec.latency,
    costUsd: spec.cost,
    status: e ? "evaluated" : "queued",
    verdict: e?.verdict ?? null,
    severity: e?.severity ?? null,
    riskScore: e?.risk ?? null,
    needsReview: e?.review ?? null,
    stopTier: e?.stop ?? null,
    judgeRan: e?.judge ?? null,
    evaluationLatencyMs: e?.latency ?? null,
    tierCosts: e?.tierCosts ?? null,
    issueRules: e?.rules ?? null,
    contentHash: "fixture",
    createdAt: at,
    updatedAt: at,
    enqueuedAt: at,
  };
}

/** Stores fixture traces directly, with an evaluation and an open or resolved review item where named. */
async function seed(
  orgId: string,
  specs: Spec[],
  reviews: { index: number; status: "open" | "resolved" }[] = [],
) {
  const db = createDb(env.DB);
  const rows = specs.map((spec) => fixtureRow(orgId, spec));
  const reviewed = reviews.map(({ index, status }) => ({ row: rows[index] as NewTraceRow, status }));
  await runBatch(db, [
    ...insertTraceStatements(db, rows),
    ...reviewed.flatMap(({ row, status }) => [
      db.insert(evaluations).values({
        id: `evl_${row.id}`,
        orgId,
        traceId: row.id,
        pipelineVersion: "fixture",
        domain: row.domain,
        verdict: "review",
        severity: "medium",
        riskScore: 0.5,
        confidence: 0.5,
        needsReview: true,
        tiers: [],
        escalations: [],
        costUsd: 0,
        latencyMs: 1,
        createdAt: row.createdAt,
      }),
      db.insert(reviewItems).values({
        id: `rev_${row.id}`,
        orgId,
        traceId: row.id,
        evaluationId: `evl_${row.id}`,
        reason: "fixture",
        priority: 50,
        status,
        createdAt: row.createdAt,
        domain: row.domain,
      }),
    ]),
  ]);
  return rows;
}

async function get<T>(org: TestOrg, path: string, query: Record<string, string> = {}): Promise<T> {
  const response = await call("GET", `/api/v1/analytics/${path}?${new URLSearchParams(query)}`, {
    key: org.key,
  });
  expect(response.status).toBe(200);
  return response.json<T>();
}

describe("analytics over a known set of traces", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createOrg();
    await seed(
      org.orgId,
      [...IN_WINDOW, ...PREVIOUS],
      [
        { index: 2, status: "open" },
        { index: 8, status: "resolved" },
        { index: 10, status: "open" },
      ],
    );
    // Another organization's traces in the same hours must not show.
    const other = await createOrg();
    await seed(other.orgId, IN_WINDOW, [{ index: 2, status: "open" }]);
  });

  it("summarizes the window", async () => {
    expect(await get(org, "summary", WINDOW)).toEqual({
      ...WINDOW,
      domain: null,
      traces: 10,
      evaluated: 9,
      pass: 4,
      fail: 3,
      review: 2,
      pass_rate: 4 / 9,
      fail_rate: 3 / 9,
      review_rate: 2 / 9,
      needs_review: 2,
      // The queue as it stands, whenever the traces arrived: one open item is from the previous period.
      review_backlog: 2,
      by_domain: [
        {
          domain: "generic",
          traces: 1,
          evaluated: 1,
          pass: 1,
          fail: 0,
          review: 0,
          pass_rate: 1,
          fail_rate: 0,
          review_rate: 0,
        },
        {
          domain: "healthcare",
          traces: 7,
          evaluated: 6,
          pass: 2,
          fail: 3,
          review: 1,
          pass_rate: 2 / 6,
          fail_rate: 3 / 6,
          review_rate: 1 / 6,
        },
        {
          domain: "trading",
          traces: 2,
          evaluated: 2,
          pass: 1,
          fail: 0,
          review: 1,
          pass_rate: 0.5,
          fail_rate: 0,
          review_rate: 0.5,
        },
      ],
      issues_by_severity: { none: 3, low: 2, medium: 1, high: 1, critical: 2 },
      judge_cost_usd: 0.875,
      evaluation_cost_usd: 0.875,
      // Nearest rank of 5, 8, 12, 15, 20, 25, 30, 40, 50: ranks 5, 9 and 9.
      evaluation_latency_ms: { p50: 20, p95: 50, p99: 50 },
      // Of 100, 200, 300, 400, 500, 600, 700, 900, 1000 (one trace has no latency).
      trace_latency_ms: { p50: 500, p95: 1000, p99: 1000 },
      tokens: { input: 73, output: 97 },
    });
  });

  it("summarizes one domain, and an empty window with null rates and percentiles", async () => {
    const healthcare = await get<Record<string, unknown>>(org, "summary", {
      ...WINDOW,
      domain: "healthcare",
    });
    expect(healthcare).toMatchObject({
      traces: 7,
      evaluated: 6,
      review_backlog: 1,
      // 100, 200, 300, 400, 600, 700, 1000: ranks 4, 7 and 7.
      trace_latency_ms: { p50: 400, p95: 1000, p99: 1000 },
      // 12, 15, 20, 30, 40, 50: ranks 3, 6 and 6.
      evaluation_latency_ms: { p50: 20, p95: 50, p99: 50 },
      judge_cost_usd: 0.5,
      tokens: { input: 66, output: 89 },
    });
    const empty = await get<Record<string, unknown>>(org, "summary", {
      since: "2026-02-01T00:00:00Z",
      until: "2026-02-02T00:00:00Z",
    });
    expect(empty).toMatchObject({
      traces: 0,
      evaluated: 0,
      pass_rate: null,
      by_domain: [],
      judge_cost_usd: 0,
      trace_latency_ms: { p50: null, p95: null, p99: null },
      evaluation_latency_ms: { p50: null, p95: null, p99: null },
    });
  });

  it.each([
    ["traces", [3, 0, 2, 1, 0, 4], [3, 0, 2, 1, 0, 4]],
    ["pass_rate", [1 / 3, 0, 1 / 2, 1, 0, 1 / 3], [3, 0, 2, 1, 0, 3]],
    ["fail_rate", [1 / 3, 0, 1 / 2, 0, 0, 1 / 3], [3, 0, 2, 1, 0, 3]],
    ["risk", [1.75 / 3, 0, 0.875 / 2, 0, 0, 1.75 / 3], [3, 0, 2, 1, 0, 3]],
    ["cost", [0.25, 0, 0.125, 0.5, 0, 0], [3, 0, 2, 1, 0, 3]],
    ["latency_p95", [900, 0, 700, 200, 0, 1000], [3, 0, 2, 1, 0, 3]],
  ])("gives a dense hourly series of %s, empty hours as zero", async (metric, values, counts) => {
    const series = await get<{ data: { t: string; value: number; n: number }[] }>(org, "timeseries", {
      ...WINDOW,
      metric,
    });
    expect(series.data).toEqual(
      values.map((value, i) => ({ t: new Date(T0 + i * HOUR).toISOString(), value, n: counts[i] })),
    );
  });

  it("gives daily buckets on UTC days", async () => {
    const series = await get(org, "timeseries", {
      metric: "traces",
      interval: "day",
      since: "2026-01-04T12:00:00Z",
      until: "2026-01-05T06:00:00Z",
    });
    expect(series).toEqual({
      metric: "traces",
      interval: "day",
      since: "2026-01-04T00:00:00.000Z",
      until: "2026-01-06T00:00:00.000Z",
      domain: null,
      data: [
        { t: "2026-01-04T00:00:00.000Z", value: 4, n: 4 },
        { t: "2026-01-05T00:00:00.000Z", value: 10, n: 10 },
      ],
    });
  });

  it("lists the rules that fired with their share and trend against the previous period", async () => {
    expect(await get(org, "rules", WINDOW)).toEqual({
      ...WINDOW,
      previous: { since: "2026-01-04T18:00:00.000Z", until: WINDOW.since },
      evaluated: 9,
      previous_evaluated: 4,
      data: [
        {
          rule: "healthcare.medication_overdose",
          severity: "critical",
          traces: 3,
          share: 3 / 9,
          previous_traces: 2,
          previous_share: 0.5,
          change: 1,
          trend: "up",
        },
        {
          rule: "trading.guarantee",
          severity: "medium",
          traces: 2,
          share: 2 / 9,
          previous_traces: 2,
          previous_share: 0.5,
          change: 0,
          trend: "flat",
        },
        {
          rule: "healthcare.dosing_caveat",
          severity: "low",
          traces: 1,
          share: 1 / 9,
          previous_traces: 2,
          previous_share: 0.5,
          change: -1,
          trend: "down",
        },
        {
          rule: "phi.leak",
          severity: "high",
          traces: 1,
          share: 1 / 9,
          previous_traces: 0,
          previous_share: 0,
          change: 1,
          trend: "new",
        },
      ],
    });
  });

  it("compares models", async () => {
    expect(await get(org, "models", WINDOW)).toEqual({
      ...WINDOW,
      domain: null,
      data: [
        {
          model: "gpt-4o",
          traces: 6,
          evaluated: 5,
          pass_rate: 2 / 5,
          mean_risk: 2.75 / 5,
          latency_p95_ms: 1000,
          cost_usd: 1.875,
          evaluation_cost_usd: 0.5,
        },
        {
          model: "claude",
          traces: 2,
          evaluated: 2,
          pass_rate: 0.5,
          mean_risk: 0.625 / 2,
          latency_p95_ms: 900,
          cost_usd: 0.125,
          evaluation_cost_usd: 0.375,
        },
        {
          model: null,
          traces: 2,
          evaluated: 2,
          pass_rate: 0.5,
          mean_risk: 1 / 2,
          latency_p95_ms: 700,
          cost_usd: 0,
          evaluation_cost_usd: 0,
        },
      ],
    });
  });

  it("shows where the cascade stopped and what each tier cost", async () => {
    expect(await get(org, "tiers", WINDOW)).toEqual({
      ...WINDOW,
      domain: null,
      evaluated: 9,
      tiers: [
        { tier: 1, name: "rules", stopped: 2, stopped_share: 2 / 9, cost_usd: 0, cost_per_trace_usd: 0 },
        { tier: 2, name: "risk_model", stopped: 3, stopped_share: 3 / 9, cost_usd: 0, cost_per_trace_usd: 0 },
        {
          tier: 3,
          name: "llm_judge",
          stopped: 2,
          stopped_share: 2 / 9,
          cost_usd: 0.875,
          cost_per_trace_usd: 0.875 / 9,
        },
        {
          tier: 4,
          name: "human_review",
          stopped: 2,
          stopped_share: 2 / 9,
          cost_usd: null,
          cost_per_trace_usd: null,
        },
      ],
      escalation: { to_judge: { count: 3, rate: 3 / 9 }, to_review: { count: 2, rate: 2 / 9 } },
      cost_per_trace_usd: 0.875 / 9,
    });
  });

  it("widens a window to whole hours and refuses an inverted one", async () => {
    const widened = await get<{ since: string; until: string; traces: number }>(org, "summary", {
      since: "2026-01-05T00:30:00Z",
      until: "2026-01-05T05:10:00Z",
    });
    expect(widened).toMatchObject({ ...WINDOW, traces: 10 });
    const inverted = await call(
      "GET",
      `/api/v1/analytics/summary?since=${WINDOW.until}&until=${WINDOW.since}`,
      {
        key: org.key,
      },
    );
    expect(inverted.status).toBe(400);
    const tooMany = await call(
      "GET",
      "/api/v1/analytics/timeseries?metric=traces&since=2020-01-01T00:00:00Z",
      {
        key: org.key,
      },
    );
    expect(tooMany.status).toBe(400);
  });
});

/** The rollup rows an independent scan of the organization's traces gives, keyed like the table. */
function scanRollup(rows: TraceRow[]) {
  const nanos = (value: number | null | undefined) => Math.round((value ?? 0) * 1e9);
  const groups = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const key = `${Math.floor(row.createdAt / HOUR)}|${row.domain}|${row.model ?? ""}`;
    const sums = groups.get(key) ?? {};
    const add = (name: string, value: number) => {
      sums[name] = (sums[name] ?? 0) + value;
    };
    add("traces", 1);
    add("input_tokens", row.inputTokens ?? 0);
    add("output_tokens", row.outputTokens ?? 0);
    add("cost_nanos", nanos(row.costUsd));
    add("latency_count", row.latencyMs === null ? 0 : 1);
    add("evaluated", row.verdict === null ? 0 : 1);
    for (const verdict of ["pass", "fail", "review"]) add(verdict, row.verdict === verdict ? 1 : 0);
    add("needs_review", row.needsReview ? 1 : 0);
    add("risk_nanos", nanos(row.riskScore));
    for (const severity of ["none", "low", "medium", "high", "critical"]) {
      add(`severity_${severity}`, row.severity === severity ? 1 : 0);
    }
    for (const tier of [1, 2, 3, 4]) add(`stopped_tier${tier}`, row.stopTier === tier ? 1 : 0);
    add("judge_runs", row.judgeRan ? 1 : 0);
    for (const tier of [0, 1, 2]) add(`tier${tier + 1}_cost_nanos`, nanos(row.tierCosts?.[tier]));
    add("evaluation_latency_count", row.evaluationLatencyMs === null ? 0 : 1);
    groups.set(key, sums);
  }
  return groups;
}

async function expectRollupsEqualScan(orgId: string) {
  const db = createDb(env.DB);
  const rows = await db.query.traces.findMany({ where: (t, { eq }) => eq(t.orgId, orgId) });
  const stored = await env.DB.prepare("SELECT * FROM trace_rollup_hourly WHERE org_id = ?")
    .bind(orgId)
    .all<Record<string, number | string>>();
  const rollup = new Map<string, Record<string, number>>();
  for (const { org_id: _org, hour, domain, model, ...sums } of stored.results) {
    // A group whose traces were all deleted or moved stays as a row of zeros.
    if (Object.values(sums).some((value) => value !== 0)) {
      rollup.set(`${hour}|${domain}|${model}`, sums as Record<string, number>);
    }
  }
  expect(rollup).toEqual(scanRollup(rows));

  const ruleRows = await env.DB.prepare(
    "SELECT hour, rule, severity, traces FROM rule_rollup_hourly WHERE org_id = ? AND traces != 0",
  )
    .bind(orgId)
    .all<{ hour: number; rule: string; severity: string; traces: number }>();
  const scanned = new Map<string, number>();
  for (const row of rows) {
    for (const { rule, severity } of row.issueRules ?? []) {
      const key = `${Math.floor(row.createdAt / HOUR)}|${rule}|${severity}`;
      scanned.set(key, (scanned.get(key) ?? 0) + 1);
    }
  }
  expect(new Map(ruleRows.results.map((r) => [`${r.hour}|${r.rule}|${r.severity}`, r.traces]))).toEqual(
    scanned,
  );
  return rows;
}

describe("the rollups kept by the evaluation consumer", () => {
  it("equal a scan of the traces after evaluation, redelivery, deletion and a moved trace", async () => {
    const org = await createOrg();
    const settings = await call("PATCH", "/api/v1/organization/settings", {
      key: org.key,
      body: {
        judge: { provider: "openai", model: "gpt-4o-mini", daily_budget_usd: 5, calibration_sample_rate: 1 },
      },
    });
    expect(settings.status).toBe(200);
    const clean = "The team agreed to ship the release on Friday and review metrics next week.";
    const { ids, messages } = await ingestHeld(org, [
      trace({ output: "Take 1000 mg of acetaminophen every 4 hours, around the clock.", latency_ms: 420 }),
      trace({
        domain: "generic",
        model: "other",
        output: clean,
        usage: { input_tokens: 3, output_tokens: 5 },
      }),
      trace({ domain: "generic", output: `${clean} [judge:unsure]`, cost_usd: 0.002 }),
      trace({ domain: "generic", output: "Not evaluated yet." }),
    ]);
    await expectRollupsEqualScan(org.orgId);
    await deliverEvaluations(messages.slice(0, 3), judgeEnv);
    const rows = await expectRollupsEqualScan(org.orgId);

    // What the consumer put on each trace matches its stored evaluation.
    const byId = new Map(rows.map((row) => [row.id, row]));
    const stored = await Promise.all(
      ids.slice(0, 3).map(async (id) =>
        (await call("GET", `/api/v1/traces/${id}/evaluation`, { key: org.key })).json<{
          needs_review: boolean;
          latency_ms: number;
          issues: { rule: string }[];
          tiers: { tier: number; cost_usd: number }[];
        }>(),
      ),
    );
    expect(ids.slice(0, 3).map((id) => byId.get(id)?.stopTier)).toEqual([1, 3, 4]);
    stored.forEach((evaluation, i) => {
      const row = byId.get(ids[i] ?? "");
      const tierCost = (tier: number) => evaluation.tiers.find((t) => t.tier === tier)?.cost_usd ?? 0;
      expect(row).toMatchObject({
        judgeRan: evaluation.tiers.some((t) => t.tier === 3),
        needsReview: evaluation.needs_review,
        evaluationLatencyMs: evaluation.latency_ms,
        tierCosts: [tierCost(1), tierCost(2), tierCost(3)],
        issueRules: [...new Set(evaluation.issues.map((issue) => issue.rule))].map((rule) => ({
          rule,
          severity: expect.any(String),
        })),
      });
    });
    expect(byId.get(ids[1] ?? "")?.tierCosts?.[2]).toBeGreaterThan(0);

    const before = await env.DB.prepare(
      "SELECT * FROM trace_rollup_hourly WHERE org_id = ? ORDER BY domain, model",
    )
      .bind(org.orgId)
      .all();
    await deliverEvaluations(messages.slice(0, 3), judgeEnv);
    const after = await env.DB.prepare(
      "SELECT * FROM trace_rollup_hourly WHERE org_id = ? ORDER BY domain, model",
    )
      .bind(org.orgId)
      .all();
    expect(after.results).toEqual(before.results);

    expect((await call("DELETE", `/api/v1/traces/${ids[0]}`, { key: org.key })).status).toBe(204);
    await expectRollupsEqualScan(org.orgId);
    await env.DB.prepare("UPDATE traces SET created_at = created_at - 86400000 WHERE id = ?")
      .bind(ids[2])
      .run();
    await expectRollupsEqualScan(org.orgId);

    const summary = await get<{ traces: number; evaluated: number; pass: number; review: number }>(
      org,
      "summary",
    );
    expect(summary).toMatchObject({ traces: 3, evaluated: 2, pass: 1, review: 1 });
  });
});
