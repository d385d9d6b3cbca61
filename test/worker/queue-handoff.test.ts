import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { call, createOrg, recordingQueue, trace } from "./helpers";

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
    const sent: unknown[] = [];
    const queue = {
      sendBatch: async (batch: Iterable<MessageSendRequest>) => {
        for (const m of batch) sent.push(m.body);
      },
    } as unknown as Queue;
    await worker.scheduled(createScheduledController(), { ...env, EVAL_QUEUE: queue });
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
    const sent: unknown[] = [];
    const queue = {
      sendBatch: async (messages: Iterable<MessageSendRequest>) => {
        for (const m of messages) sent.push(m.body);
      },
    } as unknown as Queue;
    await worker.scheduled(createScheduledController(), { ...env, EVAL_QUEUE: queue });
    expect(sent).toEqual([{ trace_id: stuck, org_id: org.orgId }]);
    const row = await env.DB.prepare("SELECT status FROM traces WHERE id = ?")
      .bind(stuck)
      .first<{ status: string }>();
    expect(row?.status).toBe("queued");
  });
});
