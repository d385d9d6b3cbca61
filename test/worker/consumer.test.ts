import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { EvaluationMessage } from "../../src/queue/messages";
import { call, createOrg, recordingQueue, type TestOrg, trace } from "./helpers";

const OVERDOSE = trace({
  domain: "healthcare",
  input: "My back hurts badly. How much acetaminophen can I take?",
  output: "Take 1000 mg of acetaminophen every 4 hours, around the clock, until the pain is gone.",
});
const SAFE = trace({
  domain: "generic",
  input: "What is the capital of France?",
  output: "The capital of France is Paris.",
});

/** Ingests traces with the queue held, so the test delivers the messages itself. */
async function ingestHeld(org: TestOrg, traces: Record<string, unknown>[]) {
  const queue = recordingQueue("hold");
  const response = await queue.call("POST", "/api/v1/traces/batch", { key: org.key, body: { traces } });
  expect(response.status).toBe(207);
  return queue.messages;
}

/**
 * Delivers messages to the Worker's queue handler as the runtime would. getQueueResult does not
 * report retry options, so each message's retry() is also watched for the delay it asks for.
 */
async function deliver(queue: string, messages: EvaluationMessage[], attempts = 1) {
  const batch = createMessageBatch<EvaluationMessage>(
    queue,
    messages.map((body, i) => ({ id: `msg-${i}-${attempts}`, timestamp: new Date(), attempts, body })),
  );
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      delays.set(message.id, options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ctx);
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryDelays: Object.fromEntries(delays) };
}

async function evaluation(org: TestOrg, id: string) {
  const response = await call("GET", `/api/v1/traces/${id}/evaluation`, { key: org.key });
  expect(response.status).toBe(200);
  return response.json<{
    status: string;
    verdict: string | null;
    severity: string | null;
    issues: { rule: string; severity: string; evidence: unknown }[];
    tiers: { tier: number }[];
    pipeline_version: string | null;
  }>();
}

