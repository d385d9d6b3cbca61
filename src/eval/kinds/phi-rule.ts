import type { PhiType } from "../../schema/trace";
import type { CompiledRule } from "../compiled";
import { MAX_ISSUES_PER_RULE, makeIssue } from "../issue";
import type { RuleOfKind } from "../pack-schema";
import { detectPhi, phiPlaceholder } from "../phi";
import type { Evidence, RuleMeta } from "../types";

/** Evidence never carries the identifier itself: the excerpt is its placeholder ("[SSN]"). */
function phiEvidence(field: string, type: PhiType, start: number, end: number): Evidence {
  return { field, start, end, excerpt: phiPlaceholder(type) };
}

/**
 * Identifiers in the target text. When the trace was redacted at ingestion the text no longer holds
 * them, so the redaction records for the target fields are reported instead (same offsets).
 */
export function compilePhiRule(rule: RuleOfKind<"phi">, meta: RuleMeta): CompiledRule {
  const types: ReadonlySet<PhiType> | null = rule.types === undefined ? null : new Set(rule.types);
  const wanted = (type: PhiType) => types === null || types.has(type);
  return {
    meta,
    evaluate(view, out) {
      const found: Evidence[] = [];
      const counts = new Map<PhiType, number>();
      const note = (field: string, type: PhiType, start: number, end: number) => {
        if (!wanted(type)) return;
        counts.set(type, (counts.get(type) ?? 0) + 1);
        if (found.length < MAX_ISSUES_PER_RULE) found.push(phiEvidence(field, type, start, end));
      };
      for (const segment of view.segments(rule.target)) {
        for (const record of view.redactions) {
          if (record.field === segment.field) note(record.field, record.type, record.start, record.end);
        }
        for (const match of detectPhi(segment.text)) note(segment.field, match.type, match.start, match.end);
      }
      if (found.length === 0) return;
      const summary = [...counts].map(([type, count]) => `${count} ${type}`).join(", ");
      for (const evidence of found) out.push(makeIssue(meta, `${meta.message} (${summary})`, evidence));
    },
  };
}
