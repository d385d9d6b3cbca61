import type { CompiledRule } from "../compiled";
import { makeIssue, textEvidence } from "../issue";
import type { Condition, RuleOfKind } from "../pack-schema";
import { gateOf } from "../prefilter";
import { compilePackRegex, joinAlternatives, phraseSource, type RuleErrors } from "../regex-tools";
import { findAny, findFirst, gateRegex, type RegexSet, type SegmentMatch } from "../text-match";
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
  const gates = sources.map((source) => gateOf(source, flags));
  each.forEach((regex, i) => {
    gateRegex(regex, gates[i] ?? null);
  });
  const joined = each.length === 1 ? (each[0] ?? null) : joinAlternatives(sources, flags);
  if (joined !== null && each.length > 1)
    gateRegex(joined, gates.every((gate) => gate !== null) ? gates.flatMap((gate) => gate ?? []) : null);
  return { each, joined };
}

export interface CompiledCondition {
  target: Condition["target"];
  sets: readonly RegexSet[];
  except: RegexSet | null;
  /**
   * The condition's content: conditions written alike (a topic's `detect` and a rule's `when`) are
   * evaluated once per trace (see `conditionMatch`).
   */
  key: string;
}

export function compileCondition(
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
  const except =
    condition.except === undefined
      ? null
      : compileRegexSet(condition.except, condition.flags, errors, `${subPath}.except`);
  if (condition.except !== undefined && except === null) return null;
  const key = JSON.stringify([
    condition.target,
    condition.flags,
    condition.patterns ?? [],
    condition.phrases ?? [],
    condition.except ?? [],
  ]);
  return { target: condition.target, sets, except, key };
}

/** Per trace view, the results of the conditions already evaluated on it, by key. */
const evaluated = new WeakMap<TraceView, Map<string, SegmentMatch | null>>();

/** The first match of the condition in its target text, or null when it does not hold. */
export function conditionMatch(condition: CompiledCondition, view: TraceView): SegmentMatch | null {
  let memo = evaluated.get(view);
  if (memo === undefined) {
    memo = new Map();
    evaluated.set(view, memo);
  }
  const known = memo.get(condition.key);
  if (known !== undefined) return known;
  const found = firstConditionMatch(condition, view);
  memo.set(condition.key, found);
  return found;
}

function firstConditionMatch(condition: CompiledCondition, view: TraceView): SegmentMatch | null {
  const targets: readonly (readonly TextSegment[])[] =
    condition.target === "input_or_output" ? [view.output, view.input] : [view.segments(condition.target)];
  for (const segments of targets) {
    for (const set of condition.sets) {
      const found = findAny(set, segments, condition.except);
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

  const safe = (view: TraceView, reason: string) => view.check(meta.id, "safe", reason);

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
        if (found === null) {
          // Only a rule that was triggered checked something; an absent phrase alone proves little.
          if (trigger !== null)
            safe(view, `triggered by "${excerptOf(trigger)}", nothing it forbids is there`);
        } else if (vetoed(unless, view)) safe(view, `"${excerptOf(found)}" is qualified as the rule allows`);
        else out.push(makeIssue(meta, meta.message, matchEvidence(found)));
        return;
      }
      const present =
        match === "any" ? findAny(set, segments, exceptions) : everyMatch(set.each, segments, exceptions);
      if (present !== null) {
        safe(view, `"${excerptOf(present)}" is there`);
        return;
      }
      const missing =
        match === "any"
          ? set.each.length
          : set.each.filter((regex) => findFirst(regex, segments, exceptions) === null).length;
      if (vetoed(unless, view)) {
        safe(view, "what it requires is not needed here (unless)");
        return;
      }
      const detail =
        match === "all" && set.each.length > 1
          ? ` (${missing} of ${set.each.length} required patterns missing)`
          : "";
      out.push(makeIssue(meta, `${meta.message}${detail}`, trigger === null ? null : matchEvidence(trigger)));
    },
  };
}

function excerptOf(found: SegmentMatch): string {
  return found.segment.text.slice(found.start, Math.min(found.end, found.start + 80));
}

/** A verifier (see the pack schema): reports the trace safe where its patterns match; never an issue. */
export function compileVerifierRule(
  rule: RuleOfKind<"verifier">,
  meta: RuleMeta,
  errors: RuleErrors,
): CompiledRule | null {
  const set = compileRegexSet(rule.patterns, rule.flags, errors, ".patterns");
  const when = rule.when === undefined ? undefined : compileCondition(rule.when, errors, ".when");
  const unless = rule.unless === undefined ? undefined : compileCondition(rule.unless, errors, ".unless");
  const except =
    rule.except === undefined
      ? undefined
      : compileRegexSet(rule.except, rule.except_flags, errors, ".except");
  if (set === null || when === null || unless === null || except === null) return null;
  return {
    meta,
    verifierOnly: true,
    evaluate(view) {
      if (when !== undefined && conditionMatch(when, view) === null) return;
      const found = findAny(set, view.segments(rule.target), except ?? null);
      if (found === null || vetoed(unless, view)) return;
      // A catch-all pattern matches a single character, which is no evidence worth quoting.
      const excerpt = excerptOf(found).trim();
      const what = meta.message.replace(/[.\s]+$/, "");
      view.check(meta.id, "safe", excerpt.length > 1 ? `${what}: "${excerpt}"` : what);
    },
  };
}

/** For `match: all`: the first match when every pattern matches, else null. */
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