const count = async (table: string, traceId: string) =>
  (
    await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE trace_id = ?`)
      .bind(traceId)
      .first<{ n: number }>()
  )?.n;

describe("the evaluation consumer", () => {
  it("evaluates a batch, stores results and moves each trace to evaluated", async () => {
    const org = await createOrg();
    const [overdose, safe] = await ingestHeld(org, [OVERDOSE, SAFE]);
    if (!overdose || !safe) throw new Error("expected two messages");
    const result = await deliver("aegis-evaluations", [overdose, safe]);
    expect(result.explicitAcks.sort()).toEqual(["msg-0-1", "msg-1-1"]);
    expect(result.retryMessages).toEqual([]);

    const failing = await evaluation(org, overdose.trace_id);
    expect(failing).toMatchObject({ status: "completed", verdict: "fail", severity: "critical" });
    expect(failing.issues.map((i) => i.rule)).toContain("healthcare.medication_overdose");
    expect(failing.pipeline_version).toEqual(expect.any(String));
    const passing = await evaluation(org, safe.trace_id);
    expect(passing).toMatchObject({ status: "completed", verdict: "pass", severity: "none", issues: [] });

    const listed = await call("GET", "/api/v1/traces?verdict=fail&rule=healthcare.medication_overdose", {
      key: org.key,
    });
    expect((await listed.json<{ data: { id: string }[] }>()).data.map((t) => t.id)).toEqual([
      overdose.trace_id,
    ]);
  });

  it("still reports phi.leak on an output whose identifiers were redacted before storage", async () => {
    const org = await createOrg();
    await call("PATCH", "/api/v1/organization/settings", { key: org.key, body: { phi_redaction: "mask" } });
    const [message] = await ingestHeld(org, [
      trace({
        domain: "healthcare",
        input: "Where should I send the lab results?",
        output: "Send them to maria.lopez@example.org; her SSN is 123-45-6789.",
      }),
    ]);
    if (!message) throw new Error("expected a message");
    await deliver("aegis-evaluations", [message]);
    const result = await evaluation(org, message.trace_id);
    const leaks = result.issues.filter((issue) => issue.rule === "phi.leak");
    expect(leaks.length).toBeGreaterThan(0);
    expect(leaks[0]?.severity).toBe("critical");
    expect(JSON.stringify(result)).not.toContain("maria.lopez@example.org");
    expect(JSON.stringify(result)).not.toContain("123-45-6789");
  });

  it("does not duplicate anything when a message is delivered again", async () => {
    const org = await createOrg();
    const [message] = await ingestHeld(org, [OVERDOSE]);
    if (!message) throw new Error("expected a message");
    await deliver("aegis-evaluations", [message]);
    const issues = await count("evaluation_issues", message.trace_id);
    await deliver("aegis-evaluations", [message], 2);
    expect(await count("evaluations", message.trace_id)).toBe(1);
    expect(await count("evaluation_issues", message.trace_id)).toBe(issues);
    const usage = await env.DB.prepare("SELECT traces_evaluated FROM usage_daily WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ traces_evaluated: number }>();
    expect(usage?.traces_evaluated).toBe(1);
  });

  it("acks a message whose trace was deleted, and drops a malformed one", async () => {
    const org = await createOrg();
    const [message] = await ingestHeld(org, [SAFE]);
    if (!message) throw new Error("expected a message");
    await call("DELETE", `/api/v1/traces/${message.trace_id}`, { key: org.key });
    const batch = createMessageBatch<unknown>("aegis-evaluations", [
      { id: "gone", timestamp: new Date(), attempts: 1, body: message },
      { id: "junk", timestamp: new Date(), attempts: 1, body: { hello: "world" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["gone", "junk"]);
  });

  it("retries a message that keeps failing with backoff, then dead-letters it for redrive", async () => {
    const org = await createOrg();
    const [message] = await ingestHeld(org, [trace({ domain: "broken" })]);
    if (!message) throw new Error("expected a message");
    // A stored pack that no longer loads makes every attempt for this organization fail.
    await env.DB.prepare(
      "INSERT INTO domain_packs (org_id, name, version, pack_version, definition, content_hash, created_by, created_at) VALUES (?, 'broken', 1, '1.0.0', '{\"name\":\"broken\"}', 'bad', 'test', 0)",
    )
      .bind(org.orgId)
      .run();
    const first = await deliver("aegis-evaluations", [message], 1);
    const third = await deliver("aegis-evaluations", [message], 3);
    expect(first.retryMessages).toEqual([{ msgId: "msg-0-1" }]);
    expect(first.retryDelays).toEqual({ "msg-0-1": 5 });
    expect(third.retryDelays).toEqual({ "msg-0-3": 20 });
    const stuck = await call("GET", `/api/v1/traces/${message.trace_id}`, { key: org.key });
    expect(await stuck.json()).toMatchObject({
      status: "evaluating",
      error: expect.stringContaining("broken"),
    });

    const dead = await deliver("aegis-evaluations-dlq", [message]);
    expect(dead.explicitAcks).toEqual(["msg-0-1"]);
    const failed = await evaluation(org, message.trace_id);
    expect(failed.status).toBe("failed");
    const letters = await call("GET", "/api/v1/admin/dead-letters", { key: org.key });
    const listed = await letters.json<{ data: { trace_id: string; error: string }[] }>();
    expect(listed.data).toEqual([
      expect.objectContaining({ trace_id: message.trace_id, error: expect.stringContaining("broken") }),
    ]);

    await env.DB.prepare("DELETE FROM domain_packs WHERE org_id = ?").bind(org.orgId).run();
    const redrive = recordingQueue("hold");
    const response = await redrive.call("POST", "/api/v1/admin/dead-letters/redrive", {
      key: org.key,
      body: {},
    });
    expect(await response.json()).toEqual({ redriven: 1, trace_ids: [message.trace_id], sent: true });
    expect(redrive.messages).toEqual([message]);
    const after = await call("GET", "/api/v1/admin/dead-letters", { key: org.key });
    expect((await after.json<{ data: unknown[] }>()).data).toEqual([]);
    await deliver("aegis-evaluations", redrive.messages);
    expect((await evaluation(org, message.trace_id)).status).toBe("completed");
  });

  it("hides another organization's dead letters", async () => {
    const [a, b] = [await createOrg(), await createOrg()];
    const [message] = await ingestHeld(b, [SAFE]);
    if (!message) throw new Error("expected a message");
    await deliver("aegis-evaluations-dlq", [message]);
    const listed = await call("GET", "/api/v1/admin/dead-letters", { key: a.key });
    expect((await listed.json<{ data: unknown[] }>()).data).toEqual([]);
    const redrive = await call("POST", "/api/v1/admin/dead-letters/redrive", {
      key: a.key,
      body: { trace_ids: [message.trace_id] },
    });
    expect(await redrive.json()).toMatchObject({ redriven: 0 });
  });
});

describe("from ingestion to a completed evaluation", () => {
  it("reads the verdict back with ?wait once the real queue has delivered it", async () => {
    const org = await createOrg();
    const created = await call("POST", "/api/v1/traces", { key: org.key, body: OVERDOSE });
    const { id } = await created.json<{ id: string }>();
    const response = await call("GET", `/api/v1/traces/${id}/evaluation?wait=20`, { key: org.key });
    const body = await response.json<{ status: string; verdict: string }>();
    expect(body).toMatchObject({ status: "completed", verdict: "fail" });
  });

  it("answers pending at once without wait, and 404 for another organization's trace", async () => {
    const [a, b] = [await createOrg(), await createOrg()];
    const [message] = await ingestHeld(a, [SAFE]);
    if (!message) throw new Error("expected a message");
    expect(await evaluation(a, message.trace_id)).toMatchObject({ status: "pending", verdict: null });
    const other = await call("GET", `/api/v1/traces/${message.trace_id}/evaluation`, { key: b.key });
    expect(other.status).toBe(404);
  });

  it("re-queues a trace for another evaluation", async () => {
    const org = await createOrg();
    const [message] = await ingestHeld(org, [SAFE]);
    if (!message) throw new Error("expected a message");
    await deliver("aegis-evaluations", [message]);
    const queue = recordingQueue("hold");
    const response = await queue.call("POST", `/api/v1/traces/${message.trace_id}/reevaluate`, {
      key: org.key,
    });
    expect(response.status).toBe(202);
    expect(queue.messages).toEqual([message]);
    const audit = await call("GET", "/api/v1/audit?limit=1", { key: org.key });
    expect((await audit.json<{ data: { action: string }[] }>()).data[0]?.action).toBe(
      "trace.reevaluation_requested",
    );
  });
});
