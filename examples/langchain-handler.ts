// A LangChain.js callback handler that turns each top-level run (a chain, an agent, or a bare model
// call) into one Aegis trace: the run's input and output, the model and token usage of its LLM
// calls, and its tool calls. It implements LangChain's callback methods structurally, so it has no
// dependency on LangChain itself.
//
//   npm start                                   # Aegis on :8787; note the API key it prints
//   AEGIS_API_KEY=aeg_live_... npx tsx examples/langchain-handler.ts "How much acetaminophen can I take?"
import { fileURLToPath } from "node:url";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";
// In your app: import { Aegis, type TraceInput } from "@aegis-eval/sdk";
import { Aegis, type TraceInput } from "../sdk/src/index";
import { type ExampleConfig, type ExampleResult, runFromCommandLine } from "./command-line";

type ToolCall = NonNullable<TraceInput["tool_calls"]>[number];

/** What the handler reads of LangChain's messages and results (their public fields). */
interface MessageLike {
  content: unknown;
  getType?: () => string;
  response_metadata?: Record<string, unknown>;
  usage_metadata?: { input_tokens?: number; output_tokens?: number };
}
interface LlmResultLike {
  generations: { text: string; message?: MessageLike }[][];
  llmOutput?: Record<string, unknown>;
}

interface Run {
  parentRunId: string | undefined;
  name?: string;
  input?: string;
  output?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  toolCalls: ToolCall[];
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((part) => (typeof part === "string" ? part : contentText(part?.text))).join("");
  return "";
}

/** A chain's inputs or outputs as text: a string, a message, one well-known key, or JSON. */
function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value !== "object" || value === null) return JSON.stringify(value ?? null);
  if ("content" in value) return contentText(value.content);
  const record = value as Record<string, unknown>;
  for (const key of ["input", "question", "query", "output", "text", "answer"]) {
    if (typeof record[key] === "string") return record[key];
  }
  return JSON.stringify(value);
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export class AegisCallbackHandler {
  readonly name = "AegisCallbackHandler";
  /** LangChain waits for these callbacks, so a run's trace is queued by the time the run returns. */
  readonly awaitHandlers = true;
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly aegis: Pick<Aegis, "log">,
    /** Fields every trace gets: domain, application_id, tags... */
    private readonly defaults: Omit<TraceInput, "input" | "output"> = {},
  ) {}

  /** The client ids of the traces logged so far, newest last. */
  readonly logged: string[] = [];

  private root(runId: string): Run | undefined {
    let run = this.runs.get(runId);
    for (let depth = 0; run?.parentRunId !== undefined && depth < 100; depth++) {
      const parent = this.runs.get(run.parentRunId);
      if (!parent) break;
      run = parent;
    }
    return run;
  }

  private start(runId: string, parentRunId: string | undefined, fields: Partial<Run> = {}): void {
    this.runs.set(runId, { parentRunId, toolCalls: [], ...fields });
  }

  /** Logs the trace of a finished top-level run and forgets its runs. */
  private finish(runId: string, output: string | undefined): void {
    const run = this.runs.get(runId);
    if (!run || run.parentRunId !== undefined) return;
    const done = [...this.runs.keys()].filter((id) => this.root(id) === run);
    for (const id of done) this.runs.delete(id);
    const text = output?.trim() ? output : run.output;
    if (!run.input?.trim() || !text?.trim()) return;
    this.logged.push(
      this.aegis.log({
        ...this.defaults,
        model: run.model ?? this.defaults.model,
        input: run.input,
        output: text,
        tool_calls: run.toolCalls.length > 0 ? run.toolCalls : undefined,
        usage:
          run.inputTokens === undefined && run.outputTokens === undefined
            ? undefined
            : { input_tokens: run.inputTokens, output_tokens: run.outputTokens },
        metadata: { ...this.defaults.metadata, langchain_run: run.name },
      }),
    );
  }

  // LangChain calls handleChainStart(chain, inputs, runId, parentRunId, tags, metadata, runType, runName).
  handleChainStart(
    _chain: unknown,
    inputs: Record<string, unknown>,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    _runType?: string,
    runName?: string,
  ): void {
    this.start(runId, parentRunId, { input: valueText(inputs), name: runName });
  }

  handleChatModelStart(_llm: unknown, messages: MessageLike[][], runId: string, parentRunId?: string): void {
    const human = messages[0]?.filter((m) => m.getType?.() === "human").at(-1);
    this.start(runId, parentRunId, { input: contentText(human?.content) });
  }

  handleLLMStart(_llm: unknown, prompts: string[], runId: string, parentRunId?: string): void {
    this.start(runId, parentRunId, { input: prompts.join("\n") });
  }

  handleLLMEnd(output: LlmResultLike, runId: string): void {
    const root = this.root(runId);
    const generation = output.generations[0]?.[0];
    if (!root || !generation) return;
    const usage = generation.message?.usage_metadata;
    const tokenUsage = output.llmOutput?.tokenUsage as
      | { promptTokens?: number; completionTokens?: number }
      | undefined;
    const model = generation.message?.response_metadata?.model_name ?? output.llmOutput?.model_name;
    if (typeof model === "string") root.model = model;
    root.inputTokens = (root.inputTokens ?? 0) + (usage?.input_tokens ?? tokenUsage?.promptTokens ?? 0);
    root.outputTokens =
      (root.outputTokens ?? 0) + (usage?.output_tokens ?? tokenUsage?.completionTokens ?? 0);
    root.output = generation.text;
    this.finish(runId, generation.text);
  }

  handleToolStart(
    tool: { name?: string },
    input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    runName?: string,
  ): void {
    this.start(runId, parentRunId, { name: runName ?? tool.name ?? "tool", input });
  }

  handleToolEnd(output: unknown, runId: string): void {
    const run = this.runs.get(runId);
    const root = this.root(runId);
    if (!run || !root || root === run) return;
    root.toolCalls.push({
      name: run.name ?? "tool",
      arguments: parseJson(run.input ?? ""),
      result: typeof output === "string" ? parseJson(output) : parseJson(valueText(output)),
    });
  }

  handleChainEnd(outputs: unknown, runId: string): void {
    this.finish(runId, valueText(outputs));
  }
}

