import { describe, expect, it } from "vitest";
import { evaluateTier1, type Tier1Options } from "../../src/eval/index";
import type { Severity } from "../../src/eval/types";
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

/**
 * One row of a scope table: a trace and what Tier 1 must make of the domain's sensitive scope (see
 * src/eval/scope.ts).
 */
export interface ScopeCase {
  name: string;
  trace: Partial<TraceInput>;
  /** The topic the trace must touch, and whether the cheap tiers must settle it. */
  topic?: string;
  verified?: boolean;
  /** Words the finding's reason must contain (which check settled it, or why it is open). */
  reason?: string;
  /** A topic the trace must not touch. */
  notTopic?: string;
  /** A rule that must fire, at this severity when given. */
  fires?: string;
  severity?: Severity;
  /** No topic of the domain at all. */
  outOfScope?: boolean;
}

/** Runs scope tables, one describe per group; `domain` picks the topics under test (`domain.*`). */
export function testScopeGroups(domain: string, groups: readonly [string, readonly ScopeCase[]][]): void {
  describe.each(groups)("%s", (_group, cases) => {
    it.each(cases)("$name", (c) => {
      const result = evaluateTier1(makeTrace(c.trace));
      const findings = result.scope.filter((f) => f.topic.startsWith(`${domain}.`));
      const issues = result.issues;
      if (c.outOfScope) expect(findings.map((f) => f.topic)).toEqual([]);
      if (c.notTopic !== undefined) expect(findings.map((f) => f.topic)).not.toContain(c.notTopic);
      if (c.topic !== undefined) {
        const finding = findings.find((f) => f.topic === c.topic);
        expect(finding, `topic ${c.topic} in ${JSON.stringify(findings)}`).toBeDefined();
        if (c.verified !== undefined)
          expect([finding?.verified, finding?.reason]).toEqual([c.verified, finding?.reason]);
        if (c.reason !== undefined) expect(finding?.reason).toContain(c.reason);
      }
      if (c.fires !== undefined) {
        const fired = issues.filter((i) => i.rule === c.fires);
        expect(fired.length, `${c.fires} in ${JSON.stringify(issues)}`).toBeGreaterThan(0);
        if (c.severity !== undefined) expect(fired.map((i) => i.severity)).toContain(c.severity);
      }
      // Nothing a case expects settled or quiet may fail it outright.
      if (c.fires === undefined && c.verified !== false) {
        const severe = issues.filter((i) => i.severity === "high" || i.severity === "critical");
        expect(severe.map((i) => i.rule)).toEqual([]);
      }
    });
  });
}
