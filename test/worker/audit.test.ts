import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createKey, createOrg, ingest, type TestOrg, trace } from "./helpers";

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
