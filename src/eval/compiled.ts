import type { DomainPack } from "./pack-schema";
import type { TraceView } from "./trace-view";
import type { EvalIssue, RuleMeta } from "./types";

export interface CompiledRule {
  meta: RuleMeta;
  /** Appends this rule's issues for the trace to `out`; never throws on trace content. */
  evaluate(view: TraceView, out: EvalIssue[]): void;
}

/** A validated pack with its regexes compiled and tables normalised, ready to evaluate many traces. */
export interface CompiledPack {
  name: string;
  version: string;
  /** The validated definition, defaults filled in, as the API shows it. */
  definition: DomainPack;
  rules: readonly CompiledRule[];
  /** FNV-1a of the canonical definition: changes whenever the pack's behaviour can change. */
  contentHash: string;
}
