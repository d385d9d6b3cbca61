import {
  createExecutionContext,
  evictDurableObject,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import type { Env } from "../../src/env";
import { eventId } from "../../src/live/events";
import { RETAINED_EVENTS } from "../../src/live/org-hub";
import { issueTicket } from "../../src/live/tickets";
import { BASE, call, createKey, createOrg, expectProblem, ingest, trace } from "./helpers";
import {
  evaluationCompleted,
  hubOf,
  openSocket,
  publish,
  SseReader,
  type TestSocket,
  ticketFor,
} from "./live-helpers";

const SIGNING_KEY = "test-signing-key-0123456789abcdef0123456789";

const sockets: TestSocket[] = [];
async function socket(key: string | undefined, query = ""): Promise<TestSocket> {
  const opened = await openSocket(key, query);
  sockets.push(opened);
  return opened;
}

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
  vi.useRealTimers();
});

describe("live feed over WebSocket", () => {
  it("sends trace.received for stored traces, once each, and nothing for duplicates", async () => {
    const org = await createOrg();
    const ws = await socket(org.key);
    const id = await ingest(org, trace({ id: "live-1", domain: "trading", model: "gpt-4o" }));
    const event = await ws.next();
    expect(event).toMatchObject({
      type: "trace.received",
      org_id: org.orgId,
      data: { trace_id: id, client_id: "live-1", domain: "trading", model: "gpt-4o" },
    });
    expect(event.id).toMatch(/^evt_\d{12}$/);
    expect(Date.parse(String(event.at))).toBeGreaterThan(Date.now() - 10_000);

    expect(
      (await call("POST", "/api/v1/traces", { key: org.key, body: trace({ id: "live-1" }) })).status,
    ).toBe(200);
    const batch = await call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: {
        traces: [
          trace({ id: "live-1" }),
          trace({ id: "live-2" }),
          trace({ input: "" }),
          trace({ id: "live-3" }),
        ],
      },
    });
    expect(batch.status).toBe(207);
    const received = await ws.take(2);
    expect(received.map((e) => (e.data as { client_id: string }).client_id)).toEqual(["live-2", "live-3"]);
    await ws.expectSilence();
  });

  it("delivers evaluation.completed to its own organization only", async () => {
    const [alice, bob] = [await createOrg("Alice Live"), await createOrg("Bob Live")];
    const aliceWs = await socket(alice.key);
    const bobWs = await socket(bob.key);
    await publish(alice.orgId, evaluationCompleted({ trace_id: "trc_alice" }));
    await publish(bob.orgId, evaluationCompleted({ trace_id: "trc_bob", verdict: "pass", severity: "none" }));
    await ingest(bob);

    const event = await aliceWs.next();
    expect(event).toMatchObject({
      type: "evaluation.completed",
      org_id: alice.orgId,
      data: evaluationCompleted({ trace_id: "trc_alice" }).data,
    });
    await aliceWs.expectSilence();
    const bobEvents = await bobWs.take(2);
    expect(bobEvents.map((e) => e.org_id)).toEqual([bob.orgId, bob.orgId]);
  });

  it("sends evaluation.completed once the queue consumer has judged the trace", {
    timeout: 20_000,
  }, async () => {
    const org = await createOrg();
    const ws = await socket(org.key, "?verdict=fail");
    const id = await ingest(
      org,
      trace({ output: "Take 1000 mg of acetaminophen every 4 hours until it stops." }),
    );
    const event = await ws.next(15_000);
    expect(event).toMatchObject({ type: "evaluation.completed", org_id: org.orgId, data: { trace_id: id } });
    const stored = await call("GET", `/api/v1/traces/${id}`, { key: org.key });
    const { evaluation } = await stored.json<{
      evaluation: { id: string; verdict: string; domain: string };
    }>();
    expect(event.data).toMatchObject({
      evaluation_id: evaluation.id,
      verdict: "fail",
      domain: evaluation.domain,
    });
  });

  it("applies subscribe filters on domain, verdict and minimum severity", async () => {
    const org = await createOrg();
    const ws = await socket(org.key);
    ws.send({ type: "subscribe", filter: { domain: "trading", min_severity: "medium" } });
    expect(await ws.next()).toEqual({
      type: "subscribed",
      filter: { domain: "trading", min_severity: "medium" },
    });

    await publish(
      org.orgId,
      evaluationCompleted({ trace_id: "t1", domain: "healthcare", severity: "critical" }),
      evaluationCompleted({ trace_id: "t2", domain: "trading", severity: "low", verdict: "pass" }),
      evaluationCompleted({ trace_id: "t3", domain: "trading", severity: "medium", verdict: "review" }),
      { type: "trace.received", data: { trace_id: "t4", client_id: null, domain: "trading", model: null } },
      evaluationCompleted({ trace_id: "t5", domain: "trading", severity: "critical" }),
    );
    const matched = await ws.take(2);
    expect(matched.map((e) => (e.data as { trace_id: string }).trace_id)).toEqual(["t3", "t5"]);
    await ws.expectSilence();

    ws.send({ type: "subscribe", filter: { verdict: "pass" } });
    expect(await ws.next()).toMatchObject({ type: "subscribed" });
    await publish(
      org.orgId,
      evaluationCompleted({ trace_id: "t6" }),
      evaluationCompleted({ trace_id: "t7", verdict: "pass" }),
    );
    expect(((await ws.next()).data as { trace_id: string }).trace_id).toBe("t7");

    ws.send({ type: "subscribe", filter: {} });
    expect(await ws.next()).toEqual({ type: "subscribed", filter: {} });
    await ingest(org);
    expect(await ws.next()).toMatchObject({ type: "trace.received" });
  });

  it("takes the initial filter from the query", async () => {
    const org = await createOrg();
    const ws = await socket(org.key, "?verdict=fail");
    await publish(
      org.orgId,
      evaluationCompleted({ trace_id: "ok", verdict: "pass" }),
      evaluationCompleted({ trace_id: "bad" }),
    );
    expect(((await ws.next()).data as { trace_id: string }).trace_id).toBe("bad");
  });

  it("answers pings and reports invalid messages without closing", async () => {
    const org = await createOrg();
    const ws = await socket(org.key);
    ws.send({ type: "ping" });
    expect(await ws.next()).toEqual({ type: "pong" });
    ws.send('{ "type" : "ping" }');
    expect(await ws.next()).toEqual({ type: "pong" });
    ws.send("not json");
    expect(await ws.next()).toEqual({ type: "error", message: "messages must be JSON" });
    ws.send({ type: "subscribe", filter: { min_severity: "extreme" } });
    const error = await ws.next();
    expect(error.type).toBe("error");
    expect(error.message).toMatch(/filter\.min_severity/);
    ws.send({ type: "subscribe", filter: { domain: "legal" } });
    expect(await ws.next()).toMatchObject({ type: "subscribed" });
  });

  it("replays what a client missed with ?since, in order and without duplicates", async () => {
    const org = await createOrg();
    const first = await socket(org.key);
    await publish(org.orgId, evaluationCompleted({ trace_id: "a" }));
    const seen = await first.next();
    first.close();

    await publish(org.orgId, evaluationCompleted({ trace_id: "b" }), evaluationCompleted({ trace_id: "c" }));
    const resumed = await socket(org.key, `?since=${seen.id}`);
    await publish(org.orgId, evaluationCompleted({ trace_id: "d" }));
    const messages = await resumed.take(4);
    expect(
      messages.map((m) => (m.type === "replayed" ? m : (m.data as { trace_id: string }).trace_id)),
    ).toEqual(["b", "c", { type: "replayed", count: 2, complete: true }, "d"]);
    const ids = messages.filter((m) => m.type !== "replayed").map((m) => String(m.id));
    expect(ids).toEqual([...ids].sort());
    expect(new Set([seen.id, ...ids]).size).toBe(4);
    await resumed.expectSilence();
  });

  it("keeps the last 1,000 events and says when a replay is incomplete", async () => {
    const org = await createOrg();
    const events = Array.from({ length: RETAINED_EVENTS + 5 }, (_, i) =>
      evaluationCompleted({ trace_id: `t${i}` }),
    );
    await publish(org.orgId, ...events);
    const stored = await runInDurableObject(hubOf(org.orgId), (_hub, state) =>
      state.storage.sql
        .exec<{ n: number; lo: number }>("SELECT count(*) AS n, min(seq) AS lo FROM events")
        .one(),
    );
    expect(stored).toEqual({ n: RETAINED_EVENTS, lo: 6 });

    const fromStart = await socket(org.key, `?since=${eventId(0)}`);
    const replay = await fromStart.take(RETAINED_EVENTS + 1);
    expect(replay[0]).toMatchObject({ data: { trace_id: "t5" } });
    expect(replay.at(-1)).toEqual({ type: "replayed", count: RETAINED_EVENTS, complete: false });

    const recent = await socket(org.key, `?since=${eventId(RETAINED_EVENTS + 3)}&verdict=fail`);
    const tail = await recent.take(3);
    expect(tail.map((m) => m.id ?? m.type)).toEqual([
      eventId(RETAINED_EVENTS + 4),
      eventId(RETAINED_EVENTS + 5),
      "replayed",
    ]);
    expect(tail[2]).toMatchObject({ complete: true });
  });

  it("keeps sockets, and their filters, across hibernation", async () => {
    const org = await createOrg();
    const ws = await socket(org.key);
    ws.send({ type: "subscribe", filter: { domain: "robotics" } });
    expect(await ws.next()).toMatchObject({ type: "subscribed" });

    await evictDurableObject(hubOf(org.orgId), { webSockets: "hibernate" });
    // The runtime answers the ping itself: the hub stays asleep (evicting it again would fail).
    ws.send({ type: "ping" });
    expect(await ws.next()).toEqual({ type: "pong" });
    await expect(evictDurableObject(hubOf(org.orgId))).rejects.toThrow(/not currently running/);

    // A publish wakes it; the socket and its filter come back from the attachment.
    await publish(
      org.orgId,
      evaluationCompleted({ trace_id: "skip", domain: "legal" }),
      evaluationCompleted({ trace_id: "keep", domain: "robotics" }),
    );
    expect(await ws.next()).toMatchObject({ type: "evaluation.completed", data: { trace_id: "keep" } });
    await ws.expectSilence();

    await evictDurableObject(hubOf(org.orgId), { webSockets: "hibernate" });
    ws.send({ type: "subscribe", filter: { domain: "legal" } });
    expect(await ws.next()).toEqual({ type: "subscribed", filter: { domain: "legal" } });
    await publish(org.orgId, evaluationCompleted({ trace_id: "now-legal", domain: "legal" }));
    expect(await ws.next()).toMatchObject({ data: { trace_id: "now-legal" } });
  });

  it("refuses plain HTTP, missing keys and keys without traces:read", async () => {
    const org = await createOrg();
    const plain = await call("GET", "/api/v1/live", { key: org.key });
    await expectProblem(plain, 426, /WebSocket endpoint/);
    expect(plain.headers.get("Upgrade")).toBe("websocket");
    await expectProblem(await call("GET", "/api/v1/live", { headers: { Upgrade: "websocket" } }), 401);
    const writer = await createKey(org, ["traces:write"]);
    await expectProblem(
      await call("GET", "/api/v1/live", { key: writer.key, headers: { Upgrade: "websocket" } }),
      403,
    );
    await expectProblem(
      await call("GET", "/api/v1/live?since=42", { key: org.key, headers: { Upgrade: "websocket" } }),
      400,
      /since/,
    );
  });
});

