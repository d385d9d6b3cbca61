import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import type { Env } from "../../src/env";
import { canonicalJson } from "../../src/eval";
import { sha256Hex } from "../../src/lib/crypto";
import { BASE, call, createKey, createOrg, ingest, type TestOrg, trace } from "./helpers";

async function events(org: TestOrg, query = "") {
  const response = await call("GET", `/api/v1/audit${query}`, { key: org.key });
  expect(response.status).toBe(200);
  return response.json<{
    data: {
      seq: number;
      action: string;
      target: string;
      hash: string;
      prev_hash: string;
      payload: unknown;
    }[];
    next_cursor: string | null;
  }>();
}

async function verify(org: TestOrg) {
  return (await call("GET", "/api/v1/audit/verify", { key: org.key })).json<Record<string, unknown>>();
}

async function orgWithHistory() {
  const org = await createOrg();
  const key = await createKey(org, ["traces:read"]);
  await call("DELETE", `/api/v1/keys/${key.id}`, { key: org.key });
  const id = await ingest(org);
  await call("POST", "/api/v1/traces/batch", { key: org.key, body: { traces: [trace(), trace()] } });
  await call("DELETE", `/api/v1/traces/${id}`, { key: org.key });
  await call("PATCH", "/api/v1/organization/settings", { key: org.key, body: { phi_redaction: "mask" } });
  return org;
}

describe("audit trail", () => {
  it("records every state change in order, chained by hash", async () => {
    const org = await orgWithHistory();
    const { data } = await events(org);
    expect(data.map((e) => e.action).reverse()).toEqual([
      "organization.created",
      "api_key.created",
      "api_key.created",
      "api_key.revoked",
      "trace.ingested",
      "traces.ingested",
      "trace.deleted",
      "organization.settings_updated",
    ]);
    const ascending = [...data].reverse();
    ascending.forEach((event, i) => {
      expect(event.seq).toBe(i + 1);
      expect(event.prev_hash).toBe(i === 0 ? "0".repeat(64) : ascending[i - 1]?.hash);
    });
    expect(await verify(org)).toEqual({ valid: true, events: 8 });
  });

  it("pages with a cursor", async () => {
    const org = await orgWithHistory();
    const first = await events(org, "?limit=3");
    expect(first.data.map((e) => e.seq)).toEqual([8, 7, 6]);
    const second = await events(org, `?limit=3&cursor=${first.next_cursor}`);
    expect(second.data.map((e) => e.seq)).toEqual([5, 4, 3]);
    const third = await events(org, `?limit=3&cursor=${second.next_cursor}`);
    expect(third.data.map((e) => e.seq)).toEqual([2, 1]);
    expect(third.next_cursor).toBeNull();
  });

  it.each([
    [
      "an edited payload",
      'UPDATE audit_events SET payload = \'{"name":"forged"}\' WHERE org_id = ? AND seq = 3',
      3,
      /payload/,
    ],
    [
      "an edited action",
      "UPDATE audit_events SET action = 'api_key.rotated' WHERE org_id = ? AND seq = 4",
      4,
      /hash/,
    ],
    ["a deleted event", "DELETE FROM audit_events WHERE org_id = ? AND seq = 5", 6, /sequence gap/],
    [
      "a recomputed payload hash",
      "UPDATE audit_events SET payload = '{}', payload_hash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' WHERE org_id = ? AND seq = 2",
      2,
      /hash does not match/,
    ],
  ])("reports %s at the sequence where the chain breaks", async (_label, tamper, brokenAt, reason) => {
    const org = await orgWithHistory();
    await env.DB.prepare(tamper).bind(org.orgId).run();
    const result = await verify(org);
    expect(result).toMatchObject({ valid: false, broken_at: brokenAt });
    expect(result.reason).toMatch(reason);
  });

  it("keeps one unbroken chain under concurrent writers, losing none of them", async () => {
    const org = await createOrg("Busy Org", "enterprise");
    const responses = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        call("POST", "/api/v1/traces", { key: org.key, body: trace({ id: `c-${i}` }) }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(32).fill(202));
    expect(await verify(org)).toEqual({ valid: true, events: 34 });
  });
});

/**
 * Calls the app with a D1 binding that records the chain-head reads (SELECTs from audit_events) and
 * the batches, failed or not, of the requests it serves.
 */
