import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, for `toContain` assertions on what the prompt carried. */
  raw: string;
  json: unknown;
}

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON, or as is when a string. */
  body: unknown;
}

/** How the server answers one request: a reply, or a promise of one the test settles when it likes. */
export type Step = ScriptedReply | ((request: RecordedRequest) => Promise<ScriptedReply>);

/** A step that never answers: the client's timeout has to fire. */
export const NEVER_ANSWER: Step = () => new Promise<ScriptedReply>(() => {});

export interface FakeProvider {
  /** http://127.0.0.1:<port> */
  origin: string;
  requests: RecordedRequest[];
  /** Queues the answers to the next requests, in order. */
  script(...steps: Step[]): void;
  reset(): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, reply: ScriptedReply): void {
  const isText = typeof reply.body === "string";
  response.writeHead(reply.status ?? 200, {
    "content-type": isText ? "text/plain" : "application/json",
    ...reply.headers,
  });
  response.end(isText ? reply.body : JSON.stringify(reply.body));
}

/**
 * A local HTTP server speaking whatever wire format its scripted replies are written in (the helpers
 * below write OpenAI chat-completions and Anthropic Messages answers). It records every request.
 */
export async function startFakeProvider(): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  let steps: Step[] = [];
  let arrivals: (() => void)[] = [];

  const server = createServer(async (request, response) => {
    const raw = await readBody(request);
    let json: unknown = null;
    try {
      json = JSON.parse(raw);
    } catch {
      // Recorded as raw text only.
    }
    const recorded = {
      method: request.method ?? "",
      path: request.url ?? "",
      headers: request.headers,
      raw,
      json,
    };
    requests.push(recorded);
    for (const arrived of arrivals) arrived();
    const step = steps.shift();
    if (step === undefined) {
      send(response, { status: 418, body: { error: { message: "no scripted reply left" } } });
      return;
    }
    send(response, typeof step === "function" ? await step(recorded) : step);
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    script: (...more) => {
      steps.push(...more);
    },
    reset: () => {
      requests.length = 0;
      steps = [];
    },
    waitForRequests: (count) =>
      new Promise<void>((reached) => {
        const check = () => {
          if (requests.length < count) return;
          arrivals = arrivals.filter((a) => a !== check);
          reached();
        };
        arrivals.push(check);
        check();
      }),
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

/** A fake provider for the whole test file, with a clean script and request log for each test. */
export function useFakeProvider(): { readonly server: FakeProvider } {
  const holder = {} as { server: FakeProvider };
  beforeAll(async () => {
    holder.server = await startFakeProvider();
  });
  afterAll(() => holder.server.close());
  beforeEach(() => holder.server.reset());
  return holder;
}

export function openAiAnswer(
  content: string,
  usage: { prompt_tokens: number; completion_tokens: number } | null = {
    prompt_tokens: 1_200,
    completion_tokens: 300,
  },
): ScriptedReply {
  return {
    body: {
      id: "chatcmpl-test",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      ...(usage && { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }),
    },
  };
}

export function anthropicAnswer(
  text: string,
  usage: { input_tokens: number; output_tokens: number } = { input_tokens: 1_200, output_tokens: 300 },
): ScriptedReply {
  return {
    body: {
      id: "msg_test",
      type: "message",
      role: "assistant",
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      usage,
    },
  };
}

/** An error answer in the shape both providers use: `{ error: { message } }`. */
export function errorAnswer(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): ScriptedReply {
  return { status, headers, body: { type: "error", error: { type: "api_error", message } } };
}
