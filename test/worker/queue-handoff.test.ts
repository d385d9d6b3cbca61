import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import worker from "../../src/index";
import type { EvaluationMessage } from "../../src/queue/messages";
import { resendStaleTraces } from "../../src/services/sweep";
import { call, createOrg, ingestHeld, recordingQueue, trace } from "./helpers";

/** A queue that keeps what the sweep sends, for the test to read. */
function collectingQueue() {
  const sent: EvaluationMessage[] = [];
  const queue = {
    sendBatch: async (batch: Iterable<MessageSendRequest<EvaluationMessage>>) => {
      for (const m of batch) sent.push(m.body);
    },
  } as unknown as Queue<EvaluationMessage>;
  return { queue, sent };
}

describe("hand-off to the evaluation queue", () => {
  it("sends one message per accepted trace, none for duplicates or invalid items", async () => {
    const org = await createOrg();
    const queue = recordingQueue();
    const single = await queue.call("POST", "/api/v1/traces", { key: org.key, body: trace({ id: "q-1" }) });
    const { id } = await single.json<{ id: string }>();
    await queue.call("POST", "/api/v1/traces", { key: org.key, body: trace({ id: "q-1" }) });
    const batch = await queue.call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: { traces: [trace({ id: "q-1" }), trace(), trace({ input: "" }), trace({ id: "q-4" })] },
    });
    const { results } = await batch.json<{ results: { id: string; status: number }[] }>();
    const created = results.filter((r) => r.status === 201).map((r) => r.id);
    expect(queue.messages).toEqual([id, ...created].map((trace_id) => ({ trace_id, org_id: org.orgId })));
  });

  it("keeps a trace queued when the send fails, and the sweep re-sends it once it is stale", async () => {
    const org = await createOrg();
    const failing = recordingQueue("fail");
    const response = await failing.call("POST", "/api/v1/traces", { key: org.key, body: trace() });
    expect(response.status).toBe(202);
    const { id } = await response.json<{ id: string }>();
    const stored = await call("GET", `/api/v1/traces/${id}`, { key: org.key });
    expect((await stored.json<{ status: string }>()).status).toBe("queued");

    await env.DB.prepare("UPDATE traces SET enqueued_at = ? WHERE id = ?")
      .bind(Date.now() - 6 * 60_000, id)
      .run();
    const { queue, sent } = collectingQueue();
    await worker.scheduled(
      createScheduledController(),
      { ...env, EVAL_QUEUE: queue },
      createExecutionContext(),
    );
    expect(sent).toEqual([{ trace_id: id, org_id: org.orgId }]);
    const row = await env.DB.prepare("SELECT enqueued_at FROM traces WHERE id = ?")
      .bind(id)
      .first<{ enqueued_at: number }>();
    expect(Date.now() - (row?.enqueued_at ?? 0)).toBeLessThan(60_000);
  });

  it("re-sends a trace stuck in evaluating after its consumer died, but not a fresh one", async () => {
    const org = await createOrg();
    const held = recordingQueue("hold");
    const batch = await held.call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: { traces: [trace(), trace()] },
    });
    const [stuck, fresh] = (await batch.json<{ results: { id: string }[] }>()).results.map((r) => r.id);
    await env.DB.prepare("UPDATE traces SET status = 'evaluating', enqueued_at = ? WHERE id = ?")
      .bind(Date.now() - 31 * 60_000, stuck)
      .run();
    await env.DB.prepare("UPDATE traces SET status = 'evaluating' WHERE id = ?").bind(fresh).run();
    const { queue, sent } = collectingQueue();
    await worker.scheduled(
      createScheduledController(),
      { ...env, EVAL_QUEUE: queue },
      createExecutionContext(),
    );
    expect(sent).toEqual([{ trace_id: stuck, org_id: org.orgId }]);
    const row = await env.DB.prepare("SELECT status FROM traces WHERE id = ?")
      .bind(stuck)
      .first<{ status: string }>();
    expect(row?.status).toBe("queued");
  });

  describe("which queued traces the sweep counts as lost", () => {
    const SECOND = 1_000;
    const MINUTE = 60 * SECOND;
    it.each<[string, { handledAgo: number; newestAgo: number } | null, number, boolean, boolean?]>([
      ["consumer idle: a hand-off 12 s old was lost", null, 12 * SECOND, true],
      ["consumer idle: a hand-off 5 s old may still be delivered", null, 5 * SECOND, false],
      ["consumer idle for a minute: 12 s old", { handledAgo: MINUTE, newestAgo: MINUTE }, 12 * SECOND, true],
      ["at an isolate's start, 7 s before it", null, 7 * SECOND, true, true],
      [
        "consumer busy and past it: 40 s old",
        { handledAgo: 5 * SECOND, newestAgo: 2 * SECOND },
        40 * SECOND,
        true,
      ],
      [
        "consumer busy, not past it by 30 s",
        { handledAgo: 5 * SECOND, newestAgo: 2 * SECOND },
        25 * SECOND,
        false,
      ],
      [
        "consumer busy with an older backlog: 2 min old waits its turn",
        { handledAgo: 5 * SECOND, newestAgo: 4 * MINUTE },
        2 * MINUTE,
        false,
      ],
      [
        "consumer busy with an older backlog: 6 min old has waited long enough",
        { handledAgo: 5 * SECOND, newestAgo: 4 * MINUTE },
        6 * MINUTE,
        true,
      ],
    ])("%s", async (_label, progress, age, lost, atIsolateStart = false) => {
      const org = await createOrg();
      const { ids } = await ingestHeld(org, [trace()]);
      const now = Date.now();
      await env.DB.prepare("UPDATE traces SET enqueued_at = ? WHERE id = ?")
        .bind(now - age, ids[0])
        .run();
      await env.DB.prepare("DELETE FROM queue_progress").run();
      if (progress) {
        await env.DB.prepare(
          "INSERT INTO queue_progress (queue, newest_enqueued_at, handled_at) VALUES (?, ?, ?)",
        )
          .bind("evaluations", now - progress.newestAgo, now - progress.handledAgo)
          .run();
      }
      const { queue, sent } = collectingQueue();
      await resendStaleTraces(createDb(env.DB), queue, now, atIsolateStart ? { isolateStartedAt: now } : {});
      expect(sent.some((m) => m.trace_id === ids[0])).toBe(lost);
    });

    it("drains a backlog larger than one page in one run", async () => {
      const org = await createOrg();
      const all: string[] = [];
      for (let batch = 0; batch < 3; batch += 1)
        all.push(
          ...(
            await ingestHeld(
              org,
              Array.from({ length: 400 }, () => trace()),
            )
          ).ids,
        );
      await env.DB.prepare("UPDATE traces SET enqueued_at = ? WHERE org_id = ?")
        .bind(Date.now() - MINUTE, org.orgId)
        .run();
      await env.DB.prepare("DELETE FROM queue_progress").run();
      const { queue, sent } = collectingQueue();
      await resendStaleTraces(createDb(env.DB), queue);
      const resent = new Set(sent.map((m) => m.trace_id));
      expect(all.filter((id) => !resent.has(id))).toEqual([]);
    });
  });
});
