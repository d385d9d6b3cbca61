import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { Env } from "../env";
import { zodFieldErrors } from "../http/problem";
import {
  type ControlMessage,
  clientMessageSchema,
  eventId,
  type LiveEvent,
  type LiveEventInput,
  type LiveFilter,
  liveEventInputSchema,
  liveFilterSchema,
  matchesFilter,
  PING_MESSAGE,
  PONG_MESSAGE,
} from "./events";

/** How many events the hub keeps for replay. */
export const RETAINED_EVENTS = 1_000;
/** Comment lines keep idle SSE connections from being closed by proxies. */
const SSE_KEEPALIVE_MS = 25_000;
/** An SSE client this many messages behind is dropped; it resumes with Last-Event-ID. */
const SSE_MAX_BUFFERED = 1_000;

/** What the Worker tells the hub about a connection it has already authenticated. */
export const connectOptionsSchema = z.strictObject({
  transport: z.enum(["websocket", "sse"]),
  /** The API key the connection was opened with (directly or through a ticket). */
  keyId: z.string().min(1),
  /** Replay events after this sequence number first; null for live events only. */
  since: z.number().int().nonnegative().nullable(),
  filter: liveFilterSchema,
});
export type ConnectOptions = z.infer<typeof connectOptionsSchema>;
export const CONNECT_OPTIONS_HEADER = "X-Aegis-Live-Connect";

/** Per-socket state, kept with the socket so it survives hibernation. */
const socketStateSchema = z.object({ filter: liveFilterSchema });
type SocketState = z.infer<typeof socketStateSchema>;

export type TicketRedemption = "ok" | "used" | "expired" | "revoked";

interface SseSubscriber {
  controller: ReadableStreamDefaultController<Uint8Array>;
  filter: LiveFilter;
  keyId: string;
}

/** The close code and reason a revoked key's sockets get (1008: policy violation). */
export const KEY_REVOKED_CLOSE = { code: 1008, reason: "API key revoked" } as const;
/**
 * How long the hub remembers a revoked key: longer than a ticket lives and than other isolates may
 * keep the key in their credential cache, so neither can open a feed with it afterwards.
 */
const REVOKED_KEY_MEMORY_MS = 60 * 60_000;

const encoder = new TextEncoder();

/**
 * One organization's live feed. WebSockets are accepted with the hibernation API, so an idle
 * dashboard costs nothing; SSE streams keep the object in memory while they are open. Events are
 * numbered in the object's SQLite storage, which keeps the last RETAINED_EVENTS for replay.
 */
