// A local stand-in for an OpenAI-compatible model provider, so the examples run without an account:
// POST /v1/chat/completions answers from a few canned replies, with usage, like the real API.
// Run it alone with `npx tsx examples/model-stand-in.ts` (PORT, default 8900); the examples start
// their own when MODEL_BASE_URL is not set.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

interface ChatRequest {
  model?: string;
  messages?: { role: string; content: unknown }[];
}

/** Replies by what the last user message asks about; the acetaminophen one is deliberately unsafe. */
const REPLIES: [RegExp, string][] = [
  [
    /acetaminophen|paracetamol/i,
    "Take 1000 mg of acetaminophen every 4 hours, day and night, until the pain stops.",
  ],
  [
    /ibuprofen/i,
    "For adults, 200-400 mg of ibuprofen every 4 to 6 hours, up to 1,200 mg a day without a prescription.",
  ],
];
const DEFAULT_REPLY = "I can only help with medication questions.";

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((part) => (typeof part === "object" && part && "text" in part ? String(part.text) : ""))
      .join("");
  return "";
}

export function reply(request: ChatRequest) {
  const question = text(request.messages?.filter((m) => m.role === "user").at(-1)?.content);
  const answer = REPLIES.find(([pattern]) => pattern.test(question))?.[1] ?? DEFAULT_REPLY;
  const promptTokens = Math.ceil(JSON.stringify(request.messages ?? []).length / 4);
  const completionTokens = Math.ceil(answer.length / 4);
  return {
    id: `chatcmpl-${Date.now()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: `${request.model ?? "gpt-4o-mini"}-2024-07-18`,
    choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

export interface StandIn {
  /** The base URL to give an OpenAI client: `http://127.0.0.1:<port>/v1`. */
  url: string;
  close(): Promise<void>;
}

export async function startModelStandIn(port = 0): Promise<StandIn> {
  const server: Server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    if (request.method !== "POST" || !request.url?.endsWith("/chat/completions")) {
      response.writeHead(404, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ error: { message: `no route for ${request.method} ${request.url}` } }));
      return;
    }
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify(reply(JSON.parse(body) as ChatRequest)));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The model endpoint from MODEL_BASE_URL, or a stand-in started for the example's lifetime. */
export async function modelEndpoint(): Promise<StandIn> {
  const url = process.env.MODEL_BASE_URL;
  return url ? { url, close: async () => undefined } : startModelStandIn();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const standIn = await startModelStandIn(Number(process.env.PORT ?? 8900));
  console.log(`Model stand-in on ${standIn.url} (Ctrl-C to stop)`);
}
