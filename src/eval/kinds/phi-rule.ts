import type { PhiType } from "../../schema/trace";
import type { CompiledRule } from "../compiled";
import { MAX_ISSUES_PER_RULE, makeIssue } from "../issue";
import type { RuleOfKind } from "../pack-schema";
import { detectPhi, phiPlaceholder } from "../phi";
import type { Evidence, RuleMeta } from "../types";

/** Identifiers of the wanted types: counted by type, evidence kept for the first few. */
class PhiFindings {
  readonly evidence: Evidence[] = [];
  readonly counts = new Map<PhiType, number>();

  constructor(private readonly types: ReadonlySet<PhiType> | null) {}

  /** Evidence never carries the identifier itself: the excerpt is its placeholder ("[SSN]"). */
  note(field: string, type: PhiType, start: number, end: number): void {
    if (this.types !== null && !this.types.has(type)) return;
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    if (this.evidence.length < MAX_ISSUES_PER_RULE)
      this.evidence.push({ field, start, end, excerpt: phiPlaceholder(type) });
  }
}

/** Addresses of a local network or the machine itself: they point at a device, never at a person. */
const PRIVATE_IP = /^(?:10\.|127\.|192\.168\.|169\.254\.|172\.(?:1[6-9]|2\d|3[01])\.)/;

/**
 * Whether an identifier found in the answer discloses nothing: the requester wrote it in the request
 * itself (an adviser's own client's name, the phone number for the letter they asked for), or it is
 * a private network address.
 */
function disclosesNothing(type: PhiType, value: string, request: string): boolean {
  if (type === "ip") return PRIVATE_IP.test(value);
  return request.includes(value);
}

/**
 * Identifiers in the target text. When the trace was redacted at ingestion the text no longer holds
 * them, so the redaction records for the target fields are reported instead (same offsets); a trace
 * made from OpenTelemetry content stored redacted carries records for the placeholders its sources
 * left (sourceRedactionRecords). A placeholder with no record is text the model wrote.
 */
export function compilePhiRule(rule: RuleOfKind<"phi">, meta: RuleMeta): CompiledRule {
  const types: ReadonlySet<PhiType> | null = rule.types === undefined ? null : new Set(rule.types);
  return {
    meta,
    evaluate(view, out) {
      const found = new PhiFindings(types);
      for (const segment of view.segments(rule.target)) {
        for (const record of view.redactions)
          if (record.field === segment.field) found.note(record.field, record.type, record.start, record.end);
        for (const match of detectPhi(segment.text, segment.beginnings)) {
          if (
            segment.field !== "input" &&
            disclosesNothing(match.type, segment.text.slice(match.start, match.end), view.trace.input)
          )
            continue;
          found.note(segment.field, match.type, match.start, match.end);
        }
      }
      const { evidence, counts } = found;
      if (evidence.length === 0) {
        view.check(meta.id, "safe", "no personal identifier in the answer");
        return;
      }
      const summary = [...counts].map(([type, count]) => `${count} ${type}`).join(", ");
      for (const item of evidence) out.push(makeIssue(meta, `${meta.message} (${summary})`, item));
    },
  };
}
