import type { CompiledRule } from "../compiled";
import { makeIssue, textEvidence } from "../issue";
import type { Condition, RuleOfKind } from "../pack-schema";
import { compilePackRegex, joinAlternatives, phraseSource, type RuleErrors } from "../regex-tools";
import { findAny, findFirst, type RegexSet, type SegmentMatch } from "../text-match";
import type { TextSegment, TraceView } from "../trace-view";
import type { Evidence, RuleMeta } from "../types";

/** Compiles sources into a RegexSet; null when any source is invalid (errors are recorded). */
export function compileRegexSet(
  sources: readonly string[],
  flags: string,
  errors: RuleErrors,
  subPath: string,
): RegexSet | null {
  const each: RegExp[] = [];
  sources.forEach((source, i) => {
    const regex = compilePackRegex(source, flags, errors, `${subPath}[${i}]`);
    if (regex !== null) each.push(regex);
  });
  if (each.length !== sources.length) return null;
  return { each, joined: each.length === 1 ? (each[0] ?? null) : joinAlternatives(sources, flags) };
}

interface CompiledCondition {
  target: Condition["target"];
  sets: readonly RegexSet[];
}

function compileCondition(
  condition: Condition,
  errors: RuleErrors,
  subPath: string,
): CompiledCondition | null {
  const sets: RegexSet[] = [];
  if (condition.patterns !== undefined) {
    const set = compileRegexSet(condition.patterns, condition.flags, errors, `${subPath}.patterns`);
    if (set === null) return null;
    sets.push(set);
  }
  if (condition.phrases !== undefined) {
    const set = compileRegexSet(condition.phrases.map(phraseSource), "i", errors, `${subPath}.phrases`);
    if (set === null) return null;
    sets.push(set);
  }
  return { target: condition.target, sets };
}

/** The first match of the condition in its target text, or null when it does not hold. */
function conditionMatch(condition: CompiledCondition, view: TraceView): SegmentMatch | null {
  const targets: readonly (readonly TextSegment[])[] =
    condition.target === "input_or_output"
      ? [view.output, view.input]
      : [condition.target === "input" ? view.input : view.output];
  for (const segments of targets) {
    for (const set of condition.sets) {
      const found = findAny(set, segments, null);
      if (found !== null) return found;
    }
  }
  return null;
}

function vetoed(unless: CompiledCondition | undefined, view: TraceView): boolean {
  return unless !== undefined && conditionMatch(unless, view) !== null;
}

function matchEvidence(found: SegmentMatch): Evidence {
  return textEvidence(found.segment.field, found.segment.text, found.start, found.end);
}

type TextRule = RuleOfKind<"pattern"> | RuleOfKind<"phrases">;

/** `pattern` and `phrases` share semantics; phrases are literal, case-insensitive and word-bounded. */
export function compileTextRule(rule: TextRule, meta: RuleMeta, errors: RuleErrors): CompiledRule | null {
  const set =
    rule.kind === "pattern"
      ? compileRegexSet(rule.patterns, rule.flags, errors, ".patterns")
      : compileRegexSet(rule.phrases.map(phraseSource), "i", errors, ".phrases");
  const when = rule.when === undefined ? undefined : compileCondition(rule.when, errors, ".when");
  const unless = rule.unless === undefined ? undefined : compileCondition(rule.unless, errors, ".unless");
  const except =
    rule.except === undefined
      ? undefined
      : compileRegexSet(rule.except, rule.except_flags, errors, ".except");
  if (set === null || when === null || unless === null || except === null) return null;
  const exceptions = except ?? null;
  const { target, mode, match } = rule;

  return {
    meta,
    evaluate(view, out) {
      let trigger: SegmentMatch | null = null;
      if (when !== undefined) {
        trigger = conditionMatch(when, view);
        if (trigger === null) return;
      }
      const segments = view.segments(target);
      // `unless` is checked last: it only matters once the rule would fire, and most traces never get there.
      if (mode === "forbid") {
        const found =
          match === "any" ? findAny(set, segments, exceptions) : everyMatch(set.each, segments, exceptions);
        if (found !== null && !vetoed(unless, view))
          out.push(makeIssue(meta, meta.message, matchEvidence(found)));
        return;
      }
      const missing =
        match === "any"
          ? findAny(set, segments, exceptions) === null
            ? set.each.length
            : 0
          : set.each.filter((regex) => findFirst(regex, segments, exceptions) === null).length;
      if (missing === 0 || vetoed(unless, view)) return;
      const detail =
        match === "all" && set.each.length > 1
          ? ` (${missing} of ${set.each.length} required patterns missing)`
          : "";
      out.push(makeIssue(meta, `${meta.message}${detail}`, trigger === null ? null : matchEvidence(trigger)));
    },
  };
}

/** For `match: all` in forbid mode: the first match when every pattern matches, else null. */
function everyMatch(
  each: readonly RegExp[],
  segments: readonly TextSegment[],
  except: RegexSet | null,
): SegmentMatch | null {
  let first: SegmentMatch | null = null;
  for (const regex of each) {
    const found = findFirst(regex, segments, except);
    if (found === null) return null;
    first ??= found;
  }
  return first;
}
