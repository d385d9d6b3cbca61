import { z } from "zod";
import type { JudgeConversation } from "../eval/judge/prompt";
import { describeIssues } from "../eval/judge/reply";
import type { JudgeSettings } from "../schema/organization";
import {
  type CallContext,
  type CallFailure,
  type CallResult,
  errorMessage,
  isTransientStatus,
  type ProviderCall,
  thrownFailure,
} from "./call";
import { endpointUrl, type FetchFn, postJson } from "./http";

/** The part of the Workers AI binding the judge uses. */
export interface WorkersAiBinding {
  run(model: string, input: unknown): Promise<unknown>;
}

/** A provider's deployment-wide base URL and key (secrets and vars, never organization settings). */
export interface ProviderEndpointConfig {
  baseUrl?: string;
  apiKey?: string;
}

export interface ProviderDeps {
  fetch: FetchFn;
  openai: ProviderEndpointConfig;
  anthropic: ProviderEndpointConfig;
  ai?: WorkersAiBinding;
}

export const ANTHROPIC_VERSION = "2023-06-01";
/** Room for up to 50 criteria with a sentence or two each. */
const MAX_OUTPUT_TOKENS = 4_096;

interface Endpoint {
  url: string;
  apiKey: string | undefined;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * An organization's `base_url` replaces the deployment's, but the deployment's key goes only to the
 * deployment's own origin: otherwise any organization admin could collect it with a URL of theirs.
 * A self-hosted OpenAI-compatible server (vLLM, Ollama) is then called without a key.
 */
function resolveEndpoint(
  name: string,
  config: ProviderEndpointConfig,
  organizationBaseUrl: string | undefined,
  path: string,
): Endpoint | string {
  const baseUrl = organizationBaseUrl ?? config.baseUrl;
  if (baseUrl === undefined) return `no base URL is configured for the ${name} provider`;
  const trusted =
    organizationBaseUrl === undefined ||
    (config.baseUrl !== undefined && sameOrigin(organizationBaseUrl, config.baseUrl));
  try {
    return { url: endpointUrl(baseUrl, path), apiKey: trusted ? config.apiKey : undefined };
  } catch {
    return `the ${name} base URL is not a valid URL`;
  }
}

/** Chat-completions usage, in the judge's terms. */
const chatUsageSchema = z
  .object({ prompt_tokens: z.number(), completion_tokens: z.number() })
  .transform((u) => ({ input_tokens: u.prompt_tokens, output_tokens: u.completion_tokens }));

const openAiReplySchema = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }) }))
    .min(1),
  usage: chatUsageSchema.nullish(),
});

const anthropicReplySchema = z.object({
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }),
});

const workersAiReplySchema = z.object({
  /** A string, or already an object when JSON mode is on. */
  response: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  /** Some newer models answer in the chat-completions shape instead. */
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })).optional(),
  usage: chatUsageSchema.nullish(),
});

function unexpectedShape(provider: string, error: z.ZodError): CallFailure {
  return { ok: false, transient: false, error: `unexpected ${provider} answer (${describeIssues(error)})` };
}

function chatMessages(conversation: JudgeConversation) {
  return [{ role: "system" as const, content: conversation.system }, ...conversation.messages];
}

function openAiCall(send: FetchFn, endpoint: Endpoint, model: string): ProviderCall {
  const headers: Record<string, string> = endpoint.apiKey
    ? { authorization: `Bearer ${endpoint.apiKey}` }
    : {};
  // No temperature and no output cap: reasoning models (o-series, gpt-5) reject a temperature other
  // than 1 and count their hidden reasoning in max_completion_tokens, which could leave no answer.
  const request = async (conversation: JudgeConversation, jsonMode: boolean, context: CallContext) =>
    postJson(
      send,
      endpoint.url,
      headers,
      {
        model,
        messages: chatMessages(conversation),
        ...(jsonMode && { response_format: { type: "json_object" } }),
      },
      context,
    );
  return async (conversation, context) => {
    let posted = await request(conversation, true, context);
    // Some compatible servers (LM Studio) reject json_object mode; the prompt alone asks for JSON too.
    if (!posted.ok && posted.status === 400 && /response_format/i.test(posted.error)) {
      posted = await request(conversation, false, context);
    }
    if (!posted.ok) return posted;
    const reply = openAiReplySchema.safeParse(posted.body);
    if (!reply.success) return unexpectedShape("OpenAI-compatible", reply.error);
    const message = reply.data.choices[0]?.message;
    return { ok: true, text: message?.content ?? message?.refusal ?? "", usage: reply.data.usage ?? null };
  };
}