function watchedDb() {
  const headReads: string[] = [];
  const batches: { failed: boolean }[] = [];
  const real = env.DB;
  const db = {
    prepare(query: string) {
      if (/^select\b.*\bfrom\s+"?audit_events"?/is.test(query)) headReads.push(query);
      return real.prepare(query);
    },
    async batch(statements: D1PreparedStatement[]) {
      try {
        const result = await real.batch(statements);
        batches.push({ failed: false });
        return result;
      } catch (error) {
        batches.push({ failed: true });
        throw error;
      }
    },
    exec: (query: string) => real.exec(query),
  } as unknown as D1Database;
  const watchedEnv: Env = { ...env, DB: db };
  return {
    headReads,
    batches,
    /** Ingests one trace; what it read and wrote is what the recorders gained meanwhile. */
    async ingest(org: TestOrg, body: Record<string, unknown>) {
      const [reads, writes] = [headReads.length, batches.length];
      const ctx = createExecutionContext();
      const response = await app.fetch(
        new Request(`${BASE}/api/v1/traces`, {
          method: "POST",
          headers: { Authorization: `Bearer ${org.key}`, "Content-Type": "application/json" },
          body: JSON.stringify(body),
        }),
        watchedEnv,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return {
        status: response.status,
        id: (await response.json<{ id: string }>()).id,
        headReads: headReads.length - reads,
        batches: batches.slice(writes),
      };
    },
  };
}

/** Appends an event to the chain as another isolate would: next seq, linked and hashed like src/db/audit.ts. */
async function appendElsewhere(orgId: string, action: string, target: string, payload: unknown) {
  const head = await env.DB.prepare(
    "SELECT seq, hash FROM audit_events WHERE org_id = ? ORDER BY seq DESC LIMIT 1",
  )
    .bind(orgId)
    .first<{ seq: number; hash: string }>();
  if (!head) throw new Error("the chain is empty");
  const text = canonicalJson(payload);
  const row = {
    org_id: orgId,
    seq: head.seq + 1,
    at: Date.now(),
    actor: "key:another-isolate",
    action,
    target,
    payload_hash: await sha256Hex(text),
    prev_hash: head.hash,
  };
  const hash = await sha256Hex(canonicalJson(row));
  await env.DB.prepare(
    "INSERT INTO audit_events (org_id, seq, at, actor, action, target, payload, payload_hash, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      row.org_id,
      row.seq,
      row.at,
      row.actor,
      row.action,
      row.target,
      text,
      row.payload_hash,
      row.prev_hash,
      hash,
    )
    .run();
  return row.seq;
}

describe("cached chain heads", () => {
  it("appends on the head it remembers, without reading it back from D1", async () => {
    const org = await createOrg();
    const watched = watchedDb();
    const first = await watched.ingest(org, trace({ id: "head-1" }));
    expect(first.status).toBe(202);
    const second = await watched.ingest(org, trace({ id: "head-2" }));
    expect(second).toMatchObject({ status: 202, headReads: 0, batches: [{ failed: false }] });
    expect(await verify(org)).toEqual({ valid: true, events: 4 });
  });

  it("recovers when another isolate appended meanwhile: the stale head collides and is read afresh", async () => {
    const org = await createOrg();
    const watched = watchedDb();
    const first = await watched.ingest(org, trace({ id: "stale-1" }));
    expect(first.status).toBe(202);
    const foreignSeq = await appendElsewhere(org.orgId, "trace.deleted", "trc_elsewhere", {
      id: "trc_elsewhere",
    });
    expect(foreignSeq).toBe(4);
    expect(await verify(org)).toEqual({ valid: true, events: 4 });

    const second = await watched.ingest(org, trace({ id: "stale-2" }));
    expect(second.status).toBe(202);
    // The append built on the remembered head collided on (org_id, seq); the retry read the real head.
    expect(second.batches).toEqual([{ failed: true }, { failed: false }]);
    expect(second.headReads).toBeGreaterThanOrEqual(1);

    // The next append links to the head the retry wrote, at the first attempt.
    const third = await watched.ingest(org, trace({ id: "stale-3" }));
    expect(third).toMatchObject({ status: 202, batches: [{ failed: false }] });

    expect(await verify(org)).toEqual({ valid: true, events: 6 });
    const { data } = await events(org);
    const ascending = [...data].reverse();
    expect(ascending.map((e) => [e.seq, e.action, e.target])).toEqual([
      [1, "organization.created", org.orgId],
      [2, "api_key.created", org.keyId],
      [3, "trace.ingested", first.id],
      [4, "trace.deleted", "trc_elsewhere"],
      [5, "trace.ingested", second.id],
      [6, "trace.ingested", third.id],
    ]);
    ascending.forEach((event, i) => {
      expect(event.prev_hash).toBe(i === 0 ? "0".repeat(64) : ascending[i - 1]?.hash);
    });
    const stored = await call("GET", "/api/v1/traces?limit=10", { key: org.key });
    expect((await stored.json<{ data: { id: string }[] }>()).data.map((t) => t.id).sort()).toEqual(
      [first.id, second.id, third.id].sort(),
    );
  });
});
