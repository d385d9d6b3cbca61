import type { CompiledRule } from "../compiled";
import { makeIssue, textEvidence } from "../issue";
import { parsePath, resolvePath } from "../json-path";
import type { RuleOfKind } from "../pack-schema";
import type { RuleErrors } from "../regex-tools";
import { findAny } from "../text-match";
import type { RuleMeta } from "../types";
import { buildLexicon, findDrugMentions } from "./drugs";
import { compileRegexSet } from "./text-rules";

interface Pair {
  a: ReadonlySet<string>;
  b: ReadonlySet<string>;
  reason: string;
}

/** Strings, or objects with a `name`, as found in `context.patient.medications`. */
function medicationNames(values: readonly unknown[]): string[] {
  const names: string[] = [];
  for (const value of values) {
    if (typeof value === "string") names.push(value);
    else if (Array.isArray(value)) names.push(...medicationNames(value));
    else if (
      typeof value === "object" &&
      value !== null &&
      "name" in value &&
      typeof value.name === "string"
    ) {
      names.push(value.name);
    }
  }
  return names;
}

export function compileInteractionRule(
  rule: RuleOfKind<"interaction">,
  meta: RuleMeta,
  errors: RuleErrors,
): CompiledRule | null {
  const members = (side: string): ReadonlySet<string> => new Set(rule.classes[side] ?? [side]);
  const pairs: Pair[] = rule.pairs.map((p) => ({ a: members(p.a), b: members(p.b), reason: p.reason }));
  const drugs = new Set(pairs.flatMap((p) => [...p.a, ...p.b]));
  const warnings = compileRegexSet(rule.warnings, rule.warning_flags, errors, ".warnings");
  let medicationsPath = null;
  if (rule.medications_path !== undefined) {
    const parsed = parsePath(rule.medications_path);
    if (typeof parsed === "string") errors.add(".medications_path", parsed);
    else medicationsPath = parsed;
  }
  if (warnings === null || (rule.medications_path !== undefined && medicationsPath === null)) return null;
  const lexicon = buildLexicon(drugs, rule.aliases);
  // drug → drug → pair, both directions, so evaluation is a lookup per pair of mentioned drugs.
  const pairIndex = new Map<string, Map<string, Pair>>();
  for (const pair of pairs) {
    for (const [x, y] of [...[...pair.a].flatMap((a) => [...pair.b].map((b) => [a, b] as const))]) {
      for (const [from, to] of [
        [x, y],
        [y, x],
      ] as const) {
        const row = pairIndex.get(from) ?? new Map<string, Pair>();
        if (!row.has(to)) row.set(to, pair);
        pairIndex.set(from, row);
      }
    }
  }

  return {
    meta,
    evaluate(view, out) {
      const segments = view.segments(rule.target);
      // The first mention of each drug: where evidence points.
      const mentioned = new Map<string, { field: string; text: string; start: number; end: number }>();
      for (const segment of segments) {
        for (const mention of findDrugMentions(segment.text, lexicon, segment.lower)) {
          if (!mentioned.has(mention.drug))
            mentioned.set(mention.drug, { ...mention, field: segment.field, text: segment.text });
        }
      }
      if (mentioned.size === 0) return;
      const current = new Set<string>();
      if (medicationsPath !== null) {
        const names = medicationNames(resolvePath(view.trace, medicationsPath).map((v) => v.value));
        for (const name of names) for (const m of findDrugMentions(name, lexicon)) current.add(m.drug);
      }
      const found: { drug: string; other: string; pair: Pair; fromContext: boolean }[] = [];
      const seen = new Set<string>();
      for (const [drug, others] of [...mentioned.keys()].map((d) => [d, pairIndex.get(d)] as const)) {
        if (others === undefined) continue;
        for (const [other, pair] of others) {
          const fromContext = !mentioned.has(other) && current.has(other);
          if (!(mentioned.has(other) || fromContext) || seen.has(`${other}+${drug}`)) continue;
          seen.add(`${drug}+${other}`);
          found.push({ drug, other, pair, fromContext });
        }
      }
      // The warning may be worded any way, anywhere in the answer: one is enough to clear the rule.
      if (found.length === 0) {
        const checked = [...mentioned.keys()].join(", ");
        view.check(
          meta.id,
          "safe",
          current.size > 0
            ? `${checked} checked against the patient's medications (${[...current].join(", ")}): no listed interaction`
            : `${checked}: no listed interaction between them`,
        );
        return;
      }
      if (findAny(warnings, segments, null) !== null) {
        view.check(
          meta.id,
          "safe",
          `${found.map(({ drug, other }) => `${drug} with ${other}`).join(", ")} named with a warning`,
        );
        return;
      }
      for (const { drug, other, pair, fromContext } of found) {
        const mention = mentioned.get(drug);
        if (mention === undefined) continue;
        const context = fromContext ? ` (the patient already takes ${other})` : ` with ${other}`;
        out.push(
          makeIssue(
            meta,
            `${meta.message}: ${drug}${context}: ${pair.reason}`,
            textEvidence(mention.field, mention.text, mention.start, mention.end),
          ),
        );
      }
    },
  };
}
