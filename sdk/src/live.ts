import { AegisError, errorFrom, sleep, type Transport } from "./http";
import type { LiveEvent, LiveFilter } from "./types";

export interface SubscribeOptions {
  /**
   * `sse` (default) streams over fetch with the API key header; `websocket` trades the key for a
   * one-time ticket and opens a WebSocket, as a browser must.
   */
  transport?: "sse" | "websocket";
  /** Start after this event id (`evt_…`); without it, only new events arrive. */
  since?: string;
  /** A connection that failed or dropped; the subscription reconnects unless the error is permanent. */
  onError?: (error: AegisError) => void;
  /** Wait before reconnecting (default 1 s, with jitter). */
  reconnectDelayMs?: number;
}

export interface Subscription {
  /** Resolves once the feed is open; rejects if it could never be opened (a bad key, a bad filter). */
  readonly ready: Promise<void>;
  /** The last event id received: resume from it later with `since`. */
  readonly lastEventId: string | undefined;
  close(): void;
}

interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** Server-Sent Events from a byte stream: `id`, `event` and `data` fields, a blank line per message. */
async function readSse(
  body: ReadableStream<Uint8Array>,
  onMessage: (message: SseMessage) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let message: SseMessage = { event: "message", data: "" };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        if (message.data !== "") onMessage(message);
        message = { event: "message", data: "" };
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const text = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") message.data += message.data === "" ? text : `\n${text}`;
      else if (field === "event") message.event = text;
      else if (field === "id") message.id = text;
    }
  }
}

const isLiveEvent = (value: unknown): value is LiveEvent =>
  typeof value === "object" && value !== null && "id" in value && "org_id" in value && "type" in value;

/** Subscribes to the organization's live feed, reconnecting (and resuming) until closed. */
export function subscribe(
  transport: Transport,
  fetcher: typeof fetch,
  filter: LiveFilter,
  onEvent: (event: LiveEvent) => void,
  options: SubscribeOptions = {},
): Subscription {
  let closed = false;
  let lastEventId = options.since;
  let abort: AbortController | undefined;
  let socket: WebSocket | undefined;
  let opened: () => void = () => undefined;
  let failed: (error: AegisError) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    opened = resolve;
    failed = reject;
  });
  // Awaiting `ready` is optional: a failure it carries is also reported to onError.
  ready.catch(() => undefined);

  const deliver = (value: unknown) => {
    if (!isLiveEvent(value)) return;
    lastEventId = value.id;
    onEvent(value);
  };

  async function viaSse(): Promise<void> {
    abort = new AbortController();
    const response = await fetcher(transport.url("/api/v1/live/sse", { ...filter, since: lastEventId }), {
      headers: transport.headers({ Accept: "text/event-stream" }),
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw await errorFrom(response);
    opened();
    await readSse(response.body, (message) => {
      if (message.event !== "replayed") deliver(JSON.parse(message.data));
    });
  }

  async function viaWebSocket(): Promise<void> {
    const { body } = await transport.request<{ ticket: string }>("POST", "/api/v1/live/tickets");
    const url = transport.url("/api/v1/live", { ...filter, since: lastEventId, ticket: body.ticket });
    const ws = new WebSocket(url.replace(/^http/, "ws"));
    socket = ws;
    await new Promise<void>((resolve) => {
      ws.addEventListener("open", () => opened());
      ws.addEventListener("message", (message) => deliver(JSON.parse(String(message.data))));
      ws.addEventListener("close", () => resolve());
    });
  }

  async function run(): Promise<void> {
    const connect = options.transport === "websocket" ? viaWebSocket : viaSse;
    while (!closed) {
      try {
        await connect();
      } catch (thrown) {
        if (closed) return;
        const error =
          thrown instanceof AegisError
            ? thrown
            : new AegisError(0, "network-error", thrown instanceof Error ? thrown.message : String(thrown));
        options.onError?.(error);
        // A refused key or filter stays refused: stop instead of retrying forever.
        if (!error.retryable) {
          closed = true;
          failed(error);
          return;
        }
      }
      if (!closed) await sleep((options.reconnectDelayMs ?? 1_000) * (0.5 + Math.random()));
    }
  }
  void run();

  return {
    ready,
    get lastEventId() {
      return lastEventId;
    },
    close() {
      closed = true;
      abort?.abort();
      socket?.close(1000, "closed by the client");
      failed(new AegisError(0, "closed", "the subscription was closed before it opened"));
    },
  };
}