function anthropicCall(send: FetchFn, endpoint: Endpoint, model: string): ProviderCall {
  const headers: Record<string, string> = {
    "anthropic-version": ANTHROPIC_VERSION,
    ...(endpoint.apiKey && { "x-api-key": endpoint.apiKey }),
  };
  // No assistant prefill: some models reject it, and the reply parser already skips leading prose.
  return async (conversation, context) => {
    const posted = await postJson(
      send,
      endpoint.url,
      headers,
      {
        model,
        max_tokens: MAX_OUTPUT_TOKENS,
        temperature: 0,
        system: conversation.system,
        messages: conversation.messages,
      },
      context,
    );
    if (!posted.ok) return posted;
    const reply = anthropicReplySchema.safeParse(posted.body);
    if (!reply.success) return unexpectedShape("Anthropic", reply.error);
    const text = reply.data.content
      .map((block) => (block.type === "text" ? (block.text ?? "") : ""))
      .join("");
    return { ok: true, text, usage: reply.data.usage };
  };
}

/** Models documented to support Workers AI JSON mode; others get the instruction in the prompt only. */
const WORKERS_AI_JSON_MODE_MODELS = new Set([
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  "@cf/meta/llama-3-8b-instruct",
  "@cf/meta/llama-3.1-8b-instruct",
  "@hf/nousresearch/hermes-2-pro-mistral-7b",
  "@cf/deepseek-ai/deepseek-r1-distill-qwen-32b",
]);

/** Workers AI error codes (in the binding's error message) and the HTTP status each stands for. */
const WORKERS_AI_ERROR_STATUS: Record<string, number> = {
  "5007": 400,
  "5004": 400,
  "3039": 400,
  "3003": 400,
  "5018": 403,
  "5016": 403,
  "3023": 403,
  "3041": 403,
  "5019": 405,
  "5005": 405,
  "3042": 404,
  "3006": 413,
  "3007": 408,
  "3008": 408,
  "3036": 429,
  "3040": 429,
};

/** An error without a known code is an infrastructure failure: transient, so the message is retried. */
function workersAiFailure(error: unknown): CallFailure {
  const message = errorMessage(error);
  const code = /\b([35]\d{3})\b/.exec(message)?.[1];
  const status = code === undefined ? undefined : WORKERS_AI_ERROR_STATUS[code];
  if (status === undefined) return { ok: false, transient: true, error: `Workers AI: ${message}` };
  return { ok: false, transient: isTransientStatus(status), status, error: `Workers AI: ${message}` };
}

/** The binding takes no AbortSignal, so the timeout races it; a late answer is then ignored. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

function workersAiCall(ai: WorkersAiBinding, model: string): ProviderCall {
  const jsonMode = WORKERS_AI_JSON_MODE_MODELS.has(model);
  return async (conversation, context): Promise<CallResult> => {
    let answer: unknown;
    try {
      answer = await Promise.race([
        ai.run(model, {
          messages: chatMessages(conversation),
          // Workers AI defaults to 256 output tokens, too few for a rubric's reasoning.
          max_tokens: MAX_OUTPUT_TOKENS,
          temperature: 0,
          ...(jsonMode && { response_format: { type: "json_object" } }),
        }),
        untilAborted(context.signal),
      ]);
    } catch (error) {
      return context.signal.aborted ? thrownFailure(error, context) : workersAiFailure(error);
    }
    const reply = workersAiReplySchema.safeParse(answer);
    if (!reply.success) return unexpectedShape("Workers AI", reply.error);
    const { response, choices, usage } = reply.data;
    const text =
      typeof response === "string"
        ? response
        : response
          ? JSON.stringify(response)
          : (choices?.[0]?.message.content ?? "");
    return { ok: true, text, usage: usage ?? null };
  };
}

/** The call for the organization's provider, or why there is none. */
export function providerCall(settings: JudgeSettings, deps: ProviderDeps): ProviderCall | string {
  // Called as a plain function: the Workers runtime rejects a fetch invoked as a method of another object.
  const send = deps.fetch;
  switch (settings.provider) {
    case "openai": {
      const endpoint = resolveEndpoint("openai", deps.openai, settings.base_url, "/chat/completions");
      return typeof endpoint === "string" ? endpoint : openAiCall(send, endpoint, settings.model);
    }
    case "anthropic": {
      const endpoint = resolveEndpoint("anthropic", deps.anthropic, settings.base_url, "/v1/messages");
      return typeof endpoint === "string" ? endpoint : anthropicCall(send, endpoint, settings.model);
    }
    case "workers-ai":
      return deps.ai
        ? workersAiCall(deps.ai, settings.model)
        : "the Workers AI binding (AI) is not configured";
  }
}
