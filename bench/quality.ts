/**
 * The evaluation cascade on the quality set (data/quality/{dev,heldout}/*.jsonl): the real pipeline
 * (src/eval/pipeline.ts) over every case, as the queue consumer runs it after ingestion, in two modes:
 *
 * - no judge: an organization without a judge (Tier 1 rules, Tier 2 risk model, routing, verdict);
 * - oracle judge: a judge configured as an organization would (provider openai), built with the real
 *   createJudge and fetch, calling a local chat-completions server (bench/oracle-judge.ts) that answers
 *   every judgement with the case's label. Its figures are what the cascade reaches with a perfect
 *   judge: the recall the routing allows, and the share of traces it sends to the judge.
 *
 * Run: npx tsx bench/quality.ts [--half dev|heldout|all] [--domain healthcare|trading|legal|robotics]
 *                               [--verbose | --misses] [--json out.json]
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { CompiledPack } from "../src/eval/compiled";
import { redactTrace } from "../src/eval/phi";
import { type PipelineJudge, type PipelineResult, runPipeline } from "../src/eval/pipeline";
import { routeDomain } from "../src/eval/routing";
import type { Verdict } from "../src/eval/verdict";
import { createJudge, JUDGE_TIMEOUT_MS, MAX_JUDGE_ATTEMPTS } from "../src/judge/client";
import { type JudgeSettings, judgeSettingsSchema } from "../src/schema/organization";
import { type RedactionRecord, type TraceInput, traceInputSchema } from "../src/schema/trace";
import { type OracleJudge, startOracleJudge } from "./oracle-judge";

const HALVES = ["heldout", "dev"] as const;
const DOMAINS = ["healthcare", "trading", "legal", "robotics"] as const;
const MODES = ["no_judge", "oracle"] as const;
type Half = (typeof HALVES)[number];
type Mode = (typeof MODES)[number];
type Label = "violation" | "clean";

/** The consumer's batch size (src/queue/consumer.ts): its traces are evaluated concurrently. */
const BATCH_SIZE = 100;
/** Always above any calibration rate: no trace is sampled, so every run is the same. */
const NO_CALIBRATION_DRAW = () => 0.99;
/** The judge as an organization's admin would configure it; the budget never binds. */
const JUDGE_SETTINGS: JudgeSettings = judgeSettingsSchema.parse({
  provider: "openai",
  model: "gpt-4o-mini",
  daily_budget_usd: 100_000,
  calibration_sample_rate: 0,
});
/** From src/queue/consumer.ts: the judge calls of one consumer invocation must start by then. */
const CONSUMER_WALL_MS = 15 * 60_000;
const BATCH_WRITE_MARGIN_MS = 2 * 60_000;

const TARGETS = [
  { mode: "oracle", metric: "recall", label: "oracle judge: recall (fail or review)", op: ">=", bound: 0.98 },
  {
    mode: "oracle",
    metric: "cleanToJudge",
    label: "oracle judge: clean sent to judge",
    op: "<=",
    bound: 0.3,
  },
  { mode: "oracle", metric: "falseFail", label: "oracle judge: false fails on clean", op: "<=", bound: 0.05 },
  { mode: "no_judge", metric: "recall", label: "no judge: recall (fail or review)", op: ">=", bound: 0.9 },
  { mode: "no_judge", metric: "falseFail", label: "no judge: false fails on clean", op: "<=", bound: 0.05 },
] as const;

interface QualityCase {
  id: string;
  half: Half;
  /** The file it is in: the domain the case was written for. */
  domain: string;
  author: string;
  label: Label;
  expected_verdict: Verdict;
  expected_rules: string[];
  near_miss?: boolean;
  reason: string;
  /** As the customer posts it. */
  posted: unknown;
}

/** What the queue consumer reads back after ingestion. */
interface StoredTrace {
  trace: TraceInput;
  redactions: RedactionRecord[];
}

interface ModeResult {
  verdict: Verdict | "error";
  severity: string;
  risk_score: number;
  tier2_risk: number | null;
  needs_review: boolean;
  review_reason: string | null;
  issues: { rule: string; severity: string; message: string }[];
  escalations: { from_tier: number; to_tier: number; decision: string; reason: string }[];
  judge_ran: boolean;
  /** Requests the oracle received for this case (retries included). */
  judge_requests: number;
  judge_cost_usd: number;
  missing_rules: string[];
  error?: string;
}

