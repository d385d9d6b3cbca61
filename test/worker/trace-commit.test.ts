import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import type { Env } from "../../src/env";
import type { LiveEventInput } from "../../src/live/events";
import type { EvaluationMessage } from "../../src/queue/messages";
import { BASE, call, createOrg, recordingQueue, type TestOrg, trace } from "./helpers";
import { openSocket, type TestSocket } from "./live-helpers";

/**
 * Calls the app with bindings that record what the ingestion path does with them: every queue
 * sendBatch (one per flushed group), every D1 batch (and whether it failed) and every live-feed RPC.
 * The queue keeps its messages, so nothing is evaluated behind the test's back. A D1 batch can be
 * slowed down so that concurrent requests pile up behind the flush that is running, as they do under
 * load. A batch that binds a value containing `poison` is refused, as D1 refuses a statement it cannot
 * run, so one write can fail every batch it is part of. With `loseFirstGroupReply`, the first batch of
 * more than one write commits but reports a failure, as when D1's answer is lost on the way back.
 */
function instrumented({
  batchDelayMs = 0,
  poison,
  loseFirstGroupReply = false,
}: {
  batchDelayMs?: number;
  poison?: string;
  loseFirstGroupReply?: boolean;
} = {}) {
  let replyLost = false;
  const sends: EvaluationMessage[][] = [];
  const batches: { statements: number; failed: boolean }[] = [];
  const publishes: { orgId: string; traceIds: string[] }[] = [];

  const queue = {
    async send(body: EvaluationMessage) {
      sends.push([body]);
    },
    async sendBatch(batch: Iterable<MessageSendRequest<EvaluationMessage>>) {
      sends.push([...batch].map((m) => m.body));
    },
  } as unknown as Queue<EvaluationMessage>;

  const realDb = env.DB;
  const bound = new WeakMap<D1PreparedStatement, unknown[]>();
  const poisoned = (statement: D1PreparedStatement) =>
    poison !== undefined && (bound.get(statement) ?? []).some((v) => String(v).includes(poison));
  const db = {
    prepare(query: string) {
      return new Proxy(realDb.prepare(query), {
        get(target, property) {
          if (property === "bind")
            return (...values: unknown[]) => {
              const statement = target.bind(...values);
              bound.set(statement, values);
              return statement;
            };
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    },
    async batch(statements: D1PreparedStatement[]) {
      if (batchDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, batchDelayMs));
      try {
        if (statements.some(poisoned)) throw new Error("D1_ERROR: statement refused (test poison)");
        const result = await realDb.batch(statements);
        if (loseFirstGroupReply && !replyLost && statements.length > 2) {
          replyLost = true;
          throw new Error("D1_ERROR: Network connection lost.");
        }
        batches.push({ statements: statements.length, failed: false });
        return result;
      } catch (error) {
        batches.push({ statements: statements.length, failed: true });
        throw error;
      }
    },
    exec: (query: string) => realDb.exec(query),
  } as unknown as D1Database;

  const hub = env.ORG_HUB;
  const orgHub = {
    idFromName: (name: string) => hub.idFromName(name),
    get(id: DurableObjectId) {
      const stub = hub.get(id);
      return {
        publish(orgId: string, events: LiveEventInput[]) {
          publishes.push({
            orgId,
            traceIds: events.map((e) => (e.data as { trace_id: string }).trace_id).sort(),
          });
          return stub.publish(orgId, events);
        },
      };
    },
  } as unknown as Env["ORG_HUB"];

  const testEnv: Env = { ...env, DB: db, EVAL_QUEUE: queue, ORG_HUB: orgHub };
  return {
    sends,
    batches,
    publishes,
    get messages() {
      return sends.flat();
    },
    async post(org: TestOrg, body: Record<string, unknown>): Promise<Response> {
      const request = new Request(`${BASE}/api/v1/traces`, {
        method: "POST",
        headers: { Authorization: `Bearer ${org.key}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const ctx = createExecutionContext();
      const response = await app.fetch(request, testEnv, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    },
  };
}

type Sent = { org: TestOrg; response: Response; body: { id: string; status: string } };

/** Sends all the requests at once and reads their answers. */
async function concurrently(requests: { org: TestOrg; send: () => Promise<Response> }[]): Promise<Sent[]> {
  return Promise.all(
    requests.map(async ({ org, send }) => {
      const response = await send();
      return { org, response, body: await response.json<{ id: string; status: string }>() };
    }),
  );
}

async function verify(org: TestOrg) {
  return (await call("GET", "/api/v1/audit/verify", { key: org.key })).json<Record<string, unknown>>();
}

async function auditEvents(org: TestOrg) {
  const response = await call("GET", "/api/v1/audit?limit=500", { key: org.key });
  expect(response.status).toBe(200);
  const { data } = await response.json<{
    data: { seq: number; action: string; target: string; payload: { traces?: { id: string }[] } }[];
  }>();
  return data.reverse();
}

async function storedTraces(org: TestOrg) {
  const response = await call("GET", "/api/v1/traces?limit=200", { key: org.key });
  expect(response.status).toBe(200);
  return (await response.json<{ data: { id: string; client_id: string | null; status: string }[] }>()).data;
}

/** Each organization's chain holds its two setup events, then one `trace.ingested` per stored trace. */
async function expectOneAuditEventPerTrace(org: TestOrg, traceIds: string[]) {
  expect(await verify(org)).toEqual({ valid: true, events: 2 + traceIds.length });
  const events = await auditEvents(org);
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  const ingested = events.filter((e) => e.action.includes("ingested"));
  expect(ingested.map((e) => e.action)).toEqual(traceIds.map(() => "trace.ingested"));
  expect(ingested.map((e) => e.target).sort()).toEqual([...traceIds].sort());
  expect(ingested.map((e) => e.payload.traces?.map((t) => t.id))).toEqual(ingested.map((e) => [e.target]));
}

const byTrace = (a: EvaluationMessage, b: EvaluationMessage) => a.trace_id.localeCompare(b.trace_id);

async function orgs(count: number, label: string): Promise<TestOrg[]> {
  const created: TestOrg[] = [];
  for (let i = 0; i < count; i++) created.push(await createOrg(`${label} ${i}`, "pro"));
  return created;
}

describe("group commit of concurrent trace writes", () => {
  it("stores concurrent requests of several organizations in shared batches, each audited and queued once", async () => {
    const tenants = await orgs(4, "Group");
    const perOrg = 6;
    const h = instrumented({ batchDelayMs: 20 });
    const requests = Array.from({ length: perOrg }, (_, i) =>
      tenants.map((org, o) => ({
        org,
        send: () => h.post(org, trace({ id: `group-${o}-${i}`, input: `Question ${i} of org ${o}?` })),
      })),
    ).flat();

    const sent = await concurrently(requests);
    expect(sent.map((s) => s.response.status)).toEqual(requests.map(() => 202));
    const ids = new Set(sent.map((s) => s.body.id));
    expect(ids.size).toBe(requests.length);

    // Every trace went to the queue exactly once, with its own organization.
    expect([...h.messages].sort(byTrace)).toEqual(
      sent.map((s) => ({ trace_id: s.body.id, org_id: s.org.orgId })).sort(byTrace),
    );
    // Requests shared flushes: far fewer queue sends than requests, at least one spanning organizations,
    // and exactly one D1 batch (traces and audit events together) per send, none of which had to retry.
    expect(h.sends.length).toBeLessThanOrEqual(requests.length / 3);
    expect(h.sends.some((group) => new Set(group.map((m) => m.org_id)).size > 1)).toBe(true);
    expect(h.batches.filter((b) => b.failed)).toEqual([]);
    expect(h.batches).toHaveLength(h.sends.length);

    // One live-feed RPC per organization per flushed group, carrying that organization's traces of it.
    const expectedPublishes = h.sends.flatMap((group) => {
      const byOrg = new Map<string, string[]>();
      for (const m of group) byOrg.set(m.org_id, [...(byOrg.get(m.org_id) ?? []), m.trace_id]);
      return [...byOrg].map(([orgId, traceIds]) => `${orgId}:${traceIds.sort().join(",")}`);
    });
    expect(h.publishes.map((p) => `${p.orgId}:${p.traceIds.join(",")}`).sort()).toEqual(
      expectedPublishes.sort(),
    );

    for (const org of tenants) {
      const mine = sent.filter((s) => s.org === org).map((s) => s.body.id);
      expect(mine).toHaveLength(perOrg);
      await expectOneAuditEventPerTrace(org, mine);
      const stored = await storedTraces(org);
      expect(stored.map((t) => t.id).sort()).toEqual([...mine].sort());
      expect(stored.every((t) => t.status === "queued")).toBe(true);
    }
  });

  it("stores one trace for a client id sent twice at once, and every unrelated request of the group", async () => {
    const [alpha, beta] = await orgs(2, "Duplicate");
    if (!alpha || !beta) throw new Error("organizations missing");
    const h = instrumented({ batchDelayMs: 20 });
    const duplicate = trace({ id: "dup-1", input: "Sent twice by a retrying client" });
    const requests = [
      { org: alpha, send: () => h.post(alpha, trace({ id: "alpha-1" })) },
      { org: beta, send: () => h.post(beta, trace({ id: "beta-1" })) },
      { org: alpha, send: () => h.post(alpha, duplicate) },
      { org: beta, send: () => h.post(beta, trace({ id: "beta-2" })) },
      { org: alpha, send: () => h.post(alpha, trace({ id: "alpha-2" })) },
      { org: alpha, send: () => h.post(alpha, duplicate) },
      { org: beta, send: () => h.post(beta, trace({ id: "beta-3" })) },
      { org: alpha, send: () => h.post(alpha, trace({ id: "alpha-3" })) },
      // The same client id in another organization is another trace.
      { org: beta, send: () => h.post(beta, duplicate) },
    ];
    const sent = await concurrently(requests);

    const [first, second] = [sent[2], sent[5]];
    if (!first || !second) throw new Error("responses missing");
    expect([first.response.status, second.response.status].sort()).toEqual([200, 202]);
    expect(second.body.id).toBe(first.body.id);
    const others = sent.filter((s) => s !== first && s !== second);
    expect(others.map((s) => s.response.status)).toEqual(others.map(() => 202));

    const alphaStored = await storedTraces(alpha);
    expect(alphaStored.map((t) => t.client_id).sort()).toEqual(["alpha-1", "alpha-2", "alpha-3", "dup-1"]);
    expect(alphaStored.find((t) => t.client_id === "dup-1")?.id).toBe(first.body.id);
    const betaStored = await storedTraces(beta);
    expect(betaStored.map((t) => t.client_id).sort()).toEqual(["beta-1", "beta-2", "beta-3", "dup-1"]);

    const alphaIds = alphaStored.map((t) => t.id);
    const betaIds = betaStored.map((t) => t.id);
    await expectOneAuditEventPerTrace(alpha, alphaIds);
    await expectOneAuditEventPerTrace(beta, betaIds);
    expect([...h.messages].sort(byTrace)).toEqual(
      [
        ...alphaIds.map((trace_id) => ({ trace_id, org_id: alpha.orgId })),
        ...betaIds.map((trace_id) => ({ trace_id, org_id: beta.orgId })),
      ].sort(byTrace),
    );
  });

  it("retries each write of a failed shared batch on its own: only the failing request gets the error", async () => {
    const [alpha, beta] = await orgs(2, "Poisoned group");
    if (!alpha || !beta) throw new Error("organizations missing");
    const h = instrumented({ batchDelayMs: 20, poison: "POISON-PILL" });
    const requests = [alpha, beta, alpha, beta, alpha, beta, alpha, beta].map((org, i) => ({
      org,
      send: () => h.post(org, trace(i === 3 ? { id: "bad", input: "POISON-PILL" } : { id: `good-${i}` })),
    }));
    const sent = await concurrently(requests);
    expect(sent.map((s) => s.response.status)).toEqual(requests.map((_, i) => (i === 3 ? 500 : 202)));
    // The poisoned write failed a shared batch, then its own; every other write was stored.
    expect(h.batches.some((b) => b.failed && b.statements > 2)).toBe(true);
    expect(h.batches.filter((b) => b.failed && b.statements === 2)).toHaveLength(1);

    for (const org of [alpha, beta]) {
      const mine = sent.filter((s, i) => s.org === org && i !== 3).map((s) => s.body.id);
      const stored = await storedTraces(org);
      expect(stored.map((t) => t.id).sort()).toEqual([...mine].sort());
      await expectOneAuditEventPerTrace(org, mine);
    }
    expect(h.messages.map((m) => m.trace_id).sort()).toEqual(
      sent
        .filter((_, i) => i !== 3)
        .map((s) => s.body.id)
        .sort(),
    );
  });

  it("finds the traces of a shared batch whose reply was lost stored, and stores none twice", async () => {
    const [alpha, beta] = await orgs(2, "Lost reply");
    if (!alpha || !beta) throw new Error("organizations missing");
    const h = instrumented({ batchDelayMs: 20, loseFirstGroupReply: true });
    // Without client ids: only finding the write's own trace ids keeps a retry from storing it again.
    const requests = [alpha, beta, alpha, beta, alpha, beta].map((org) => ({
      org,
      send: () => h.post(org, trace()),
    }));
    const sent = await concurrently(requests);
    expect(sent.map((s) => s.response.status)).toEqual(requests.map(() => 202));
    // The group's batch committed but "failed"; each write's own retry then failed on its stored ids.
    expect(h.batches.filter((b) => b.failed && b.statements > 2)).toHaveLength(1);
    for (const org of [alpha, beta]) {
      const mine = sent.filter((s) => s.org === org).map((s) => s.body.id);
      expect((await storedTraces(org)).map((t) => t.id).sort()).toEqual([...mine].sort());
      await expectOneAuditEventPerTrace(org, mine);
      expect(await verify(org)).toMatchObject({ valid: true });
    }
    expect(h.messages.map((m) => m.trace_id).sort()).toEqual(sent.map((s) => s.body.id).sort());
  });

  describe("when the queue refuses the send", () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it("keeps the group's traces stored and queued, logs a warning and still answers 202", async () => {
      const tenants = await orgs(2, "Queue down");
      const warn = vi.spyOn(console, "warn");
      const failing = recordingQueue("fail");
      const requests = Array.from({ length: 4 }, (_, i) =>
        tenants.map((org) => ({
          org,
          send: () =>
            failing.call("POST", "/api/v1/traces", { key: org.key, body: trace({ id: `down-${i}` }) }),
        })),
      ).flat();
      const sent = await concurrently(requests);
      expect(sent.map((s) => s.response.status)).toEqual(requests.map(() => 202));
      expect(sent.map((s) => s.body.status)).toEqual(requests.map(() => "queued"));
      expect(failing.messages).toEqual([]);

      const warnings = warn.mock.calls
        .map(([line]) => JSON.parse(String(line)) as { level: string; msg: string; count: number })
        .filter((line) => line.msg === "queue send failed; left for the sweep");
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings.every((w) => w.level === "warn")).toBe(true);
      expect(warnings.reduce((total, w) => total + w.count, 0)).toBe(requests.length);

      for (const org of tenants) {
        const mine = sent.filter((s) => s.org === org).map((s) => s.body.id);
        const stored = await storedTraces(org);
        expect(stored.map((t) => t.id).sort()).toEqual([...mine].sort());
        expect(stored.map((t) => t.status)).toEqual(mine.map(() => "queued"));
        await expectOneAuditEventPerTrace(org, mine);
      }
    });
  });

  describe("live feed", () => {
    const sockets: TestSocket[] = [];
    afterEach(() => {
      for (const s of sockets.splice(0)) s.close();
    });

    it("delivers trace.received for every trace of a shared flush to its own organization", async () => {
      const tenants = await orgs(3, "Live group");
      for (const org of tenants) sockets.push(await openSocket(org.key));
      const h = instrumented({ batchDelayMs: 20 });
      const requests = Array.from({ length: 3 }, (_, i) =>
        tenants.map((org, o) => ({
          org,
          send: () => h.post(org, trace({ id: `live-${o}-${i}`, domain: "trading", model: "gpt-4o" })),
        })),
      ).flat();
      const sent = await concurrently(requests);
      expect(sent.map((s) => s.response.status)).toEqual(requests.map(() => 202));
      expect(h.publishes.length).toBeLessThan(requests.length);

      for (const [o, org] of tenants.entries()) {
        const ws = sockets[o];
        if (!ws) throw new Error("socket missing");
        const mine = sent.filter((s) => s.org === org).map((s) => s.body.id);
        const received = await ws.take(mine.length);
        for (const event of received) {
          expect(event).toMatchObject({
            type: "trace.received",
            org_id: org.orgId,
            data: { domain: "trading", model: "gpt-4o" },
          });
        }
        expect(received.map((e) => (e.data as { trace_id: string }).trace_id).sort()).toEqual(
          [...mine].sort(),
        );
        expect(received.map((e) => (e.data as { client_id: string }).client_id).sort()).toEqual(
          [0, 1, 2].map((i) => `live-${o}-${i}`),
        );
        await ws.expectSilence();
      }
    });
  });
});
