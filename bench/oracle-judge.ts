/**
 * An oracle LLM judge for bench/quality.ts: a local HTTP server on 127.0.0.1 speaking OpenAI's
 * chat-completions wire format, as the real judge client (src/judge/providers.ts) calls it. It knows
 * the label of every case and answers each judgement with it: UNSAFE with low scores for a violation,
 * SAFE with high scores for a clean case, both with high confidence and no request for expert review.
 *
 * A request is matched to its case by the trace's input and output, read back from the JSON document
 * the prompt carries between <trace> and </trace> (src/eval/judge/prompt.ts), so the server needs
 * nothing but what a real provider would receive. It counts the requests it received per case.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { JUDGE_PROMPT_LIMITS, truncateMiddle } from "../src/eval/judge/prompt";

export type OracleLabel = "violation" | "clean";

export interface OracleCase {
  id: string;
  label: OracleLabel;
  /** The trace's input and output as the pipeline hands them to the judge (after ingestion). */
  input: string;
  output: string;
  /** Why the label is what it is; sent back as the critical issue of an UNSAFE rating. */
  reason: string;
}

export interface OracleJudge {
  /** The base URL to configure, OPENAI_BASE_URL style: http://127.0.0.1:<port>/v1 */
  baseUrl: string;
  apiKey: string;
  /** Requests received per case id, retries included. */
  requests: ReadonlyMap<string, number>;
  /** Requests that could not be matched to a case, or were malformed; each answered with an error. */
  rejected: readonly string[];
  close(): Promise<void>;
}

/** Scores out of 10 for every rubric criterion. */
const UNSAFE_SCORE = 1;
const SAFE_SCORE = 9;
const CONFIDENCE = 0.95;

interface ChatRequest {
  model?: unknown;
  messages?: unknown;
}

interface ChatMessage {
  role: string;
  content: string;
}

/** The key both sides compute: the trace's input and output as the judge prompt carries them. */
export function promptFingerprint(input: string, output: string): string {
  return `${truncateMiddle(input, JUDGE_PROMPT_LIMITS.inputChars)}\u0000${truncateMiddle(output, JUDGE_PROMPT_LIMITS.outputChars)}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function isChatMessage(value: unknown): value is ChatMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ChatMessage).role === "string" &&
    typeof (value as ChatMessage).content === "string"
  );
}

/** The rubric ids the judge is asked to score, read from the reply shape in the system prompt. */
function criterionIds(system: string): string[] {
  return [...system.matchAll(/^ {4}"([a-z][a-z0-9_]{0,63})": \{ "score"/gm)].map((m) => m[1] ?? "");
}

/** The trace document of the prompt; its `<` are escaped as \u003c, so the first </trace> ends it. */
function tracedInputOutput(user: string): { input: string; output: string } | string {
  const open = "\n<trace>\n";
  const start = user.indexOf(open);
  if (start < 0) return "the user prompt has no <trace> block";
  const end = user.indexOf("\n</trace>", start + open.length);
  if (end < 0) return "the <trace> block is never closed";
  let document: unknown;
  try {
    document = JSON.parse(user.slice(start + open.length, end));
  } catch (error) {
    return `the trace document is not JSON: ${(error as Error).message}`;
  }
  const { input, output } = (document ?? {}) as { input?: unknown; output?: unknown };
  if (typeof input !== "string" || typeof output !== "string")
    return "the trace document has no input/output";
  return { input, output };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { error: { message, type: "invalid_request_error", param: null, code: null } });
}

const estimatedTokens = (text: string) => Math.ceil(text.length / 4);

export async function startOracleJudge(cases: readonly OracleCase[], model: string): Promise<OracleJudge> {
  const byFingerprint = new Map<string, OracleCase>();
  for (const c of cases) {
    const key = promptFingerprint(c.input, c.output);
    const other = byFingerprint.get(key);
    if (other) throw new Error(`cases ${other.id} and ${c.id} have the same input and output`);
    byFingerprint.set(key, c);
  }
  const requests = new Map<string, number>();
  const rejected: string[] = [];
  const apiKey = "sk-aegis-quality-bench";
  let completions = 0;

  const reject = (response: ServerResponse, status: number, message: string) => {
    rejected.push(message);
    sendError(response, status, `oracle judge: ${message}`);
  };

  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      if (request.method !== "POST" || request.url !== "/v1/chat/completions")
        return reject(response, 404, `unexpected ${request.method} ${request.url}`);
      if (request.headers.authorization !== `Bearer ${apiKey}`)
        return reject(response, 401, "missing or wrong API key");
      let chat: ChatRequest;
      try {
        chat = JSON.parse(body) as ChatRequest;
      } catch {
        return reject(response, 400, "the request body is not JSON");
      }
      if (chat.model !== model) return reject(response, 400, `unexpected model ${String(chat.model)}`);
      const messages = Array.isArray(chat.messages) ? chat.messages : [];
      if (messages.length === 0 || !messages.every(isChatMessage))
        return reject(response, 400, "messages must be a non-empty array of {role, content}");
      const system = messages.find((m) => m.role === "system")?.content ?? "";
      // A retry repeats the first user turn and adds the rejected reply and a correction after it.
      const user = messages.find((m) => m.role === "user")?.content ?? "";
      const traced = tracedInputOutput(user);
      if (typeof traced === "string") return reject(response, 400, traced);
      const judged = byFingerprint.get(promptFingerprint(traced.input, traced.output));
      if (!judged)
        return reject(response, 400, `no case has the input ${JSON.stringify(traced.input.slice(0, 80))}`);
      requests.set(judged.id, (requests.get(judged.id) ?? 0) + 1);

      const unsafe = judged.label === "violation";
      const criteria = Object.fromEntries(
        criterionIds(system).map((id) => [
          id,
          {
            score: unsafe ? UNSAFE_SCORE : SAFE_SCORE,
            reasoning: unsafe ? `Fails ${id}: ${judged.reason}`.slice(0, 4_000) : `Meets ${id}.`,
          },
        ]),
      );
      const content = JSON.stringify({
        rating: unsafe ? "UNSAFE" : "SAFE",
        criteria,
        critical_issues: unsafe ? [judged.reason.slice(0, 2_000)] : [],
        recommendations: [],
        confidence: CONFIDENCE,
        requires_expert_review: false,
      });
      const promptTokens = estimatedTokens(messages.map((m) => m.content).join(""));
      const completionTokens = estimatedTokens(content);
      completions += 1;
      sendJson(response, 200, {
        id: `chatcmpl-oracle-${completions}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content, refusal: null },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      });
    } catch (error) {
      reject(response, 500, `the oracle failed: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
