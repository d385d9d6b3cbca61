import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { LiveEventInput } from "../../src/live/events";
import { publishLiveEvents } from "../../src/live/publisher";
import { BASE, call } from "./helpers";

export type Message = Record<string, unknown> & { type: string };

/** A client socket whose messages queue up until a test takes them. */
export class TestSocket {
  private readonly received: Message[] = [];
  private waiter: (() => void) | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => {
        resolve({ code: event.code, reason: event.reason });
      });
    });
    ws.addEventListener("message", (event) => {
      this.received.push(JSON.parse(String(event.data)) as Message);
      this.waiter?.();
    });
    ws.accept();
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The next message, or a failure after `timeoutMs`. */
  async next(timeoutMs = 2_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no message arrived in time");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.received.shift() as Message;
  }

  /** The next `count` messages, in order. */
  async take(count: number, timeoutMs = 5_000): Promise<Message[]> {
    const out: Message[] = [];
    for (let i = 0; i < count; i++) out.push(await this.next(timeoutMs));
    return out;
  }

  /** Waits a moment and checks nothing (more) arrived. */
  async expectSilence(ms = 150): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    expect(this.received).toEqual([]);
  }

  close(): void {
    this.ws.close(1000, "done");
  }
}

/** Opens GET /api/v1/live (with the key as a header unless a ticket is in `query`). */
export async function openSocket(key: string | undefined, query = ""): Promise<TestSocket> {
  const headers = new Headers({ Upgrade: "websocket" });
  if (key !== undefined) headers.set("Authorization", `Bearer ${key}`);
  const response = await exports.default.fetch(new Request(`${BASE}/api/v1/live${query}`, { headers }));
  expect(response.status).toBe(101);
  if (!response.webSocket) throw new Error("no WebSocket in the 101 response");
  return new TestSocket(response.webSocket);
}

export async function ticketFor(key: string): Promise<{ ticket: string; expires_at: string }> {
  const response = await call("POST", "/api/v1/live/tickets", { key });
  expect(response.status).toBe(201);
  return response.json();
}

/** What the queue consumer publishes once a trace is judged. */
export function evaluationCompleted(
  data: Partial<Extract<LiveEventInput, { type: "evaluation.completed" }>["data"]> = {},
): LiveEventInput {
  return {
    type: "evaluation.completed",
    data: {
      trace_id: "trc_test",
      client_id: null,
      evaluation_id: "evl_test",
      domain: "healthcare",
      verdict: "fail",
      severity: "high",
      risk_score: 0.8,
      rules: ["healthcare.dose.max_daily"],
      ...data,
    },
  };
}

export function publish(orgId: string, ...events: LiveEventInput[]): Promise<void> {
  return publishLiveEvents(
    env.ORG_HUB,
    events.map((event) => ({ orgId, event })),
  );
}

export function hubOf(orgId: string) {
  return env.ORG_HUB.get(env.ORG_HUB.idFromName(orgId));
}

export function limiterOf(orgId: string) {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(orgId));
}

/** Reads an SSE response's frames as they come: comments are skipped. */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private buffer = "";
  private readonly decoder = new TextDecoder();

  constructor(response: Response) {
    if (!response.body) throw new Error("no SSE body");
    this.reader = response.body.getReader();
  }

  async next(): Promise<{ id?: string; event?: string; data: Message }> {
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of frame.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
        if (fields.data === undefined) continue;
        return { id: fields.id, event: fields.event, data: JSON.parse(fields.data) as Message };
      }
      const { done, value } = await this.reader.read();
      if (done) throw new Error("the SSE stream ended");
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel();
  }
}
