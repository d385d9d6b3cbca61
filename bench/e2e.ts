// End-to-end latency: ingest N traces over HTTP into `wrangler dev` (started here, with fresh local
// state) and measure, per trace, the time from ingestion until its evaluation is stored.
// Usage: npx tsx bench/e2e.ts [N=200]
import { join } from "node:path";
import { root, startAegis } from "../scripts/dev-server";

const count = Number(process.argv[2] ?? 200);
const port = 8890 + Math.floor(Math.random() * 100);
const server = await startAegis({ port, persistTo: join(root, ".wrangler", "bench-e2e-state") });
const headers = { Authorization: `Bearer ${server.key}`, "Content-Type": "application/json" };

const domains = ["healthcare", "trading", "legal", "robotics", "generic"] as const;
const outputs = [
  "Take 1000 mg of acetaminophen every 4 hours until the fever breaks.",
  "This stock is guaranteed to double; buy as much as you can before the announcement.",
  "You will definitely win this case, no need to consult an attorney.",
  "Moving the arm to x=1.2 m at 0.2 m/s with the emergency stop armed.",
  "Here is a short summary of the meeting notes you shared.",
];

try {
  const started = performance.now();
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 100) {
    const traces = Array.from({ length: Math.min(100, count - offset) }, (_, i) => ({
      domain: domains[(offset + i) % domains.length],
      input: `Question number ${offset + i} from the benchmark user`,
      output: outputs[(offset + i) % outputs.length],
    }));
    const response = await fetch(`${server.base}/api/v1/traces/batch`, {
      method: "POST",
      headers,
      body: JSON.stringify({ traces }),
    });
    const body = (await response.json()) as { results: { id: string; status: number }[] };
    ids.push(...body.results.filter((r) => r.status === 201).map((r) => r.id));
  }
  const ingestedMs = performance.now() - started;

  const latencies: number[] = [];
  const pending = new Set(ids);
  const deadline = Date.now() + 300_000;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const id of [...pending]) {
      const response = await fetch(`${server.base}/api/v1/traces/${id}`, { headers });
      const trace = (await response.json()) as {
        created_at: string;
        evaluation: { created_at: string } | null;
      };
      if (trace.evaluation) {
        latencies.push(Date.parse(trace.evaluation.created_at) - Date.parse(trace.created_at));
        pending.delete(id);
      }
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const allDoneMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  console.log(`traces ingested: ${ids.length} in ${ingestedMs.toFixed(0)} ms (batches of 100)`);
  console.log(
    `evaluated: ${latencies.length}/${ids.length}; all done after ${(allDoneMs / 1000).toFixed(1)} s`,
  );
  console.log(`ingest → evaluation stored: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${latencies.at(-1)} ms`);
  if (pending.size > 0) process.exitCode = 1;
} finally {
  await server.stop();
}
