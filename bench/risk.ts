/**
 * Tier 2 throughput: scoreRisk (feature extraction and the dot product; Tier 1 is run beforehand
 * and not timed) on ~2 KB traces built from the labelled corpus, with each domain's shipped model.
 * Run: npx tsx bench/risk.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateTier1 } from "../src/eval/index";
import { riskModelFor, scoreRisk } from "../src/eval/risk/index";
import type { Tier1Result } from "../src/eval/types";
import { type TraceInput, traceInputSchema } from "../src/schema/trace";

const TRACE_CHARS = 2_000;
const DISTINCT_TRACES = 2_000;
const TIMED_CALLS = 50_000;
const WARMUP_CALLS = 5_000;

const corpus: TraceInput[] = readFileSync(join(import.meta.dirname, "../data/tier2/corpus.jsonl"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => {
    const { label: _label, why: _why, ...trace } = JSON.parse(line) as Record<string, unknown>;
    return traceInputSchema.parse(trace);
  });

/** Trace i keeps its own fields, with its output followed by the next ones' up to TRACE_CHARS. */
function twoKilobyteTrace(i: number): TraceInput {
  const base = corpus[i % corpus.length];
  if (base === undefined) throw new Error("empty corpus");
  let output = base.output;
  for (let next = i + 1; output.length < TRACE_CHARS; next += 1)
    output += ` ${corpus[next % corpus.length]?.output ?? ""}`;
  return { ...base, output: output.slice(0, TRACE_CHARS) };
}

const cases: { trace: TraceInput; tier1: Tier1Result }[] = Array.from({ length: DISTINCT_TRACES }, (_, i) => {
  const trace = twoKilobyteTrace(i);
  return { trace, tier1: evaluateTier1(trace, { now: () => 0 }) };
});

function run(calls: number, timings: Float64Array | null): number {
  let checksum = 0;
  for (let i = 0; i < calls; i += 1) {
    const { trace, tier1 } = cases[i % cases.length] ?? { trace: corpus[0], tier1: null };
    if (trace === undefined || tier1 === null) throw new Error("no case");
    const started = performance.now();
    checksum += scoreRisk(trace, tier1, riskModelFor(tier1.domain)).risk_score;
    if (timings !== null) timings[i] = performance.now() - started;
  }
  return checksum;
}

run(WARMUP_CALLS, null);
const timings = new Float64Array(TIMED_CALLS);
const started = performance.now();
const checksum = run(TIMED_CALLS, timings);
const elapsedMs = performance.now() - started;

const sorted = Float64Array.from(timings).sort();
const percentile = (p: number) =>
  (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 1000;
const averageChars =
  cases.reduce((sum, c) => sum + c.trace.input.length + c.trace.output.length, 0) / cases.length;

console.log(
  `Tier 2 risk model: ${TIMED_CALLS} calls over ${DISTINCT_TRACES} traces (~${Math.round(averageChars)} chars of input + output)`,
);
console.log(
  `  throughput  ${Math.round(TIMED_CALLS / (elapsedMs / 1000)).toLocaleString("en-US")} scores/s (includes timer overhead)`,
);
console.log(
  `  per call    p50 ${percentile(50).toFixed(1)} µs   p99 ${percentile(99).toFixed(1)} µs   max ${percentile(100).toFixed(1)} µs`,
);
console.log(`  checksum    ${checksum.toFixed(6)}`);
