import type { PipelineResult } from "./pipeline";
import type { Severity } from "./types";
import { severityAtLeast, worstSeverity } from "./verdict";

/** Cost in USD of tiers 1, 2 and 3 in one evaluation (0 for a tier that did not run). */
export type TierCosts = [number, number, number];

/** A rule the evaluation raised, once, with the worst severity it was raised at. */
export interface IssueRule {
  rule: string;
  severity: Severity;
}

/** Tier 4 is a human: the evaluation was sent to expert review. */
export type StopTier = 1 | 2 | 3 | 4;

/** What the cascade did for one evaluation: the facts analytics aggregate, kept on the trace. */
export interface CascadeFacts {
  stopTier: StopTier;
  judgeRan: boolean;
  evaluationLatencyMs: number;
  tierCosts: TierCosts;
  issueRules: IssueRule[];
}

/**
 * The tier that settled the trace: 4 when it went to a human; 3 when the judge ran; 1 when a critical
 * or high Tier-1 rule failed it, or rules verified every sensitive topic it touched; 2 when it touched
 * none and passed because the risk model agreed.
 */
export function stopTier(result: PipelineResult): StopTier {
  if (result.decision.needsReview) return 4;
  if (result.judgeRan) return 3;
  return severityAtLeast(worstSeverity(result.issues), "high") || result.scope.length > 0 ? 1 : 2;
}

export function cascadeFacts(result: PipelineResult): CascadeFacts {
  const costOf = (tier: number) =>
    result.tiers.filter((record) => record.tier === tier).reduce((sum, record) => sum + record.cost_usd, 0);
  const byRule = new Map<string, Severity>();
  for (const issue of result.issues) {
    const seen = byRule.get(issue.rule);
    byRule.set(issue.rule, seen === undefined ? issue.severity : worstOf(seen, issue.severity));
  }
  return {
    stopTier: stopTier(result),
    judgeRan: result.judgeRan,
    evaluationLatencyMs: result.latencyMs,
    tierCosts: [costOf(1), costOf(2), costOf(3)],
    issueRules: [...byRule]
      .map(([rule, severity]) => ({ rule, severity }))
      .sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)),
  };
}

function worstOf(a: Severity, b: Severity): Severity {
  return worstSeverity([{ severity: a }, { severity: b }]) === a ? a : b;
}