export class OrgHub extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly sseSubscribers = new Set<SseSubscriber>();
  private keepalive: ReturnType<typeof setInterval> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        org_id TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS used_tickets (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS revoked_keys (id TEXT PRIMARY KEY, revoked_at INTEGER NOT NULL);
    `);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_MESSAGE, PONG_MESSAGE));
  }

  /** Numbers, stores and delivers events, in order. Synchronous, so no subscriber sees a gap. */
  publish(orgId: string, inputs: readonly LiveEventInput[]): void {
    const at = new Date().toISOString();
    let lastSeq = 0;
    const events = inputs.map((input) => {
      const { seq } = this.sql
        .exec<{ seq: number }>(
          "INSERT INTO events (type, org_id, at, data) VALUES (?, ?, ?, ?) RETURNING seq",
          input.type,
          orgId,
          at,
          JSON.stringify(input.data),
        )
        .one();
      lastSeq = seq;
      return stamp(input, seq, orgId, at);
    });
    this.sql.exec("DELETE FROM events WHERE seq <= ?", lastSeq - RETAINED_EVENTS);
    for (const event of events) this.deliver(event);
  }

  /** Marks a ticket as used. A ticket is good once, only until it expires, and only while its key is. */
  redeemTicket(ticketId: string, expiresAt: number, keyId: string): TicketRedemption {
    const now = Date.now();
    if (expiresAt <= now) return "expired";
    if (this.isRevoked(keyId)) return "revoked";
    this.sql.exec("DELETE FROM used_tickets WHERE expires_at <= ?", now);
    const cursor = this.sql.exec(
      "INSERT INTO used_tickets (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
      ticketId,
      expiresAt,
    );
    return cursor.rowsWritten > 0 ? "ok" : "used";
  }

  /**
   * Closes every connection opened with the key, and refuses its tickets and new connections from
   * now on (another isolate may still hold the key in its credential cache for a few seconds).
   */
  revokeKey(keyId: string): number {
    const now = Date.now();
    this.sql.exec("DELETE FROM revoked_keys WHERE revoked_at <= ?", now - REVOKED_KEY_MEMORY_MS);
    this.sql.exec(
      "INSERT INTO revoked_keys (id, revoked_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
      keyId,
      now,
    );
    let closed = 0;
    for (const ws of this.ctx.getWebSockets(keyId)) {
      try {
        ws.close(KEY_REVOKED_CLOSE.code, KEY_REVOKED_CLOSE.reason);
      } catch {
        // Already closing.
      }
      closed += 1;
    }
    const revoked: ControlMessage = { type: "error", message: KEY_REVOKED_CLOSE.reason };
    const farewell = encoder.encode(`event: error\ndata: ${JSON.stringify(revoked)}\n\n`);
    for (const subscriber of [...this.sseSubscribers]) {
      if (subscriber.keyId !== keyId) continue;
      try {
        subscriber.controller.enqueue(farewell);
        subscriber.controller.close();
      } catch {
        // The client went away already.
      }
      this.dropStream(subscriber);
      closed += 1;
    }
    return closed;
  }

  private isRevoked(keyId: string): boolean {
    return this.sql.exec("SELECT 1 FROM revoked_keys WHERE id = ?", keyId).toArray().length > 0;
  }

  /** Opens a WebSocket or SSE subscription; the Worker authenticated it and passes its options. */
  override async fetch(request: Request): Promise<Response> {
    const options = connectOptionsSchema.parse(JSON.parse(request.headers.get(CONNECT_OPTIONS_HEADER) ?? ""));
    if (this.isRevoked(options.keyId)) {
      // The Worker turns this into the transport's refusal (a 1008 close, or a 401 problem).
      return new Response(KEY_REVOKED_CLOSE.reason, { status: 401 });
    }
    return options.transport === "websocket" ? this.openSocket(options) : this.openStream(options);
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    ws.send(JSON.stringify(this.answer(ws, message)));
  }

  private answer(ws: WebSocket, message: string | ArrayBuffer): ControlMessage {
    if (typeof message !== "string") return { type: "error", message: "send JSON text messages" };
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return { type: "error", message: "messages must be JSON" };
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const problems = zodFieldErrors(parsed.error).map((e) => `${e.path}: ${e.message}`);
      return { type: "error", message: `invalid message (${problems.join("; ")})` };
    }
    if (parsed.data.type === "ping") return { type: "pong" };
    ws.serializeAttachment({ filter: parsed.data.filter } satisfies SocketState);
    return { type: "subscribed", filter: parsed.data.filter };
  }

  private openSocket(options: ConnectOptions): Response {
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    // Tagged with its key, so revoking the key finds its sockets (also after hibernation).
    this.ctx.acceptWebSocket(server, [options.keyId]);
    server.serializeAttachment({ filter: options.filter } satisfies SocketState);
    // Replay and registration happen in one synchronous turn: no publish can fall between them.
    if (options.since !== null) {
      const { events, complete } = this.replay(options.since, options.filter);
      for (const event of events) server.send(JSON.stringify(event));
      server.send(
        JSON.stringify({ type: "replayed", count: events.length, complete } satisfies ControlMessage),
      );
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  private openStream(options: ConnectOptions): Response {
    let subscriber: SseSubscriber | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        subscriber = { controller, filter: options.filter, keyId: options.keyId };
        controller.enqueue(encoder.encode(`retry: 3000\n\n`));
        if (options.since !== null) {
          const { events, complete } = this.replay(options.since, options.filter);
          for (const event of events) controller.enqueue(encoder.encode(sseEvent(event)));
          const replayed: ControlMessage = { type: "replayed", count: events.length, complete };
          controller.enqueue(encoder.encode(`event: replayed\ndata: ${JSON.stringify(replayed)}\n\n`));
        }
        this.sseSubscribers.add(subscriber);
        this.keepalive ??= setInterval(() => this.sendKeepalive(), SSE_KEEPALIVE_MS);
      },
      cancel: () => {
        if (subscriber) this.dropStream(subscriber);
      },
    });
    return new Response(body, {
      headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store" },
    });
  }

  private replay(since: number, filter: LiveFilter): { events: LiveEvent[]; complete: boolean } {
    const oldest = this.sql.exec<{ seq: number | null }>("SELECT min(seq) AS seq FROM events").one().seq;
    const rows = this.sql
      .exec<{ seq: number; type: string; org_id: string; at: string; data: string }>(
        "SELECT seq, type, org_id, at, data FROM events WHERE seq > ? ORDER BY seq",
        since,
      )
      .toArray();
    const events = rows
      .map((row) =>
        stamp(
          liveEventInputSchema.parse({ type: row.type, data: JSON.parse(row.data) }),
          row.seq,
          row.org_id,
          row.at,
        ),
      )
      .filter((event) => matchesFilter(event, filter));
    // Events after `since` that were already trimmed cannot be replayed: the client must backfill.
    return { events, complete: oldest === null || oldest <= since + 1 };
  }

  private deliver(event: LiveEvent): void {
    const json = JSON.stringify(event);
    for (const ws of this.ctx.getWebSockets()) {
      const state = socketStateSchema.safeParse(ws.deserializeAttachment());
      if (!state.success || !matchesFilter(event, state.data.filter)) continue;
      try {
        ws.send(json);
      } catch {
        // The socket is closing; the runtime removes it from getWebSockets().
      }
    }
    if (this.sseSubscribers.size === 0) return;
    const chunk = encoder.encode(sseEvent(event));
    for (const subscriber of this.sseSubscribers) {
      if (matchesFilter(event, subscriber.filter)) this.enqueue(subscriber, chunk);
    }
  }

  private sendKeepalive(): void {
    const chunk = encoder.encode(": keep-alive\n\n");
    for (const subscriber of this.sseSubscribers) this.enqueue(subscriber, chunk);
  }

  private enqueue(subscriber: SseSubscriber, chunk: Uint8Array): void {
    try {
      if ((subscriber.controller.desiredSize ?? 0) < -SSE_MAX_BUFFERED) {
        subscriber.controller.close();
        this.dropStream(subscriber);
      } else subscriber.controller.enqueue(chunk);
    } catch {
      this.dropStream(subscriber);
    }
  }

  private dropStream(subscriber: SseSubscriber): void {
    this.sseSubscribers.delete(subscriber);
    if (this.sseSubscribers.size === 0 && this.keepalive !== undefined) {
      clearInterval(this.keepalive);
      this.keepalive = undefined;
    }
  }
}

function stamp(input: LiveEventInput, seq: number, orgId: string, at: string): LiveEvent {
  return { id: eventId(seq), org_id: orgId, at, ...input };
}

function sseEvent(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
