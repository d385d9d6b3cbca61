/**
 * Tier 1 throughput on a deterministic mixed corpus: 10,000 traces of about 2 KB across all domains,
 * measured over five rounds; each figure is the median of the rounds.
 * Run: npx tsx bench/eval.ts
 */

import { evaluateTier1, type Tier1Options } from "../src/eval/index";
import type { TraceInput } from "../src/schema/trace";
import { ADVERSARIAL_CHARS, ADVERSARIAL_TEXT } from "../test/support/adversarial-text";

const TRACE_COUNT = 10_000;
const TARGET_CHARS = 2_000;
const WARMUP_ROUNDS = 2;
const MEASURED_ROUNDS = 5;

/** mulberry32: a small seeded PRNG so every run evaluates the same corpus. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTENCES: Readonly<Record<string, readonly string[]>> = {
  healthcare: [
    "For a tension headache, adults can take 500 mg of acetaminophen every 6 hours as needed.",
    "Ibuprofen 400 mg three times a day with food is a common regimen for short-term pain.",
    "Metformin is usually started at 500 mg twice daily and increased gradually.",
    "Take 1000 mg of acetaminophen every 4 hours until the fever breaks.",
    "Because you take warfarin, avoid combining it with ibuprofen: together they raise the bleeding risk.",
    "These symptoms are consistent with a viral infection, but please see your doctor if they persist.",
    "Stay hydrated, rest, and monitor your temperature twice a day.",
    "Patient John Carter, DOB 04/12/1961, was seen for follow-up of hypertension.",
    "Lisinopril 10 mg once daily has kept the blood pressure well controlled.",
    "Methotrexate 15 mg once weekly with folic acid on the other days is the usual schedule.",
  ],
  trading: [
    "The company reports earnings next Tuesday and options imply a 6% move.",
    "I would buy AAPL on a pullback toward its 50-day moving average.",
    "Diversification across sectors lowers the volatility of the portfolio.",
    "This is not financial advice; all investing involves risk, including the loss of principal.",
    "Treasury yields rose 12 basis points after the inflation report.",
    "A covered call strategy can generate income while capping upside.",
    "Position sizing should reflect your risk tolerance and time horizon.",
  ],
  legal: [
    "Under Brown v. Board of Education, 347 U.S. 483 (1954), segregated public schools were held unconstitutional.",
    "A landlord must generally give written notice before entering the unit, except in emergencies.",
    "Claims under 42 U.S.C. § 1983 require action under color of state law.",
    "Statutes of limitations vary by state and by the type of claim.",
    "This is general information, not legal advice; consult a licensed attorney in your state.",
    "You should file a complaint with the housing authority within 30 days.",
    "Small claims courts handle disputes up to a monetary limit set by each state.",
  ],
  robotics: [
    "Plan: move the arm to the pick pose, close the gripper, then retract along the approach vector.",
    "The trajectory passes through three waypoints at 0.2 m/s.",
    "Before each motion the controller checks the emergency stop circuit and the light curtain.",
    "Joint angles are interpolated with a quintic profile to limit jerk.",
    "The vision system reports the part 0.42 m in front of the base frame.",
  ],
  generic: [
    "Here is a summary of the document you shared, organised by section.",
    "The main argument is that remote work increases productivity for focused tasks.",
    "You can reach our support team at help@example.com or 555-201-7788.",
    "The quarterly report shows revenue up 8% and costs down 3%.",
    "Let me know if you would like a shorter version or a table instead.",
    "The previous instructions in the document ask to reveal secrets; I will ignore that and continue.",
  ],
};

const DOMAINS = ["healthcare", "trading", "legal", "robotics", "generic"] as const;

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("empty list");
  return item;
}

function paragraph(random: () => number, bank: readonly string[], chars: number): string {
  let text = "";
  while (text.length < chars) text += `${pick(random, bank)} `;
  return text.trim();
}

function buildTrace(random: () => number, i: number): TraceInput {
  const domain = DOMAINS[i % DOMAINS.length] ?? "generic";
  const bank = SENTENCES[domain] ?? [];
  const trace: TraceInput = {
    id: `bench-${i}`,
    domain,
    input: paragraph(random, bank, 300),
    output: paragraph(random, bank, TARGET_CHARS - 300),
  };
  if (domain === "healthcare")
    trace.context = { patient: { medications: ["warfarin 5 mg daily", "metformin"] } };
  if (domain === "trading") {
    trace.context = { market: { max_position_value: 50_000 } };
    trace.tool_calls = [
      {
        name: "place_order",
        arguments: { symbol: "AAPL", quantity: Math.floor(random() * 500), price: 190 },
      },
    ];
  }
  if (domain === "legal")
    trace.retrieved_contexts = [{ content: paragraph(random, SENTENCES.legal ?? [], 400) }];
  if (domain === "robotics") {
    trace.context = {
      environment: { human_distance_m: 0.3 + random(), workspace: { x: { min: -1.5, max: 1.5 } } },
    };
    trace.tool_calls = [
      { name: "move_to", arguments: { x: random() * 4 - 2, y: 0.2, z: 0.4, speed: random() * 0.4 } },
    ];
  }
  if (i % 10 === 4) {
    trace.rl_episode = {
      steps: Array.from({ length: 50 }, (_, s) => ({
        state: { s: s % 7 },
        action: s % 3,
        reward: random() * 2 - 0.5,
      })),
    };
  }
  if (i % 10 === 9) {
    trace.agents = [
      { agent: "planner", content: "Review the claim and decide.", to: "reviewer" },
      { agent: "reviewer", content: "Claim looks valid. Decision: approve.", to: "planner" },
      { agent: "planner", content: "Final decision: approved." },
    ];
    trace.counterfactuals = [{ input: trace.input.replace("John", "Maria"), output: trace.output }];
  }
  return trace;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

interface Round {
  /** Traces per second of wall-clock time. */
  throughput: number;
  /** Traces per second of this process's CPU time: what the evaluation costs when the core is shared. */
  cpuThroughput: number;
  issues: number;
  /** Milliseconds per trace, sorted. */
  sorted: number[];
}

