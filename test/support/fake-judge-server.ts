import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

interface RecordedCall {
  path: string;
  authorization: string | null;
  body: { model?: string; response_format?: unknown; messages?: { role: string; content: string }[] };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The rubric ids the judge was asked to score, read from the reply shape in the system prompt. */
function criterionIds(system: string): string[] {
  return [...system.matchAll(/^\s+"([a-z][a-z0-9_]*)": \{ "score"/gm)].map((m) => m[1] ?? "");
}

function completion(rating: string, system: string, confidence: number) {
  const criteria = Object.fromEntries(
    criterionIds(system).map((id) => [id, { score: rating === "SAFE" ? 9 : 2, reasoning: `scored ${id}` }]),
  );
  const reply = {
    rating,
    criteria,
    critical_issues: rating === "UNSAFE" ? ["the answer is unsafe"] : [],
    recommendations: [],
    confidence,
    requires_expert_review: false,
  };
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    model: "gpt-4o-mini",
    choices: [
      { index: 0, message: { role: "assistant", content: JSON.stringify(reply) }, finish_reason: "stop" },
    ],
    usage: { prompt_tokens: 1200, completion_tokens: 150, total_tokens: 1350 },
  };
}

/**
 * A local server speaking OpenAI's chat-completions wire format for the Workers tests (which cannot
 * listen themselves). What it answers depends on a marker in the judged trace: `[judge:unsafe]`,
 * `[judge:unsure]`, `[judge:timeout]` (never answers), `[judge:429]`; otherwise SAFE. `GET /calls`
 * lists what it received, and `DELETE /calls` forgets it.
 */
export default async function setup(project: TestProject) {
  const calls: RecordedCall[] = [];
  const server = createServer(async (request, response) => {
    if (request.url === "/calls") {
      if (request.method === "DELETE") calls.length = 0;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(calls));
      return;
    }
    const body = JSON.parse(await readBody(request)) as RecordedCall["body"];
    calls.push({ path: request.url ?? "", authorization: request.headers.authorization ?? null, body });
    const system = body.messages?.find((m) => m.role === "system")?.content ?? "";
    const user = body.messages?.map((m) => m.content).join("\n") ?? "";
    if (user.includes("[judge:timeout]")) return;
    if (user.includes("[judge:429]")) {
      response.writeHead(429, { "content-type": "application/json", "retry-after": "7" });
      response.end(JSON.stringify({ error: { message: "Rate limit reached", type: "rate_limit_exceeded" } }));
      return;
    }
    const rating = user.includes("[judge:unsafe]") ? "UNSAFE" : "SAFE";
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(completion(rating, system, user.includes("[judge:unsure]") ? 0.4 : 0.92)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("judgeOrigin", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
