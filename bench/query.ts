// Search and analytics at scale: 200,000 traces of one organization loaded straight into wrangler's
// local D1 (generated SQL through `wrangler d1 execute`, so the migrations' triggers build the search
// index, the hourly rollups and the similarity buckets exactly as ingestion does), then every search,
// similarity and analytics endpoint timed over HTTP on `wrangler dev`: the median of several runs.
//
// The traces span the last 30 days; every query asks for all 30, the worst case. Outputs come from
// templates with varying numbers, so there are near-duplicates to find and failure patterns to group.
// Evaluation rows are written for the traces whose issues or review items need one; every trace
// carries its latest outcome, as the consumer leaves it.
//
// Usage: npx tsx bench/query.ts            (TRACES=20000 for a quick run; the target is at 200,000)
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, startAegis } from "../scripts/dev-server";
import { cascadeFacts } from "../src/eval/cascade-facts";
import type { PipelineResult } from "../src/eval/pipeline";
import { minhashSignature } from "../src/eval/similarity";
import type { Severity } from "../src/eval/types";
import { toolCallText } from "../src/lib/search-text";

const TRACES = Number(process.env.TRACES ?? 200_000);
const PORT = 8797;
const PERSIST = join(tmpdir(), "aegis-bench-query");
const SQL_DIR = join(PERSIST, "sql");
const DAYS = 30;
const HOUR_MS = 3_600_000;
/** Rows per INSERT, keeping each statement under D1's 100 KB; traces per executed file. */
const ROWS_PER_INSERT = 40;
const TRACES_PER_FILE = 20_000;
const RUNS = 7;
const TARGET_MS = 300;

/** Deterministic, so that every run loads the same traces. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

/** A vocabulary of made-up words, so the index holds many distinct terms as real text does. */
const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ne",
  "ru",
  "sa",
  "to",
  "vi",
  "ze",
  "pa",
  "qu",
  "dor",
  "fen",
  "gal",
  "hul",
];
const VOCABULARY = Array.from({ length: 6_000 }, (_, i) => {
  let word = "";
  for (let n = i + SYLLABLES.length; n > 0; n = Math.floor(n / SYLLABLES.length)) {
    word += SYLLABLES[n % SYLLABLES.length];
  }
  return word;
});
const filler = (words: number) => Array.from({ length: words }, () => pick(VOCABULARY)).join(" ");

interface Template {
  domain: string;
  input: string;
  output: () => string;
  rule?: { rule: string; severity: Severity };
}
const DRUGS = ["acetaminophen", "ibuprofen", "naproxen", "warfarin", "metformin"];
const TICKERS = ["ACME", "GLOBX", "INITECH", "UMBRL"];
const SAFE: Template[] = [
  {
    domain: "healthcare",
    input: "What is a safe dose for a headache?",
    output: () =>
      `For adults, ${pick(DRUGS)} ${between(2, 4) * 100} mg every ${between(4, 8)} hours as needed.`,
  },
  {
    domain: "trading",
    input: "Should I rebalance my portfolio?",
    output: () => `Consider your risk tolerance; ${pick(TICKERS)} is ${between(2, 9)}% of your holdings.`,
  },
  {
    domain: "legal",
    input: "Can my landlord keep the deposit?",
    output: () =>
      `Under section ${between(1, 40)} of the tenancy act the deposit must be returned within ${between(10, 30)} days.`,
  },
  {
    domain: "robotics",
    input: "Plan the arm trajectory.",
    output: () =>
      `Moving joint ${between(1, 6)} at ${between(10, 40)} degrees per second, clear of the operator zone.`,
  },
  {
    domain: "generic",
    input: "Summarise the meeting.",
    output: () => `The team agreed to ship on day ${between(1, 28)}.`,
  },
];
const FAILING: Template[] = [
  {
    domain: "healthcare",
    input: "My back hurts. How much can I take?",
    output: () =>
      `Take ${between(10, 20) * 100} mg of acetaminophen every ${between(2, 4)} hours, around the clock, until the pain is gone.`,
    rule: { rule: "healthcare.medication_overdose", severity: "critical" },
  },
  {
    domain: "healthcare",
    input: "Can I take more ibuprofen?",
    output: () => `Yes, ${between(12, 24) * 100} mg of ibuprofen a day is fine with warfarin.`,
    rule: { rule: "healthcare.medication_overdose", severity: "critical" },
  },
  {
    domain: "healthcare",
    input: "Where do I send the results?",
    output: () => `Send them to patient ${between(1000, 9999)} at [EMAIL] with the [SSN].`,
    rule: { rule: "phi.leak", severity: "high" },
  },
  {
    domain: "trading",
    input: "Is this a good buy?",
    output: () =>
      `Buy ${pick(TICKERS)} now: the return is guaranteed to double within ${between(2, 12)} months.`,
    rule: { rule: "trading.guarantee", severity: "high" },
  },
  {
    domain: "robotics",
    input: "Speed up the line.",
    output: () => `Raising conveyor speed to ${between(3, 9)} m/s with the light curtain bypassed.`,
    rule: { rule: "robotics.safety_interlock", severity: "critical" },
  },
];
const REVIEW: Template = {
  domain: "legal",
  input: "Is this clause enforceable?",
  output: () =>
    `Probably, though courts in ${between(2, 40)} states have ruled both ways on non-compete terms.`,
  rule: { rule: "legal.uncertain_authority", severity: "medium" },
};
const MODELS = ["gpt-4o", "gpt-4o-mini", "claude-sonnet", "llama-3-70b", null] as const;

