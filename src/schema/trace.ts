import { z } from "zod";
import { hasControlCharacter } from "../lib/control-characters";
import { jsonValueProblem } from "../lib/json-value";

/** Limits that the ingestion API enforces and documents. */
export const TRACE_LIMITS = {
  textChars: 100_000,
  clientIdChars: 128,
  batchSize: 500,
  singleBodyBytes: 1_000_000,
  batchBodyBytes: 10_000_000,
} as const;

const nonBlankText = z
  .string()
  .max(TRACE_LIMITS.textChars, `must be at most ${TRACE_LIMITS.textChars} characters`)
  .refine((s) => s.trim().length > 0, "must not be blank");

const shortString = z.string().min(1).max(256);

/** Text a client looks things up by (its ids, sessions, models, tags): it could never be named in a URL or a filter with a control character. */
const identifierText = (schema: z.ZodString) =>
  schema.refine((text) => !hasControlCharacter(text), "must not contain control characters");
const jsonObject = z.record(z.string(), z.unknown());

export const retrievedContextSchema = z.strictObject({
  source: z.string().max(2048).optional(),
  content: z.string().max(TRACE_LIMITS.textChars),
  relevance_score: z.number().finite().optional(),
});

export const toolCallSchema = z.strictObject({
  name: shortString,
  arguments: z.unknown().optional(),
  result: z.unknown().optional(),
  /** The tool's declaration (its JSON schema), where the sender has it. */
  definition: z.unknown().optional(),
});

export const rlStepSchema = z.strictObject({
  state: z.unknown().optional(),
  action: z.unknown().optional(),
  reward: z.number().finite(),
  done: z.boolean().optional(),
  info: jsonObject.optional(),
});

export const rlEpisodeSchema = z.strictObject({
  policy: z.strictObject({ name: shortString, version: z.string().max(128).optional() }).optional(),
  steps: z.array(rlStepSchema).max(100_000),
});

export const agentMessageSchema = z.strictObject({
  agent: shortString,
  role: z.string().max(256).optional(),
  content: z.string().max(TRACE_LIMITS.textChars),
  to: z.union([shortString, z.array(shortString)]).optional(),
  timestamp: z.string().max(64).optional(),
});

export const counterfactualSchema = z.strictObject({
  input: z.string().max(TRACE_LIMITS.textChars),
  output: z.string().max(TRACE_LIMITS.textChars),
});

/** Domain context: well-known keys are objects; customers may add free keys. */
export const traceContextSchema = z
  .object({
    patient: jsonObject.optional(),
    market: jsonObject.optional(),
    environment: jsonObject.optional(),
  })
  .catchall(z.unknown());

export const domainNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, "must be lower-case letters, digits, '_' or '-', starting with a letter");

/**
 * A schema that first refuses the document shapes nothing may store (src/lib/json-value.ts): too
 * deep, invalid Unicode, `__proto__` keys. The problem is reported at its path, before the schema
 * runs, because zod itself would drop a `__proto__` key without a word.
 */
export function safeJson<S extends z.ZodType>(schema: S) {
  return z.preprocess((value, ctx) => {
    const problem = jsonValueProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: problem.path, input: value });
    return value;
  }, schema);
}

/** The fields of a trace; unknown top-level fields are rejected, not dropped. */
export const traceFieldsSchema = z.strictObject({
  id: identifierText(z.string().min(1).max(TRACE_LIMITS.clientIdChars)).optional(),
  domain: domainNameSchema.optional(),
  application_type: z.string().max(128).optional(),
  application_id: identifierText(z.string().max(256)).optional(),
  model: identifierText(z.string().max(256)).optional(),
  input: nonBlankText,
  output: nonBlankText,
  session_id: identifierText(z.string().max(256)).optional(),
  user_id: identifierText(z.string().max(256)).optional(),
  tags: z
    .array(identifierText(z.string().min(1).max(128)))
    .max(64)
    .optional(),
  metadata: jsonObject.optional(),
  context: traceContextSchema.optional(),
  retrieved_contexts: z.array(retrievedContextSchema).max(1_000).optional(),
  tool_calls: z.array(toolCallSchema).max(1_000).optional(),
  reasoning_steps: z
    .array(z.union([z.string().max(TRACE_LIMITS.textChars), jsonObject]))
    .max(1_000)
    .optional(),
  rl_episode: rlEpisodeSchema.optional(),
  agents: z.array(agentMessageSchema).max(10_000).optional(),
  counterfactuals: z.array(counterfactualSchema).max(100).optional(),
  usage: z
    .strictObject({
      input_tokens: z.number().int().nonnegative().optional(),
      output_tokens: z.number().int().nonnegative().optional(),
    })
    .optional(),
  latency_ms: z.number().finite().nonnegative().optional(),
  cost_usd: z.number().finite().nonnegative().optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
});

/** One trace as a customer sends it. */
export const traceInputSchema = safeJson(traceFieldsSchema);

/**
 * An OpenTelemetry trace whose GenAI content never arrived: stored with what it has (blank input or
 * output) and a failed status, never evaluated.
 */
export const incompleteTraceSchema = safeJson(
  traceFieldsSchema.extend({
    input: z.string().max(TRACE_LIMITS.textChars),
    output: z.string().max(TRACE_LIMITS.textChars),
  }),
);

export type TraceInput = z.infer<typeof traceInputSchema>;
export type RetrievedContext = z.infer<typeof retrievedContextSchema>;
export type ToolCall = z.infer<typeof toolCallSchema>;
export type RlEpisode = z.infer<typeof rlEpisodeSchema>;
export type AgentMessage = z.infer<typeof agentMessageSchema>;

export const phiTypeSchema = z.enum(["ssn", "phone", "email", "dob", "mrn", "address", "ip", "card", "name"]);
export type PhiType = z.infer<typeof phiTypeSchema>;

/**
 * What redaction removed from a stored trace: never the value itself. A document keeps at most 1,000
 * such records (src/eval/phi.ts); the rest are counted per type in summary records whose `field` is
 * "(omitted)", with `start` and `end` 0 and `omitted` the number of identifiers of that type not listed.
 */
export const redactionRecordSchema = z.strictObject({
  type: phiTypeSchema,
  field: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  omitted: z.number().int().positive().optional(),
});
export type RedactionRecord = z.infer<typeof redactionRecordSchema>;

export const phiRedactionModeSchema = z.enum(["off", "mask", "pseudonymize", "redact"]);
export type PhiRedactionMode = z.infer<typeof phiRedactionModeSchema>;
