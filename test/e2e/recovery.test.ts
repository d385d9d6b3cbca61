// A crash between acknowledging traces and evaluating them: `npm start` is killed right after a batch
// is accepted, so the local queue loses its messages, and started again on the same state. Every
// acknowledged trace must be evaluated without anyone calling the scheduled handler by hand.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type RunningAegis, root, startAegis } from "../../scripts/dev-server";

const RECOVERY_BUDGET_MS = 90_000;

describe("recovery after a crash", () => {
  const port = 9300 + Math.floor(Math.random() * 100);
  const persistTo = join(root, ".wrangler", "e2e-recovery-state");
  let server: RunningAegis | undefined;
  after(async () => {
    await server?.stop("SIGKILL");
    rmSync(persistTo, { recursive: true, force: true });
  });

  it("evaluates every acknowledged trace within 90 s of a crash that lost their queue messages", async () => {
    server = await startAegis({ port, persistTo });
    const key = server.key;
    assert.ok(key, server.output());
    const base = server.base;
    const traces = Array.from({ length: 60 }, (_, i) => ({
      id: `crash-${i}`,
      domain: "healthcare",
      input: "How much acetaminophen can I take for a headache?",
      output:
        i % 2 === 0 ? "Take 1000 mg every 4 hours until it stops." : "Up to 1,000 mg at a time, 3 g a day.",
    }));
    const accepted = await fetch(`${base}/api/v1/traces/batch`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ traces }),
    });
    assert.equal(accepted.status, 207);
    const { results } = (await accepted.json()) as { results: { status: number }[] };
    assert.deepEqual(
      results.map((r) => r.status),
      traces.map(() => 201),
    );
    // Killed before the queue's 2 s batch window ends: the messages die with the process.
    await server.stop("SIGKILL");
    const crashedAt = Date.now();

    server = await startAegis({ port, persistTo, fresh: false });
    const pending = new Set(traces.map((t) => t.id));
    while (pending.size > 0 && Date.now() - crashedAt < RECOVERY_BUDGET_MS) {
      for (const id of [...pending]) {
        const response = await fetch(`${base}/api/v1/traces/${id}/evaluation`, {
          headers: { Authorization: `Bearer ${key}` },
        });
        const body = (await response.json()) as { status: string };
        if (body.status === "completed") pending.delete(id);
      }
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    assert.equal(
      pending.size,
      0,
      `${pending.size} acknowledged trace(s) were not evaluated within ${RECOVERY_BUDGET_MS / 1000} s`,
    );
    console.log(
      `all ${traces.length} traces evaluated ${((Date.now() - crashedAt) / 1000).toFixed(1)} s after the crash`,
    );
  });
});