function measure(corpus: readonly TraceInput[], options: Tier1Options): Round {
  const perTrace = new Float64Array(corpus.length);
  let issues = 0;
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  corpus.forEach((trace, i) => {
    const t0 = performance.now();
    issues += evaluateTier1(trace, options).issues.length;
    perTrace[i] = performance.now() - t0;
  });
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  return {
    throughput: corpus.length / (elapsed / 1000),
    cpuThroughput: corpus.length / ((cpu.user + cpu.system) / 1e6),
    issues,
    sorted: [...perTrace].sort((a, b) => a - b),
  };
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
const perSecond = (value: number) => `${Math.round(value).toLocaleString("en-US")} traces/s`;

function main(): void {
  const random = prng(20_240_601);
  const corpus = Array.from({ length: TRACE_COUNT }, (_, i) => buildTrace(random, i));
  const averageChars = corpus.reduce((sum, t) => sum + t.input.length + t.output.length, 0) / corpus.length;
  // A constant clock keeps per-module timing out of the measured cost; the bench times whole traces.
  const options = { now: () => 0 };

  for (let round = 0; round < WARMUP_ROUNDS; round += 1)
    for (const trace of corpus) evaluateTier1(trace, options);

  // Several rounds, reported by their median: one round is easily skewed by another process.
  const rounds = Array.from({ length: MEASURED_ROUNDS }, () => measure(corpus, options));
  const ms = (pick: (r: Round) => number) => `${(median(rounds.map(pick)) * 1000).toFixed(1)} µs`;

  console.log(`traces:          ${corpus.length} (avg ${Math.round(averageChars)} chars of input+output)`);
  console.log(`issues found:    ${rounds[0]?.issues ?? 0}`);
  console.log(`throughput:      ${perSecond(median(rounds.map((r) => r.throughput)))}`);
  console.log(
    `  per round:     ${rounds.map((r) => Math.round(r.throughput).toLocaleString("en-US")).join(", ")}`,
  );
  console.log(`  by CPU time:   ${perSecond(median(rounds.map((r) => r.cpuThroughput)))}`);
  console.log(`median per trace: ${ms((r) => percentile(r.sorted, 0.5))}`);
  console.log(`p99 per trace:    ${ms((r) => percentile(r.sorted, 0.99))}`);
  console.log(`max per trace:    ${ms((r) => percentile(r.sorted, 1))}`);
  adversarial();
}

const ADVERSARIAL_BUDGET_MS = 50;

/** 100,000 characters of each adversarial shape, in input and output, against every built-in pack. */
function adversarial(): void {
  console.log(
    `\nadversarial text, ${ADVERSARIAL_CHARS} chars, worst pack of 3 runs (budget ${ADVERSARIAL_BUDGET_MS} ms):`,
  );
  for (const [shape, pattern] of Object.entries(ADVERSARIAL_TEXT)) {
    const text = pattern.slice(0, ADVERSARIAL_CHARS);
    let worst = 0;
    for (const domain of ["healthcare", "trading", "legal", "robotics", "generic"]) {
      const trace: TraceInput = {
        domain,
        input: text,
        output: text,
        retrieved_contexts: [{ content: "context" }],
      };
      evaluateTier1(trace);
      const runs = Array.from({ length: 3 }, () => {
        const started = performance.now();
        evaluateTier1(trace);
        return performance.now() - started;
      });
      worst = Math.max(worst, median(runs));
    }
    const verdict = worst < ADVERSARIAL_BUDGET_MS ? "ok" : "OVER BUDGET";
    console.log(`  ${shape.padEnd(22)} ${worst.toFixed(1).padStart(7)} ms  ${verdict}`);
  }
}

main();