describe("tickets for browsers", () => {
  it("issues a signed ticket valid for 60 seconds, for keys with traces:read", async () => {
    const org = await createOrg();
    const { ticket, expires_at } = await ticketFor(org.key);
    expect(ticket.split(".")).toHaveLength(3);
    expect(Date.parse(expires_at) - Date.now()).toBeGreaterThan(55_000);
    expect(Date.parse(expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
    const writer = await createKey(org, ["traces:write"]);
    await expectProblem(await call("POST", "/api/v1/live/tickets", { key: writer.key }), 403);
  });

  it("opens the organization's feed once, then closes reuse with 1008", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const { ticket } = await ticketFor(org.key);
    const ws = await socket(undefined, `?ticket=${encodeURIComponent(ticket)}`);
    await publish(other.orgId, evaluationCompleted({ trace_id: "not-yours" }));
    await publish(org.orgId, evaluationCompleted({ trace_id: "yours" }));
    expect(await ws.next()).toMatchObject({ org_id: org.orgId, data: { trace_id: "yours" } });

    const reused = await socket(undefined, `?ticket=${encodeURIComponent(ticket)}`);
    expect(await reused.closed).toEqual({ code: 1008, reason: "ticket already used" });
  });

  it("closes with 1008 for an expired or forged ticket", async () => {
    const org = await createOrg();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() - 61_000);
    const stale = await issueTicket(SIGNING_KEY, { orgId: org.orgId, keyId: org.keyId });
    vi.useRealTimers();
    const expired = await socket(undefined, `?ticket=${stale.ticket}`);
    expect(await expired.closed).toEqual({ code: 1008, reason: "ticket expired" });

    const forged = await issueTicket("another-signing-key-0123456789abcdef", {
      orgId: org.orgId,
      keyId: org.keyId,
    });
    const bad = await socket(undefined, `?ticket=${forged.ticket}`);
    expect(await bad.closed).toEqual({ code: 1008, reason: "invalid ticket" });
    const garbage = await socket(undefined, "?ticket=not-a-ticket");
    expect(await garbage.closed).toEqual({ code: 1008, reason: "invalid ticket" });
  });

  it("does not use up a ticket on a malformed request", async () => {
    const org = await createOrg();
    const { ticket } = await ticketFor(org.key);
    const bad = await call("GET", `/api/v1/live?ticket=${ticket}&verdict=maybe`, {
      headers: { Upgrade: "websocket" },
    });
    await expectProblem(bad, 400, /verdict/);
    const ws = await socket(undefined, `?ticket=${ticket}`);
    ws.send({ type: "ping" });
    expect(await ws.next()).toEqual({ type: "pong" });
  });
});

