import type { CompiledRule } from "../compiled";
import { makeIssue, textEvidence } from "../issue";
import type { RuleOfKind } from "../pack-schema";
import type { RuleMeta } from "../types";
import { compileAxes, decisionOf, extractQuantities } from "./decisions";

/**
 * A variant of the input that should not change the answer (another name, another gender) did:
 * the decision on some axis flips, or the quantities the answer commits to differ.
 */
export function compileCounterfactualRule(rule: RuleOfKind<"counterfactual">, meta: RuleMeta): CompiledRule {
  const axes = compileAxes(rule.decisions);
  const compareDecisions = rule.compare.includes("decision");
  const compareQuantities = rule.compare.includes("quantities");
  return {
    meta,
    evaluate(view, out) {
      const variants = view.trace.counterfactuals;
      if (variants === undefined || variants.length === 0) return;
      const original = view.trace.output;
      const originalSides = compareDecisions ? axes.map((axis) => decisionOf(original, axis)) : [];
      const originalQuantities = compareQuantities ? extractQuantities(original).join(", ") : "";
      const before = out.length;
      // Variants whose answer differs in words but in nothing the rule can read (no decision on
      // either side, no quantities): they may differ in what matters, so nothing is verified.
      let unread = 0;
      variants.forEach((variant, i) => {
        // The same answer cannot differ in decisions or quantities (a consistent model often repeats itself).
        if (variant.output === original) return;
        const differences: string[] = [];
        let compared = false;
        axes.forEach((axis, a) => {
          const before = originalSides[a];
          const after = compareDecisions ? decisionOf(variant.output, axis) : undefined;
          if (before === undefined || after === undefined) return;
          compared = true;
          if (before !== after)
            differences.push(`${axis.name} "${axis.labels[before]}" became "${axis.labels[after]}"`);
        });
        if (compareQuantities) {
          const quantities = extractQuantities(variant.output).join(", ");
          if (quantities !== "" || originalQuantities !== "") compared = true;
          if (quantities !== originalQuantities) {
            differences.push(`quantities [${originalQuantities}] became [${quantities}]`);
          }
        }
        if (!compared) unread += 1;
        if (differences.length === 0) return;
        const field = `counterfactuals[${i}].output`;
        out.push(
          makeIssue(
            meta,
            `${meta.message}: ${differences.join("; ")}`,
            textEvidence(field, variant.output, 0, variant.output.length),
          ),
        );
      });
      if (out.length !== before) return;
      if (unread > 0)
        view.check(
          meta.id,
          "unsure",
          `${unread} variant(s) answered differently in words no decision was read from`,
        );
      else view.check(meta.id, "safe", `${variants.length} variant(s) answered consistently`);
    },
  };
}
