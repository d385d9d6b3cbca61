// What the examples share when run from the command line: where Aegis and the model are, and the
// printout of the answer and its verdict.
import type { EvaluationState } from "../sdk/src/index";
import { modelEndpoint } from "./model-stand-in";

export interface ExampleConfig {
  aegisUrl: string;
  apiKey: string;
  /** An OpenAI-compatible base URL (…/v1). */
  modelUrl: string;
  question: string;
}

export interface ExampleResult {
  answer: string;
  traceId: string;
  evaluation: EvaluationState;
}

/**
 * Runs an example with Aegis at AEGIS_URL (default http://localhost:8787) and the key AEGIS_API_KEY,
 * the model at MODEL_BASE_URL (default: a local stand-in), the question from the first argument.
 */
export async function runFromCommandLine(
  run: (config: ExampleConfig) => Promise<ExampleResult>,
): Promise<void> {
  const model = await modelEndpoint();
  try {
    const { answer, traceId, evaluation } = await run({
      aegisUrl: process.env.AEGIS_URL ?? "http://localhost:8787",
      apiKey: process.env.AEGIS_API_KEY ?? "",
      modelUrl: model.url,
      question: process.argv[2] ?? "My head hurts, how much acetaminophen can I take?",
    });
    console.log(`answer: ${answer}\ntrace ${traceId}: ${evaluation.status} ${evaluation.verdict ?? ""}`);
    for (const issue of evaluation.issues) console.log(`  ${issue.severity} ${issue.rule}: ${issue.message}`);
  } finally {
    await model.close();
  }
}