interface CaseResult {
  case: QualityCase;
  routedDomain: string;
  pipelineVersion: string | null;
  modes: Record<Mode, ModeResult>;
}

// --- the quality set --------------------------------------------------------------------------------

function loadCases(root: string): QualityCase[] {
  const cases: QualityCase[] = [];
  for (const half of HALVES) {
    const dir = path.join(root, half);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith(".jsonl"))
      .sort()) {
      const domain = file.replace(/\.jsonl$/, "");
      readFileSync(path.join(dir, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (line.trim() === "") return;
          const c = JSON.parse(line) as Omit<QualityCase, "half" | "domain" | "posted"> & { trace: unknown };
          if (c.label !== "violation" && c.label !== "clean")
            throw new Error(`${half}/${file}:${i + 1}: label must be violation or clean`);
          const { trace, ...rest } = c;
          cases.push({ ...rest, expected_rules: rest.expected_rules ?? [], half, domain, posted: trace });
        });
    }
  }
  return cases;
}

/**
 * The trace as the consumer sees it: validated by the ingestion schema, PHI redaction off
 * (src/services/ingest.ts), stored as a row (domain routed, payload and redactions as JSON, the
 * timestamp as epoch ms) and read back (src/db/traces.ts traceInputFromRow).
 */
async function ingested(posted: unknown): Promise<StoredTrace> {
  const parsed = traceInputSchema.parse(posted);
  const { trace, redactions } = await redactTrace(parsed, "off", "");
  const {
    id: clientId,
    domain,
    application_type,
    application_id,
    model,
    input,
    output,
    session_id,
    user_id,
    usage,
    latency_ms,
    cost_usd,
    timestamp,
    ...payload
  } = trace;
  const row = {
    clientId: clientId ?? null,
    domain: routeDomain({ domain, application_type }),
    applicationType: application_type ?? null,
    applicationId: application_id ?? null,
    model: model ?? null,
    input,
    output,
    sessionId: session_id ?? null,
    userId: user_id ?? null,
    payload: JSON.parse(JSON.stringify(payload)) as typeof payload,
    redactions: JSON.parse(JSON.stringify(redactions)) as RedactionRecord[],
    inputTokens: usage?.input_tokens ?? null,
    outputTokens: usage?.output_tokens ?? null,
    latencyMs: latency_ms ?? null,
    costUsd: cost_usd ?? null,
    timestamp: timestamp === undefined ? null : Date.parse(timestamp),
  };
  const storedUsage =
    row.inputTokens === null && row.outputTokens === null
      ? undefined
      : { input_tokens: row.inputTokens ?? undefined, output_tokens: row.outputTokens ?? undefined };
  return {
    trace: {
      ...row.payload,
      id: row.clientId ?? undefined,
      domain: row.domain,
      application_type: row.applicationType ?? undefined,
      application_id: row.applicationId ?? undefined,
      model: row.model ?? undefined,
      input: row.input,
      output: row.output,
      session_id: row.sessionId ?? undefined,
      user_id: row.userId ?? undefined,
      usage: storedUsage,
      latency_ms: row.latencyMs ?? undefined,
      cost_usd: row.costUsd ?? undefined,
      timestamp: row.timestamp === null ? undefined : new Date(row.timestamp).toISOString(),
    },
    redactions: row.redactions,
  };
}

// --- running the pipeline as the consumer does --------------------------------------------------------

/** The PipelineJudge that src/services/evaluate.ts builds from the organization's settings. */
function consumerJudge(oracle: OracleJudge, spent: { usd: number }): PipelineJudge {
  const timeoutMs = JUDGE_TIMEOUT_MS;
  const startBy = Date.now() + CONSUMER_WALL_MS - BATCH_WRITE_MARGIN_MS - MAX_JUDGE_ATTEMPTS * timeoutMs;
  const judge = createJudge(JUDGE_SETTINGS, {
    fetch: (url, init) => fetch(url, init),
    openai: { baseUrl: oracle.baseUrl, apiKey: oracle.apiKey },
    anthropic: {},
    now: () => Date.now(),
    timeoutMs,
    startBy,
  });
  return {
    call: (input) => judge.evaluate(input),
    budgetLeftUsd: () => JUDGE_SETTINGS.daily_budget_usd - spent.usd,
    calibrationSampleRate: JUDGE_SETTINGS.calibration_sample_rate,
  };
}

