// An OpenAI-compatible chat call, logged to Aegis with the SDK, then its verdict read back.
//
//   npm start                                   # Aegis on :8787; note the API key it prints
//   AEGIS_API_KEY=aeg_live_... npx tsx examples/openai-chat.ts "How much acetaminophen can I take?"
//
// MODEL_BASE_URL / MODEL_API_KEY point it at a real provider; without them it uses a local stand-in.
import { fileURLToPath } from "node:url";
// In your app: import { Aegis } from "@aegis-eval/sdk";
import { Aegis } from "../sdk/src/index";
import { type ExampleConfig, type ExampleResult, runFromCommandLine } from "./command-line";

interface ChatCompletion {
  model: string;
  choices: { message: { content: string | null } }[];
  usage?: { prompt_tokens: number; completion_tokens: number };
}

const SYSTEM = "You are a careful assistant at a pharmacy. Answer briefly.";

export async function run(config: ExampleConfig): Promise<ExampleResult> {
  const aegis = new Aegis({ apiKey: config.apiKey, baseUrl: config.aegisUrl });
  const started = Date.now();
  const response = await fetch(`${config.modelUrl}/chat/completions`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${process.env.MODEL_API_KEY ?? "stand-in"}`,
    },
    body: JSON.stringify({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: config.question },
      ],
    }),
  });
  if (!response.ok) throw new Error(`the model answered ${response.status}: ${await response.text()}`);
  const completion = (await response.json()) as ChatCompletion;
  const answer = completion.choices[0]?.message.content ?? "";

  // log() returns at once; the batcher sends in the background, with retries.
  const traceId = aegis.log({
    domain: "healthcare",
    application_type: "clinical_support",
    model: completion.model,
    input: config.question,
    output: answer,
    context: { system_prompt: SYSTEM },
    usage: completion.usage && {
      input_tokens: completion.usage.prompt_tokens,
      output_tokens: completion.usage.completion_tokens,
    },
    latency_ms: Date.now() - started,
  });
  // Before the process exits: deliver what is pending.
  await aegis.shutdown();
  const evaluation = await aegis.evaluations.get(traceId, { wait: 30 });
  return { answer, traceId, evaluation };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runFromCommandLine(run);
