import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import type { EvaluationMessage } from "../../src/queue/messages";
import { resendStaleTraces, resetIsolateStartCheck } from "../../src/services/sweep";
import { call, createOrg, ingestHeld, judgeEnv, recordingQueue, type TestOrg, trace } from "./helpers";

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

  describe("sweeps running at once", () => {
    it("never send the same trace twice: each claims its page before sending it", async () => {
      const org = await createOrg();
      const { ids } = await ingestHeld(
        org,
        Array.from({ length: 60 }, () => trace()),
      );
      await env.DB.prepare("UPDATE traces SET enqueued_at = ? WHERE org_id = ?")
        .bind(Date.now() - 6 * 60_000, org.orgId)
        .run();
      await env.DB.prepare("DELETE FROM queue_progress").run();
      const queues = Array.from({ length: 6 }, () => collectingQueue());
      const db = createDb(env.DB);
      // As after a deploy: several isolates start and check at the same moment.
      await Promise.all(queues.map(({ queue }) => resendStaleTraces(db, queue)));
      const sent = queues.flatMap(({ sent }) => sent.map((m) => m.trace_id)).filter((id) => ids.includes(id));
      expect(sent.sort()).toEqual([...ids].sort());
    });
  });
});

/** Delivers messages to the consumer with the hand-off times given, as the runtime would. */
async function deliver(messages: EvaluationMessage[], sentAt: number, workerEnv: Env = env) {
  const batch = createMessageBatch<EvaluationMessage>(
    "aegis-evaluations",
    messages.map((body, i) => ({ id: `handoff-${i}`, timestamp: new Date(sentAt), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return getQueueResult(batch, ctx);
}

async function queueProgress() {
  return env.DB.prepare(
    "SELECT newest_enqueued_at, handled_at FROM queue_progress WHERE queue = 'evaluations'",
  ).first<{
    newest_enqueued_at: number;
    handled_at: number;
  }>();
}

async function orgWithJudge(): Promise<TestOrg> {
  const org = await createOrg();
  const judge = { provider: "openai", model: "gpt-4o-mini", daily_budget_usd: 5, calibration_sample_rate: 1 };
  expect(
    (await call("PATCH", "/api/v1/organization/settings", { key: org.key, body: { judge } })).status,
  ).toBe(200);
  return org;
}

describe("how far the consumer has got, as the sweep reads it", () => {
  it("is the hand-off of the messages it picked up, not a re-send or re-evaluation of their traces", async () => {
    const org = await createOrg();
    const { messages, ids } = await ingestHeld(org, [trace()]);
    // The trace was handed off again since (a re-send, /reevaluate), while its older message is the
    // one the queue delivers now.
    const now = Date.now();
    await env.DB.prepare("UPDATE traces SET enqueued_at = ? WHERE id = ?").bind(now, ids[0]).run();
    await env.DB.prepare("DELETE FROM queue_progress").run();
    await deliver(messages, now - 3 * 60_000);
    expect((await queueProgress())?.newest_enqueued_at).toBe(now - 3 * 60_000);
  });

  it("is noted when a batch ends too, so a long batch of judge calls does not look idle", async () => {
    const org = await orgWithJudge();
    const { messages } = await ingestHeld(org, [
      trace({ domain: "generic", input: "Summarise the notes.", output: "Ship on Friday. [judge:timeout]" }),
    ]);
    await env.DB.prepare("DELETE FROM queue_progress").run();
    const started = Date.now();
    await deliver(messages, started, judgeEnv);
    const ended = Date.now();
    // The judge never answers: the batch lasts at least the 1.5 s judge timeout.
    expect(ended - started).toBeGreaterThanOrEqual(1_500);
    expect((await queueProgress())?.handled_at).toBeGreaterThanOrEqual(started + 1_500);
  });

  it("is noted even for a batch whose traces were all deleted meanwhile", async () => {
    await env.DB.prepare("DELETE FROM queue_progress").run();
    const sentAt = Date.now() - 1_000;
    await deliver([{ trace_id: "trc_deleted_meanwhile", org_id: "org_gone" }], sentAt);
    expect(await queueProgress()).toMatchObject({ newest_enqueued_at: sentAt });
  });

  it("is checked for lost hand-offs at an isolate's start only after its first batch, not against it", async () => {
    const org = await createOrg();
    const { messages, ids } = await ingestHeld(org, [trace()]);
    await env.DB.prepare("UPDATE traces SET enqueued_at = ? WHERE id = ?")
      .bind(Date.now() - 20_000, ids[0])
      .run();
    await env.DB.prepare("DELETE FROM queue_progress").run();
    // As in a freshly started isolate, whose first work is this batch.
    resetIsolateStartCheck();
    const { queue, sent } = collectingQueue();
    const batch = createMessageBatch<EvaluationMessage>(
      "aegis-evaluations",
      messages.map((body, i) => ({
        id: `fresh-${i}`,
        timestamp: new Date(Date.now() - 20_000),
        attempts: 1,
        body,
      })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<unknown>, { ...env, EVAL_QUEUE: queue }, ctx);
    await waitOnExecutionContext(ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["fresh-0"]);
    expect(sent.map((m) => m.trace_id)).not.toContain(ids[0]);
  });
});
