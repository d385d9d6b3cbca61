import { jsonPrefix } from "./json-prefix";
import type { EvalIssue, Evidence, RuleMeta } from "./types";

/** Excerpts are for humans reading a dashboard, not for reconstructing the trace. */
export const MAX_EXCERPT_CHARS = 160;

/** Bounds the output of one rule on one trace (e.g. a 100,000-step episode out of bounds at every step). */
export const MAX_ISSUES_PER_RULE = 20;

export function makeIssue(meta: RuleMeta, message: string, evidence: Evidence | null): EvalIssue {
  return { tier: 1, module: meta.module, rule: meta.id, severity: meta.severity, message, evidence };
}

export function textEvidence(field: string, text: string, start: number, end: number): Evidence {
  const excerpt = text.slice(start, Math.min(end, start + MAX_EXCERPT_CHARS));
  return { field, start, end, excerpt };
}

/**
 * Evidence for a JSON value (a step's reward, a tool-call argument): offsets span its printed form,
 * of which only the first MAX_EXCERPT_CHARS are printed (an RL episode's steps are not serialised
 * whole to quote their beginning); `end` is where the printed part stops.
 */
export function valueEvidence(field: string, value: unknown): Evidence {
  const printed = typeof value === "string" ? value : jsonPrefix(value, MAX_EXCERPT_CHARS + 1);
  const excerpt = printed.slice(0, MAX_EXCERPT_CHARS);
  return {
    field,
    start: 0,
    end: printed.length > MAX_EXCERPT_CHARS ? excerpt.length : printed.length,
    excerpt,
  };
}