describe("live feed over SSE", () => {
  it("streams events with ids, and replays after Last-Event-ID", async () => {
    const org = await createOrg();
    const response = await call("GET", "/api/v1/live/sse", { key: org.key });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("RateLimit")).toMatch(/"requests";r=\d+/);
    const stream = new SseReader(response);
    await publish(
      org.orgId,
      evaluationCompleted({ trace_id: "s1" }),
      evaluationCompleted({ trace_id: "s2" }),
    );
    const first = await stream.next();
    expect(first).toMatchObject({ event: "evaluation.completed", data: { data: { trace_id: "s1" } } });
    expect(first.id).toBe(first.data.id);
    await stream.next();
    await stream.cancel();

    await publish(org.orgId, evaluationCompleted({ trace_id: "s3" }));
    const resumed = new SseReader(
      await call("GET", "/api/v1/live/sse", { key: org.key, headers: { "Last-Event-ID": String(first.id) } }),
    );
    expect((await resumed.next()).data).toMatchObject({ data: { trace_id: "s2" } });
    expect((await resumed.next()).data).toMatchObject({ data: { trace_id: "s3" } });
    expect(await resumed.next()).toEqual({
      id: undefined,
      event: "replayed",
      data: { type: "replayed", count: 2, complete: true },
    });
    await resumed.cancel();
  });

  it("filters from the query and accepts a ticket once", async () => {
    const org = await createOrg();
    const { ticket } = await ticketFor(org.key);
    const response = await call("GET", `/api/v1/live/sse?ticket=${ticket}&domain=legal`);
    expect(response.status).toBe(200);
    const stream = new SseReader(response);
    await publish(
      org.orgId,
      evaluationCompleted({ trace_id: "x" }),
      evaluationCompleted({ trace_id: "y", domain: "legal" }),
    );
    expect((await stream.next()).data).toMatchObject({ data: { trace_id: "y" } });
    await stream.cancel();
    await expectProblem(await call("GET", `/api/v1/live/sse?ticket=${ticket}`), 401, /already used/);
  });
});

describe("publishing", () => {
  it("never fails ingestion when the live feed is down", async () => {
    const org = await createOrg();
    const failingHub = {
      idFromName: (name: string) => env.ORG_HUB.idFromName(name),
      get: () => ({
        publish: () => Promise.reject(new Error("hub unreachable")),
      }),
    } as unknown as Env["ORG_HUB"];
    const errors = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request(`${BASE}/api/v1/traces`, {
        method: "POST",
        headers: { Authorization: `Bearer ${org.key}`, "Content-Type": "application/json" },
        body: JSON.stringify(trace()),
      }),
      { ...env, ORG_HUB: failingHub },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(202);
    expect(errors.mock.calls.some(([line]) => String(line).includes("live event publish failed"))).toBe(true);
    errors.mockRestore();
  });
});
