import type { RedactionRecord } from "../schema/trace";

export type Severity = "low" | "medium" | "high" | "critical";

/** Where in the trace an issue was found: a field path and character offsets inside that field's text. */
export interface Evidence {
  field: string;
  start: number;
  end: number;
  excerpt: string;
}

export interface EvalIssue {
  tier: 1;
  module: string;
  rule: string;
  severity: Severity;
  message: string;
  evidence: Evidence | null;
}

export interface ModuleTiming {
  module: string;
  latency_ms: number;
  issues: number;
}

/**
 * What a rule found when it checked the trace without raising an issue: `safe`, the content it
 * covers is within its limits (a dose it read completely, a referral that is there); `unsure`, it
 * found content it covers but could not check it (a dose it could not read whole, telemetry under
 * names it does not know). Positive reasons for the scope (src/eval/scope.ts).
 */
export interface RuleCheck {
  rule: string;
  outcome: "safe" | "unsure";
  reason: string;
}

/** A sensitive topic of the domain the trace touches, and whether the cheap tiers settled it. */
export interface ScopeFinding {
  topic: string;
  description: string;
  evidence: Evidence | null;
  verified: boolean;
  /** Why it counts as settled (the verifying check), or why not. */
  reason: string;
}

export interface Tier1Result {
  domain: string;
  issues: EvalIssue[];
  modules: ModuleTiming[];
  checks: RuleCheck[];
  scope: ScopeFinding[];
}

/** What every compiled rule knows about itself; evaluators stamp it on the issues they emit. */
export interface RuleMeta {
  id: string;
  /** The rule id's prefix ("healthcare", "phi", "rl"): issues and timings are grouped by it. */
  module: string;
  severity: Severity;
  description: string;
  /** Pack-supplied message; falls back to the description. */
  message: string;
}

export type RedactionList = readonly RedactionRecord[];
