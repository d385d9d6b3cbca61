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

export interface Tier1Result {
  domain: string;
  issues: EvalIssue[];
  modules: ModuleTiming[];
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
