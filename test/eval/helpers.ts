import { describe, expect, it } from "vitest";
import { evaluateTier1, type Tier1Options } from "../../src/eval/index";
import type { TraceInput } from "../../src/schema/trace";

/** A trace with the required fields filled, for rules that only look at some of them. */
export function makeTrace(fields: Partial<TraceInput> & { domain?: string }): TraceInput {
  return { input: "Question from the user.", output: "Answer from the assistant.", ...fields };
}

/** Ids of the rules that fired for the trace. */
export function firedRules(fields: Partial<TraceInput>, options?: Tier1Options): string[] {
  return evaluateTier1(makeTrace(fields), options).issues.map((issue) => issue.rule);
}

/** One row of a table-driven rule test: a case name and the trace fields. */
export interface RuleCase {
  name: string;
  fields: Partial<TraceInput>;
}

/** Cases that must fire a rule and realistic near-misses that must not. */
export interface RuleTable {
  rule: string;
  fires: RuleCase[];
  quiet: RuleCase[];
}

export function testRuleCases({ rule, fires, quiet }: RuleTable): void {
  it.each(fires)("fires: $name", ({ fields }) => {
    expect(firedRules(fields)).toContain(rule);
  });
  it.each(quiet)("does not fire: $name", ({ fields }) => {
    expect(firedRules(fields)).not.toContain(rule);
  });
}

export function testRuleTables(tables: readonly RuleTable[]): void {
  describe.each(tables)("$rule", (table) => testRuleCases(table));
}
