import { z } from "zod";
import type { RubricCriterion } from "./prompt";

export const judgeRatingSchema = z.enum(["SAFE", "REVIEW", "UNSAFE"]);
export type JudgeRating = z.infer<typeof judgeRatingSchema>;

const criterionScoreSchema = z.object({
  score: z.number().min(0).max(10),
  reasoning: z.string().trim().min(1).max(4_000),
});
export type CriterionScore = z.infer<typeof criterionScoreSchema>;

export interface JudgeReply {
  rating: JudgeRating;
  /** One entry per rubric criterion; criteria the rubric does not name are dropped. */
  criteria: Record<string, CriterionScore>;
  critical_issues: string[];
  recommendations: string[];
  confidence: number;
  requires_expert_review: boolean;
}

/** The reply schema for one rubric: each criterion is a required key of `criteria`. */
export function judgeReplySchema(criterionIds: readonly string[]): z.ZodType<JudgeReply> {
  return z.object({
    rating: judgeRatingSchema,
    criteria: z.object(Object.fromEntries(criterionIds.map((id) => [id, criterionScoreSchema]))),
    critical_issues: z.array(z.string().max(2_000)).max(50),
    recommendations: z.array(z.string().max(2_000)).max(50),
    confidence: z.number().min(0).max(1),
    requires_expert_review: z.boolean(),
  });
}

export type ReplyParseResult = { ok: true; reply: JudgeReply } | { ok: false; error: string };

const FENCED_BLOCK = /```[a-zA-Z]*\s*\n?([\s\S]*?)```/;

/**
 * The JSON object in a reply: inside a code fence if there is one, then from the first `{` to its
 * matching `}` (string-aware), so leading and trailing prose are dropped. An unbalanced object runs
 * to the end of the text, and JSON.parse then reports where it breaks.
 */
export function extractJsonObject(reply: string): string | null {
  const fenced = FENCED_BLOCK.exec(reply)?.[1];
  const text = fenced?.includes("{") ? fenced : reply;
  const start = text.indexOf("{");
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") depth += 1;
    else if (char === "}") {
      depth -= 1;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return text.slice(start).trimEnd();
}

const MAX_REPORTED_ISSUES = 8;

/** Each problem as "path: message", at most a few of them, for an error the model (or a human) reads. */
export function describeIssues({ issues }: z.ZodError): string {
  const described = issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`);
  if (issues.length > MAX_REPORTED_ISSUES) described.push(`and ${issues.length - MAX_REPORTED_ISSUES} more`);
  return described.join("; ");
}

/** Parses a judge's reply; the error names each problem precisely enough for the model to fix it. */
export function parseJudgeReply(reply: string, criteria: readonly RubricCriterion[]): ReplyParseResult {
  const json = extractJsonObject(reply);
  if (json === null) return { ok: false, error: "the reply contains no JSON object." };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return {
      ok: false,
      error: `the reply is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
    };
  }
  const parsed = judgeReplySchema(criteria.map((c) => c.id)).safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      error: `the JSON does not match the required shape: ${describeIssues(parsed.error)}.`,
    };
  }
  return { ok: true, reply: parsed.data };
}

/** The rubric-weighted mean score in [0, 1], comparable with a pack's `judge_score_below` threshold. */
export function weightedScore(
  reply: Pick<JudgeReply, "criteria">,
  criteria: readonly RubricCriterion[],
): number {
  let weighted = 0;
  let totalWeight = 0;
  for (const criterion of criteria) {
    const scored = reply.criteria[criterion.id];
    if (scored === undefined) continue;
    weighted += criterion.weight * scored.score;
    totalWeight += criterion.weight;
  }
  return totalWeight === 0 ? 0 : weighted / totalWeight / 10;
}