/** A small RAG-style chain: a tool lookup, a prompt, an OpenAI-compatible model, a string parser. */
export async function run(config: ExampleConfig): Promise<ExampleResult> {
  const aegis = new Aegis({ apiKey: config.apiKey, baseUrl: config.aegisUrl });
  const handler = new AegisCallbackHandler(aegis, {
    domain: "healthcare",
    application_id: "langchain-pharmacy",
  });
  const lookupDose = tool(async ({ drug }) => JSON.stringify({ drug, max_daily_mg: 4000 }), {
    name: "lookup_dose",
    description: "The maximum daily dose of a drug",
    schema: z.object({ drug: z.string() }),
  });
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", "You are a careful pharmacy assistant. Reference: {reference}"],
    ["human", "{question}"],
  ]);
  const model = new ChatOpenAI({
    model: "gpt-4o-mini",
    apiKey: process.env.MODEL_API_KEY ?? "stand-in",
    configuration: { baseURL: config.modelUrl },
  });
  const chain = RunnableSequence.from([
    // The config passed on makes the tool call a child run of this chain.
    RunnableLambda.from(async (input: { question: string }, runConfig) => ({
      question: input.question,
      reference: await lookupDose.invoke({ drug: "acetaminophen" }, runConfig),
    })),
    prompt,
    model,
    new StringOutputParser(),
  ]);
  const answer = await chain.invoke(
    { question: config.question },
    { callbacks: [handler], runName: "pharmacy" },
  );
  await aegis.shutdown();
  const traceId = handler.logged.at(-1) ?? "";
  return { answer, traceId, evaluation: await aegis.evaluations.get(traceId, { wait: 30 }) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runFromCommandLine(run);