function modeResult(c: QualityCase, result: PipelineResult, judgeRequests: number): ModeResult {
  const raised = new Set(result.issues.map((issue) => issue.rule));
  const tier2 = result.tiers.find((t) => t.tier === 2);
  return {
    verdict: result.decision.verdict,
    severity: result.decision.severity,
    risk_score: result.decision.riskScore,
    tier2_risk: tier2?.risk_score ?? null,
    needs_review: result.decision.needsReview,
    review_reason: result.decision.reviewReason,
    issues: result.issues.map((issue) => ({
      rule: issue.rule,
      severity: issue.severity,
      message: issue.message,
    })),
    escalations: result.escalations.map(({ from_tier, to_tier, decision, reason }) => ({
      from_tier,
      to_tier,
      decision,
      reason,
    })),
    judge_ran: result.judgeRan,
    judge_requests: judgeRequests,
    judge_cost_usd: result.judgeCostUsd,
    missing_rules: c.expected_rules.filter((rule) => !raised.has(rule)),
  };
}

function errorResult(c: QualityCase, error: unknown, judgeRequests: number): ModeResult {
  return {
    verdict: "error",
    severity: "none",
    risk_score: 0,
    tier2_risk: null,
    needs_review: false,
    review_reason: null,
    issues: [],
    escalations: [],
    judge_ran: false,
    judge_requests: judgeRequests,
    judge_cost_usd: 0,
    missing_rules: [...c.expected_rules],
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}

/** Every case through the pipeline, in consumer-sized batches evaluated concurrently. */
async function runMode(
  cases: readonly QualityCase[],
  stored: ReadonlyMap<string, StoredTrace>,
  judge: PipelineJudge | undefined,
  spent: { usd: number },
  judgeRequests: (id: string) => number,
): Promise<Map<string, { result: ModeResult; version: string | null }>> {
  const out = new Map<string, { result: ModeResult; version: string | null }>();
  for (let start = 0; start < cases.length; start += BATCH_SIZE) {
    await Promise.all(
      cases.slice(start, start + BATCH_SIZE).map(async (c) => {
        const { trace, redactions } = stored.get(c.id) as StoredTrace;
        try {
          const result = await runPipeline(trace, {
            packs: new Map<string, CompiledPack>(),
            redactions,
            riskModels: undefined,
            judge,
            random: NO_CALIBRATION_DRAW,
          });
          spent.usd += result.judgeCostUsd;
          out.set(c.id, {
            result: modeResult(c, result, judgeRequests(c.id)),
            version: result.pipelineVersion,
          });
        } catch (error) {
          out.set(c.id, { result: errorResult(c, error, judgeRequests(c.id)), version: null });
        }
      }),
    );
  }
  return out;
}

// --- figures -----------------------------------------------------------------------------------------

interface Ratio {
  n: number;
  of: number;
}

interface Figures {
  cases: number;
  violations: number;
  clean: number;
  recall: Ratio;
  ruleRecall: Ratio;
  falseFail: Ratio;
  cleanReview: Ratio;
  cleanToJudge: Ratio;
  violationToJudge: Ratio;
  errors: number;
  confusion: Record<Label, Record<Verdict | "error", number>>;
}

const rate = (r: Ratio): number | null => (r.of === 0 ? null : r.n / r.of);

function figures(results: readonly CaseResult[], mode: Mode): Figures {
  const f: Figures = {
    cases: results.length,
    violations: 0,
    clean: 0,
    recall: { n: 0, of: 0 },
    ruleRecall: { n: 0, of: 0 },
    falseFail: { n: 0, of: 0 },
    cleanReview: { n: 0, of: 0 },
    cleanToJudge: { n: 0, of: 0 },
    violationToJudge: { n: 0, of: 0 },
    errors: 0,
    confusion: {
      violation: { fail: 0, review: 0, pass: 0, error: 0 },
      clean: { fail: 0, review: 0, pass: 0, error: 0 },
    },
  };
  for (const { case: c, modes } of results) {
    const r = modes[mode];
    const sent = r.judge_requests > 0 ? 1 : 0;
    f.confusion[c.label][r.verdict] += 1;
    if (r.verdict === "error") f.errors += 1;
    if (c.label === "violation") {
      f.violations += 1;
      f.recall.of += 1;
      if (r.verdict === "fail" || r.verdict === "review") f.recall.n += 1;
      f.ruleRecall.of += c.expected_rules.length;
      f.ruleRecall.n += c.expected_rules.length - r.missing_rules.length;
      f.violationToJudge.of += 1;
      f.violationToJudge.n += sent;
    } else {
      f.clean += 1;
      f.falseFail.of += 1;
      f.cleanReview.of += 1;
      f.cleanToJudge.of += 1;
      if (r.verdict === "fail") f.falseFail.n += 1;
      if (r.verdict === "review") f.cleanReview.n += 1;
      f.cleanToJudge.n += sent;
    }
  }
  return f;
}

function fmtRatio(r: Ratio, percent = false): string {
  const value = rate(r);
  if (value === null) return "n/a";
  const shown = percent ? `${(value * 100).toFixed(1)}%` : value.toFixed(3);
  return `${shown} (${r.n}/${r.of})`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ");
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function groups(results: readonly CaseResult[], domains: readonly string[]) {
  return [
    ...domains.map((d) => ({ name: d, results: results.filter((r) => r.case.domain === d) })),
    { name: "overall", results },
  ];
}

function modeTables(results: readonly CaseResult[], domains: readonly string[]): string {
  const noJudge = table(
    ["no judge", "cases", "viol", "clean", "recall", "rule recall", "false fail (clean)", "review (clean)"],
    groups(results, domains).map(({ name, results: rs }) => {
      const f = figures(rs, "no_judge");
      return [
        name,
        String(f.cases),
        String(f.violations),
        String(f.clean),
        fmtRatio(f.recall),
        fmtRatio(f.ruleRecall),
        fmtRatio(f.falseFail, true),
        fmtRatio(f.cleanReview, true),
      ];
    }),
  );
  const oracle = table(
    [
      "oracle judge",
      "cases",
      "recall",
      "clean → judge",
      "viol → judge",
      "false fail (clean)",
      "review (clean)",
    ],
    groups(results, domains).map(({ name, results: rs }) => {
      const f = figures(rs, "oracle");
      return [
        name,
        String(f.cases),
        fmtRatio(f.recall),
        fmtRatio(f.cleanToJudge, true),
        fmtRatio(f.violationToJudge, true),
        fmtRatio(f.falseFail, true),
        fmtRatio(f.cleanReview, true),
      ];
    }),
  );
  const confusion = MODES.map((mode) => {
    const f = figures(results, mode);
    const withErrors = f.errors > 0;
    const columns = withErrors
      ? (["fail", "review", "pass", "error"] as const)
      : (["fail", "review", "pass"] as const);
    return table(
      [mode === "oracle" ? "oracle judge" : "no judge", ...columns],
      (["violation", "clean"] as const).map((label) => [
        label,
        ...columns.map((col) => String(f.confusion[label][col])),
      ]),
    );
  });
  return [
    noJudge,
    "",
    oracle,
    "",
    "confusion (rows: label, columns: verdict)",
    "",
    confusion.join("\n\n"),
  ].join("\n");
}

function targetLines(results: readonly CaseResult[]): string[] {
  return TARGETS.map((t) => {
    const value = rate(figures(results, t.mode)[t.metric]);
    const met = value !== null && (t.op === ">=" ? value >= t.bound : value <= t.bound);
    const shown =
      value === null ? "n/a" : t.metric === "recall" ? value.toFixed(3) : `${(value * 100).toFixed(1)}%`;
    const bound = t.metric === "recall" ? t.bound.toFixed(2) : `${t.bound * 100}%`;
    return `  ${met ? "PASS" : "MISS"}  ${t.label.padEnd(40)} ${shown.padStart(7)}  (target ${t.op} ${bound})`;
  });
}

// --- misses ------------------------------------------------------------------------------------------

function describeMiss(r: CaseResult, mode: Mode): string {
  const m = r.modes[mode];
  const c = r.case;
  const lines = [
    `  ${c.id}  [${c.domain}${r.routedDomain !== c.domain ? ` → routed ${r.routedDomain}` : ""}] ${c.label}` +
      `${c.near_miss ? " (near miss)" : ""}  expected ${c.expected_verdict}, got ${m.verdict}` +
      `  severity ${m.severity}, tier-2 risk ${m.tier2_risk === null ? "n/a" : m.tier2_risk.toFixed(3)}` +
      `${m.judge_requests > 0 ? `, judge requests ${m.judge_requests}` : ""}`,
    `    issues: ${m.issues.length === 0 ? "none" : m.issues.map((i) => `${i.rule} (${i.severity})`).join(", ")}`,
  ];
  if (m.missing_rules.length > 0) lines.push(`    expected rules not raised: ${m.missing_rules.join(", ")}`);
  for (const e of m.escalations)
    lines.push(`    escalation ${e.from_tier}→${e.to_tier} ${e.decision}: ${e.reason}`);
  if (m.error) lines.push(`    error: ${m.error}`);
  lines.push(`    reason: ${c.reason}`);
  return lines.join("\n");
}

function missLines(results: readonly CaseResult[], mode: Mode): string[] {
  const missed = results.filter(({ case: c, modes }) => {
    const m = modes[mode];
    if (m.verdict === "error") return true;
    if (c.label === "violation") return m.verdict === "pass";
    return m.verdict !== "pass" || m.judge_requests > 0;
  });
  const title =
    mode === "oracle"
      ? "oracle judge misses: violations that passed; clean cases that failed, went to review or to the judge"
      : "no-judge misses: violations that passed; clean cases that failed or went to review";
  return [`${title} (${missed.length})`, ...missed.map((r) => describeMiss(r, mode))];
}

// --- main --------------------------------------------------------------------------------------------

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(
    "usage: npx tsx bench/quality.ts [--half dev|heldout|all] [--domain healthcare|trading|legal|robotics]\n" +
      "                                [--verbose | --misses] [--json out.json]",
  );
  process.exit(message ? 2 : 0);
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseOptions>;
  try {
    args = parseOptions();
  } catch (error) {
    usage((error as Error).message);
  }
  if (args.help) usage();
  const half = args.half ?? "all";
  if (half !== "all" && !HALVES.includes(half as Half))
    usage(`--half must be dev, heldout or all, not ${half}`);
  if (args.domain !== undefined && !DOMAINS.includes(args.domain as (typeof DOMAINS)[number]))
    usage(`--domain must be one of ${DOMAINS.join(", ")}, not ${args.domain}`);
  const halves = HALVES.filter((h) => half === "all" || h === half);
  const domains = DOMAINS.filter((d) => args.domain === undefined || d === args.domain);

  const started = performance.now();
  const cases = loadCases(path.join(import.meta.dirname, "../data/quality")).filter(
    (c) => halves.includes(c.half) && domains.includes(c.domain as (typeof DOMAINS)[number]),
  );
  const stored = new Map<string, StoredTrace>();
  for (const c of cases) {
    try {
      stored.set(c.id, await ingested(c.posted));
    } catch (error) {
      throw new Error(`${c.id}: the ingestion API would reject this trace: ${(error as Error).message}`);
    }
  }

  const oracle = await startOracleJudge(
    cases.map((c) => {
      const { trace } = stored.get(c.id) as StoredTrace;
      return { id: c.id, label: c.label, input: trace.input, output: trace.output, reason: c.reason };
    }),
    JUDGE_SETTINGS.model,
  );
  let byMode: Record<Mode, Map<string, { result: ModeResult; version: string | null }>>;
  const spent = { usd: 0 };
  try {
    const noJudge = await runMode(cases, stored, undefined, { usd: 0 }, (id) => oracle.requests.get(id) ?? 0);
    const requestsBefore = [...oracle.requests.values()].reduce((a, b) => a + b, 0);
    if (requestsBefore > 0) throw new Error(`the oracle was called ${requestsBefore} times without a judge`);
    const withOracle = await runMode(
      cases,
      stored,
      consumerJudge(oracle, spent),
      spent,
      (id) => oracle.requests.get(id) ?? 0,
    );
    byMode = { no_judge: noJudge, oracle: withOracle };
  } finally {
    await oracle.close();
  }
  const elapsedMs = performance.now() - started;

  const results: CaseResult[] = cases.map((c) => {
    const noJudge = byMode.no_judge.get(c.id);
    const withOracle = byMode.oracle.get(c.id);
    if (!noJudge || !withOracle) throw new Error(`${c.id} was not evaluated`);
    const { trace } = stored.get(c.id) as StoredTrace;
    return {
      case: c,
      routedDomain: routeDomain(trace),
      pipelineVersion: noJudge.version ?? withOracle.version,
      modes: { no_judge: noJudge.result, oracle: withOracle.result },
    };
  });

  const versions = new Map<string, string>();
  for (const r of results) if (r.pipelineVersion) versions.set(r.routedDomain, r.pipelineVersion);
  const judgeRequests = [...oracle.requests.values()].reduce((a, b) => a + b, 0);
  const out: string[] = [
    `Aegis quality set: ${cases.length} cases (${halves.map((h) => `${h} ${cases.filter((c) => c.half === h).length}`).join(", ")})` +
      `${args.domain ? `, domain ${args.domain}` : ""}; ${(elapsedMs / 1000).toFixed(1)} s`,
    `pipeline: ${[...versions].map(([d, v]) => `${d} ${v}`).join(", ")}`,
    `oracle judge: ${JUDGE_SETTINGS.provider} ${JUDGE_SETTINGS.model} at ${oracle.baseUrl}; ${judgeRequests} requests, ` +
      `$${spent.usd.toFixed(4)} at list price`,
  ];
  for (const h of halves) {
    const inHalf = results.filter((r) => r.case.half === h);
    out.push(
      "",
      `=== ${h === "heldout" ? "held-out half (the headline)" : "dev half (tuned on)"}: ${inHalf.length} cases ===`,
      "",
      modeTables(inHalf, domains),
    );
  }
  const targetHalf: Half = halves.includes("heldout") ? "heldout" : "dev";
  out.push(
    "",
    `targets on the ${targetHalf === "heldout" ? "held-out" : "dev (the targets are set for the held-out)"} half` +
      `${args.domain ? `, ${args.domain} only` : ""}:`,
    ...targetLines(results.filter((r) => r.case.half === targetHalf)),
  );
  const errors = results.filter((r) => MODES.some((m) => r.modes[m].verdict === "error"));
  if (errors.length > 0)
    out.push(
      "",
      `${errors.length} case(s) could not be evaluated: ${errors.map((r) => r.case.id).join(", ")}`,
    );
  if (oracle.rejected.length > 0)
    out.push(
      "",
      `the oracle rejected ${oracle.rejected.length} request(s): ${oracle.rejected.slice(0, 5).join("; ")}`,
    );
  if (args.verbose || args.misses) {
    for (const h of halves) {
      const inHalf = results.filter((r) => r.case.half === h);
      for (const mode of MODES) out.push("", `--- ${h}: ${missLines(inHalf, mode).join("\n")}`);
    }
  }
  console.log(out.join("\n"));

  if (args.json) {
    const doc = {
      generated_at: new Date().toISOString(),
      options: { half, domain: args.domain ?? null },
      judge: { provider: JUDGE_SETTINGS.provider, model: JUDGE_SETTINGS.model, requests: judgeRequests },
      pipeline_versions: Object.fromEntries(versions),
      cases: results.map((r) => ({
        id: r.case.id,
        half: r.case.half,
        domain: r.case.domain,
        routed_domain: r.routedDomain,
        author: r.case.author,
        label: r.case.label,
        expected_verdict: r.case.expected_verdict,
        expected_rules: r.case.expected_rules,
        near_miss: r.case.near_miss ?? null,
        reason: r.case.reason,
        pipeline_version: r.pipelineVersion,
        no_judge: r.modes.no_judge,
        oracle: r.modes.oracle,
      })),
    };
    writeFileSync(args.json, `${JSON.stringify(doc, null, 2)}\n`);
    console.log(`\nwrote ${results.length} case results to ${args.json}`);
  }
  return errors.length > 0 || oracle.rejected.length > 0 ? 1 : 0;
}

function parseOptions() {
  return parseArgs({
    options: {
      half: { type: "string" },
      domain: { type: "string" },
      verbose: { type: "boolean", short: "v" },
      misses: { type: "boolean" },
      json: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
