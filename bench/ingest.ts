// Ingestion throughput next to the runtime's own ceiling: POST /api/v1/traces and GET /health against
// the same `wrangler dev`, in the same run, at a concurrency of 32. The ratio ingest/health says how
// close ingestion (auth, rate-limit check, validation, the group-committed D1 batch with the audit
// chain, queue send, live-feed publish, and the queue consumer evaluating every trace on the same
// workerd thread) comes to a request that does nothing. Rounds alternate so drift affects both alike.
//
// Usage: npx tsx bench/ingest.ts            starts wrangler dev itself, with fresh local state
//        AEGIS_URL=http://127.0.0.1:8787 npx tsx bench/ingest.ts
//                                           an already running server on this machine; needs
//                                           AEGIS_ADMIN_TOKEN or the repository's .dev.vars
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root, startAegis } from "../scripts/dev-server";

const CONCURRENCY = 32;
const ROUNDS = 3;
/** Each measured phase stops at whichever comes first. */
const PHASE_MS = 4_000;
const PHASE_MAX_REQUESTS = 20_000;
const WARMUP_REQUESTS = 200;
const UNLOADED_REQUESTS = 100;

interface Phase {
  name: string;
  requests: number;
  ok: number;
  statuses: Map<number, number>;
  elapsedMs: number;
  latencies: number[];
  /** Server-Timing `ratelimit;dur=` of each successful response that called the limiter: its RPC, as the Worker saw it. */
  limiterMs: number[];
  /** Successful responses charged to a lease the isolate held (no RPC). */
  leased: number;
}

function loopbackBase(url: string): string {
  const parsed = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname)) {
    throw new Error(
      `AEGIS_URL must be a loopback address (got ${parsed.hostname}): this benchmark floods it`,
    );
  }
  return parsed.origin;
}

