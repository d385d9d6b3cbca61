import type { ParsedPath } from "./json-path";
import type { CompiledCondition } from "./kinds/text-rules";
import type { DomainPack } from "./pack-schema";
import type { TraceView } from "./trace-view";
import type { EvalIssue, RuleMeta } from "./types";

export interface CompiledRule {
  meta: RuleMeta;
  /**
   * Appends this rule's issues for the trace to `out`, and reports on `view.check` what it verified
   * safe or could not check; never throws on trace content.
   */
  evaluate(view: TraceView, out: EvalIssue[]): void;
  /** A verifier: it raises no issue, so it runs only when a topic the trace touches may use its check. */
  verifierOnly?: boolean;
}

/** A scope topic of a pack, compiled (see `scopeTopicSchema`). */
export interface CompiledTopic {
  id: string;
  description: string;
  detect: CompiledCondition | undefined;
  present: readonly ParsedPath[];
  verifiedBy: readonly string[];
  safeWhen: CompiledCondition | undefined;
}

/** A validated pack with its regexes compiled and tables normalised, ready to evaluate many traces. */
export interface CompiledPack {
  name: string;
  version: string;
  /** The validated definition, defaults filled in, as the API shows it. */
  definition: DomainPack;
  rules: readonly CompiledRule[];
  scope: readonly CompiledTopic[];
  /** FNV-1a of the canonical definition: changes whenever the pack's behaviour can change. */
  contentHash: string;
}