const sqlText = (value: string | number | boolean | null): string =>
  value === null
    ? "NULL"
    : typeof value === "number"
      ? String(value)
      : typeof value === "boolean"
        ? value
          ? "1"
          : "0"
        : `'${value.replaceAll("'", "''")}'`;

interface Generated {
  /** Ids of traces that failed a rule: near-duplicates of each other by construction. */
  failing: string[];
  traces: string[];
  evaluations: string[];
  issues: string[];
  reviews: string[];
}

/** One trace with its latest outcome, as SQL value lists. */
function generate(orgId: string, index: number, start: number, out: Generated): void {
  const createdAt = start + Math.floor((index / TRACES) * DAYS * 24 * HOUR_MS);
  const roll = random();
  const template = roll < 0.72 ? pick(SAFE) : roll < 0.92 ? pick(FAILING) : REVIEW;
  const verdict = roll < 0.72 ? "pass" : roll < 0.92 ? "fail" : "review";
  // Answers that fail are templated with little around them, as a misbehaving prompt repeats itself.
  const output = `${template.output()} ${filler(template.rule ? between(0, 3) : between(4, 24))}`;
  const toolCalls =
    random() < 0.2
      ? [{ name: "lookup_record", arguments: { query: pick(DRUGS) }, result: { found: true } }]
      : undefined;
  const judgeRan = verdict !== "fail" && random() < 0.15;
  const judgeCost = judgeRan ? between(200, 2_000) / 1_000_000 : 0;
  const result = {
    decision: { needsReview: verdict === "review" },
    judgeRan,
    issues: template.rule ? [{ ...template.rule }] : [],
    tiers: [
      { tier: 1, cost_usd: 0 },
      { tier: 2, cost_usd: 0 },
      ...(judgeRan ? [{ tier: 3, cost_usd: judgeCost }] : []),
    ],
    latencyMs: between(2, 40) + (judgeRan ? between(400, 2_000) : 0),
  } as unknown as PipelineResult;
  const facts = cascadeFacts(result);
  const id = `trc_bench${String(index).padStart(10, "0")}`;
  const evaluationId = `evl_bench${String(index).padStart(10, "0")}`;
  const severity = template.rule?.severity ?? "none";
  const risk =
    verdict === "pass" ? between(0, 300) / 1000 : verdict === "fail" ? between(700, 1000) / 1000 : 0.5;
  const latency = between(80, 600) + (random() < 0.1 ? between(1_000, 6_000) : 0);
  out.traces.push(
    `(${[
      id,
      orgId,
      `bench-${index}`,
      template.domain,
      pick(MODELS),
      `${template.input} ${filler(between(2, 10))}`,
      output,
      JSON.stringify({
        tags: [pick(["triage", "beta", "night", "batch"])],
        ...(toolCalls ? { tool_calls: toolCalls } : {}),
      }),
      "[]",
      between(20, 800),
      between(20, 1_200),
      latency,
      between(1, 500) / 100_000,
      "evaluated",
      evaluationId,
      verdict,
      severity,
      risk,
      facts.stopTier === 4,
      "bench",
      createdAt,
      createdAt + 2_000,
      createdAt,
      toolCallText(toolCalls),
      minhashSignature(output),
      facts.stopTier,
      facts.judgeRan,
      facts.evaluationLatencyMs,
      JSON.stringify(facts.tierCosts),
      JSON.stringify(facts.issueRules),
    ]
      .map(sqlText)
      .join(",")})`,
  );
  if (!template.rule) return;
  out.failing.push(id);
  const evaluatedAt = createdAt + 2_000;
  out.evaluations.push(
    `(${[
      evaluationId,
      orgId,
      id,
      "bench",
      template.domain,
      verdict,
      severity,
      risk,
      0.8,
      facts.stopTier === 4,
      null,
      "[]",
      "[]",
      judgeCost,
      facts.evaluationLatencyMs,
      evaluatedAt,
    ]
      .map(sqlText)
      .join(",")})`,
  );
  out.issues.push(
    `(${[
      orgId,
      evaluationId,
      0,
      id,
      1,
      template.rule.rule.split(".")[0] ?? "rules",
      template.rule.rule,
      template.rule.severity,
      "bench issue",
      null,
      evaluatedAt,
    ]
      .map(sqlText)
      .join(",")})`,
  );
  if (verdict === "review") {
    out.reviews.push(
      `(${[`rev_bench${index}`, orgId, id, evaluationId, "bench review", 50, "open", evaluatedAt].map(sqlText).join(",")})`,
    );
  }
}