function adminToken(): string {
  if (process.env.AEGIS_ADMIN_TOKEN) return process.env.AEGIS_ADMIN_TOKEN;
  const line = readFileSync(join(root, ".dev.vars"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("ADMIN_TOKEN="));
  if (!line) throw new Error("no ADMIN_TOKEN: set AEGIS_ADMIN_TOKEN or create .dev.vars (npm start does)");
  return line.slice("ADMIN_TOKEN=".length).trim();
}

/**
 * An enterprise organization with a limit far above what one machine can send, so the benchmark
 * measures ingestion and its rate-limit check rather than 429s.
 */
async function benchOrganization(
  base: string,
  token: string,
  name: string,
  requestsPerMinute = 10_000_000,
): Promise<string> {
  const response = await fetch(`${base}/api/v1/admin/organizations`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name, plan: "enterprise", limits: { requests_per_minute: requestsPerMinute } }),
  });
  if (response.status !== 201)
    throw new Error(`creating ${name} failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { api_key: { key: string } };
  return body.api_key.key;
}

const TRACE = JSON.stringify({
  domain: "healthcare",
  model: "gpt-4o",
  input: "How much ibuprofen can I take for a headache?",
  output: "For adults, 200-400 mg every 4 to 6 hours as needed, up to 1,200 mg a day without a prescription.",
  usage: { input_tokens: 14, output_tokens: 31 },
  latency_ms: 420,
});

type Send = (worker: number) => Promise<Response>;

function emptyPhase(name: string): Phase {
  return {
    name,
    requests: 0,
    ok: 0,
    statuses: new Map(),
    elapsedMs: 0,
    latencies: [],
    limiterMs: [],
    leased: 0,
  };
}

async function run(
  name: string,
  send: Send,
  maxRequests: number,
  maxMs: number,
  concurrency = CONCURRENCY,
): Promise<Phase> {
  const phase = emptyPhase(name);
  const started = performance.now();
  const deadline = started + maxMs;
  const worker = async (index: number) => {
    while (phase.requests < maxRequests && performance.now() < deadline) {
      phase.requests++;
      const sent = performance.now();
      const response = await send(index);
      await response.arrayBuffer();
      phase.latencies.push(performance.now() - sent);
      phase.statuses.set(response.status, (phase.statuses.get(response.status) ?? 0) + 1);
      if (response.ok) {
        phase.ok++;
        const timing = /ratelimit;dur=([\d.]+)(;desc="lease")?/.exec(
          response.headers.get("Server-Timing") ?? "",
        );
        if (timing?.[2]) phase.leased++;
        else if (timing?.[1]) phase.limiterMs.push(Number(timing[1]));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  phase.elapsedMs = performance.now() - started;
  return phase;
}

function merge(phases: Phase[]): Phase {
  const out = emptyPhase(phases[0]?.name ?? "");
  for (const p of phases) {
    out.requests += p.requests;
    out.ok += p.ok;
    out.elapsedMs += p.elapsedMs;
    out.latencies.push(...p.latencies);
    out.limiterMs.push(...p.limiterMs);
    out.leased += p.leased;
    for (const [status, n] of p.statuses) out.statuses.set(status, (out.statuses.get(status) ?? 0) + n);
  }
  return out;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Successful requests per second. */
const throughput = (p: Phase) => p.ok / (p.elapsedMs / 1000);

function report(p: Phase): string {
  const statuses = [...p.statuses].map(([s, n]) => `${s}×${n}`).join(" ");
  const limiter =
    p.limiterMs.length + p.leased > 0
      ? `; rate limit: ${p.leased} from a lease, ${p.limiterMs.length} limiter calls` +
        (p.limiterMs.length > 0
          ? ` (p50 ${percentile(p.limiterMs, 50).toFixed(1)} ms, p99 ${percentile(p.limiterMs, 99).toFixed(1)} ms)`
          : "")
      : "";
  return (
    `${p.name.padEnd(28)} ${throughput(p).toFixed(0).padStart(6)} req/s  (${p.ok}/${p.requests} ok in ` +
    `${(p.elapsedMs / 1000).toFixed(1)} s; ${statuses}; latency p50 ${percentile(p.latencies, 50).toFixed(1)} ms, ` +
    `p99 ${percentile(p.latencies, 99).toFixed(1)} ms${limiter})`
  );
}

const external = process.env.AEGIS_URL;
const server = external
  ? { base: loopbackBase(external), stop: async () => undefined }
  : await startAegis({
      port: 8990 + Math.floor(Math.random() * 100),
      persistTo: join(root, ".wrangler", "bench-ingest-state"),
    });

try {
  const token = adminToken();
  const base = server.base;
  const oneOrg = await benchOrganization(base, token, "Bench ingest");
  // One organization per connection: the same load without contention on one audit chain.
  const manyOrgs = await Promise.all(
    Array.from({ length: CONCURRENCY }, (_, i) => benchOrganization(base, token, `Bench ingest ${i}`)),
  );
  const health: Send = () => fetch(`${base}/health`);
  const ingestAs =
    (key: (worker: number) => string): Send =>
    (worker) =>
      fetch(`${base}/api/v1/traces`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key(worker)}`, "Content-Type": "application/json" },
        body: TRACE,
      });
  // Below 600 requests a minute an organization leases nothing, so each of its requests calls the limiter.
  const unleased = await benchOrganization(base, token, "Bench ingest, no lease", 599);
  const ingestOne = ingestAs(() => oneOrg);
  const ingestSpread = ingestAs((worker) => manyOrgs[worker] ?? oneOrg);

  await run("warm-up", health, WARMUP_REQUESTS, PHASE_MS);
  await run("warm-up", ingestSpread, WARMUP_REQUESTS, PHASE_MS);
  const rounds: Record<"health" | "one" | "spread", Phase[]> = { health: [], one: [], spread: [] };
  for (let round = 0; round < ROUNDS; round++) {
    rounds.health.push(await run("GET /health", health, PHASE_MAX_REQUESTS, PHASE_MS));
    rounds.one.push(await run("POST /traces (1 org)", ingestOne, PHASE_MAX_REQUESTS, PHASE_MS));
    rounds.spread.push(
      await run(`POST /traces (${CONCURRENCY} orgs)`, ingestSpread, PHASE_MAX_REQUESTS, PHASE_MS),
    );
  }
  const [h, one, spread] = [merge(rounds.health), merge(rounds.one), merge(rounds.spread)];
  // One request at a time: what the limiter's RPC costs when nothing queues behind other requests.
  const idleHealth = await run("GET /health, 1 at a time", health, UNLOADED_REQUESTS, PHASE_MS, 1);
  const idleIngest = await run(
    "POST /traces, 1 at a time",
    ingestAs(() => unleased),
    UNLOADED_REQUESTS,
    PHASE_MS,
    1,
  );
  console.log(
    `\n${base}, concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds of ≤${PHASE_MS / 1000} s each\n`,
  );
  for (const p of [h, one, spread, idleHealth, idleIngest]) console.log(report(p));
  console.log(
    `\nratio ingest/health: ${(throughput(one) / throughput(h)).toFixed(2)} (one organization), ` +
      `${(throughput(spread) / throughput(h)).toFixed(2)} (${CONCURRENCY} organizations); target ≥ 0.5`,
  );
} finally {
  await server.stop();
}