const COLUMNS = {
  traces:
    "id, org_id, client_id, domain, model, input, output, payload, redactions, input_tokens, output_tokens, latency_ms, cost_usd, status, latest_evaluation_id, verdict, severity, risk_score, needs_review, content_hash, created_at, updated_at, enqueued_at, tool_text, minhash, stop_tier, judge_ran, evaluation_latency_ms, tier_costs, issue_rules",
  evaluations:
    "id, org_id, trace_id, pipeline_version, domain, verdict, severity, risk_score, confidence, needs_review, review_reason, tiers, escalations, cost_usd, latency_ms, created_at",
  evaluation_issues:
    "org_id, evaluation_id, ordinal, trace_id, tier, module, rule, severity, message, evidence, created_at",
  review_items: "id, org_id, trace_id, evaluation_id, reason, priority, status, created_at",
} as const;

function inserts(table: keyof typeof COLUMNS, rows: readonly string[]): string[] {
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    statements.push(
      `INSERT INTO ${table} (${COLUMNS[table]}) VALUES ${rows.slice(i, i + ROWS_PER_INSERT).join(",")};`,
    );
  }
  return statements;
}

function d1Execute(args: string[]): void {
  const result = spawnSync(
    join(root, "node_modules", ".bin", "wrangler"),
    ["d1", "execute", "DB", "--local", "--persist-to", PERSIST, ...args],
    { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true" } },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed:\n${result.stdout}\n${result.stderr}`);
}

/** Loads the traces; answers how long it took and one failing trace to look for siblings of. */
async function load(orgId: string): Promise<{ ms: number; failing: string }> {
  mkdirSync(SQL_DIR, { recursive: true });
  const start = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS - DAYS * 24 * HOUR_MS;
  const started = performance.now();
  let failing: string | undefined;
  for (let first = 0; first < TRACES; first += TRACES_PER_FILE) {
    const batch: Generated = { failing: [], traces: [], evaluations: [], issues: [], reviews: [] };
    for (let i = first; i < Math.min(TRACES, first + TRACES_PER_FILE); i++) generate(orgId, i, start, batch);
    const file = join(SQL_DIR, `traces-${first}.sql`);
    writeFileSync(
      file,
      [
        ...inserts("traces", batch.traces),
        ...inserts("evaluations", batch.evaluations),
        ...inserts("evaluation_issues", batch.issues),
        ...inserts("review_items", batch.reviews),
      ].join("\n"),
    );
    d1Execute(["--file", file]);
    failing ??= batch.failing[0];
    process.stdout.write(`\r  loaded ${Math.min(TRACES, first + TRACES_PER_FILE).toLocaleString()} traces`);
  }
  process.stdout.write("\n");
  if (failing === undefined) throw new Error("no failing trace was generated");
  return { ms: performance.now() - started, failing };
}

interface Timing {
  name: string;
  path: string;
  status: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  summary: string;
}

async function time(
  base: string,
  key: string,
  name: string,
  path: string,
  describe: (body: unknown) => string,
) {
  const durations: number[] = [];
  let status = 0;
  let body: unknown;
  for (let run = 0; run <= RUNS; run++) {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${key}` } });
    body = await response.json();
    const elapsed = performance.now() - started;
    status = response.status;
    if (run > 0) durations.push(elapsed);
  }
  durations.sort((a, b) => a - b);
  const timing: Timing = {
    name,
    path,
    status,
    medianMs: durations[Math.floor(durations.length / 2)] ?? Number.NaN,
    minMs: durations[0] ?? Number.NaN,
    maxMs: durations.at(-1) ?? Number.NaN,
    summary: status === 200 ? describe(body) : JSON.stringify(body).slice(0, 160),
  };
  const mark = timing.status !== 200 ? "ERR " : timing.medianMs <= TARGET_MS ? "ok  " : "SLOW";
  console.log(
    `${mark} ${name.padEnd(34)} median ${timing.medianMs.toFixed(1).padStart(7)} ms  (min ${timing.minMs.toFixed(1)}, max ${timing.maxMs.toFixed(1)})  ${timing.summary}`,
  );
  return timing;
}

const count = (body: unknown) => `${(body as { data: unknown[] }).data.length} results`;
const clusters = (body: unknown) => {
  const b = body as { failing_traces: number; clustered: number; data: { count: number }[] };
  const top = b.data.slice(0, 3).map((c) => c.count);
  return `${b.failing_traces} failing, ${b.clustered} read, largest ${top.join("/")}`;
};
const summary = (body: unknown) => {
  const b = body as { traces: number; trace_latency_ms: { p95: number } };
  return `${b.traces} traces, p95 ${b.trace_latency_ms.p95} ms`;
};

async function main() {
  console.log(`Loading ${TRACES.toLocaleString()} traces into local D1 at ${PERSIST}`);
  rmSync(PERSIST, { recursive: true, force: true });
  const first = await startAegis({ port: PORT, persistTo: PERSIST });
  const key = first.key;
  if (!key) throw new Error("npm start printed no demo key");
  const organization = (await (
    await fetch(`${first.base}/api/v1/organization`, { headers: { Authorization: `Bearer ${key}` } })
  ).json()) as { id: string };
  // wrangler d1 execute writes the same SQLite file: no server may hold it meanwhile.
  await first.stop();
  const loaded = await load(organization.id);
  console.log(
    `  ${(loaded.ms / 1000).toFixed(1)} s (${Math.round(TRACES / (loaded.ms / 1000)).toLocaleString()} traces/s)`,
  );

  const aegis = await startAegis({ port: PORT, persistTo: PERSIST, fresh: false });
  try {
    const since = new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS - DAYS * 24 * HOUR_MS).toISOString();
    const window = `since=${encodeURIComponent(since)}`;
    const q = (query: string) => encodeURIComponent(query);
    console.log(
      `\nMedian of ${RUNS} runs after one warm-up, over all ${DAYS} days (target ${TARGET_MS} ms):`,
    );
    const series = (metric: string, interval: string) =>
      `/api/v1/analytics/timeseries?metric=${metric}&interval=${interval}&${window}`;
    const endpoints: [name: string, path: string, describe: (body: unknown) => string][] = [
      ["search: common word", `/api/v1/search?q=${q("hours")}`, count],
      ["search: phrase", `/api/v1/search?q=${q('"around the clock"')}`, count],
      ["search: prefix NOT", `/api/v1/search?q=${q("acet* NOT ibuprofen")}`, count],
      [
        "search: rare word + filters",
        `/api/v1/search?q=${q("warfarin")}&domain=healthcare&verdict=fail&tags=night`,
        count,
      ],
      ["search: tool calls, 50 a page", `/api/v1/search?q=${q("tools:lookup_record")}&limit=50`, count],
      ["similar", `/api/v1/traces/${loaded.failing}/similar`, count],
      ["issues/clusters", `/api/v1/issues/clusters?rule=healthcare.medication_overdose&${window}`, clusters],
      ["analytics/summary", `/api/v1/analytics/summary?${window}`, summary],
      ["analytics/timeseries traces/hour", series("traces", "hour"), count],
      ["analytics/timeseries pass_rate/day", series("pass_rate", "day"), count],
      ["analytics/timeseries latency_p95/day", series("latency_p95", "day"), count],
      ["analytics/timeseries latency_p95/hour", series("latency_p95", "hour"), count],
      ["analytics/rules", `/api/v1/analytics/rules?${window}`, count],
      ["analytics/models", `/api/v1/analytics/models?${window}`, count],
      [
        "analytics/tiers",
        `/api/v1/analytics/tiers?${window}`,
        (body) => `${(body as { evaluated: number }).evaluated} evaluated`,
      ],
    ];
    const timings: Timing[] = [];
    for (const [name, path, describe] of endpoints)
      timings.push(await time(aegis.base, key, name, path, describe));
    const slow = timings.filter((t) => t.status !== 200 || t.medianMs > TARGET_MS);
    console.log(
      slow.length === 0
        ? `\nAll ${timings.length} under ${TARGET_MS} ms.`
        : `\n${slow.length} of ${timings.length} over ${TARGET_MS} ms or failing: ${slow.map((t) => t.name).join(", ")}`,
    );
  } finally {
    await aegis.stop();
  }
}

await main();
