import type { CompiledRule } from "../compiled";
import { makeIssue, textEvidence } from "../issue";
import { NUMBER_WORDS } from "../number-words";
import type { RuleOfKind } from "../pack-schema";
import type { RuleErrors } from "../regex-tools";
import type { RegexSet, Span } from "../text-match";
import type { RuleMeta } from "../types";
import { compileRegexSet } from "./text-rules";

const NUMBER = `(\\d{1,4}(?:\\.\\d)?|${Object.keys(NUMBER_WORDS)
  .filter((word) => word.length > 2)
  .sort((a, b) => b.length - a.length)
  .map((word) => word.replace(/ /g, "\\s"))
  .join("|")})`;
/** The unit of a period: the anchor from which its number is read backwards. */
const UNIT = /\b(hours?|days?|weeks?|workweeks?|months?|years?|yrs?)(?![\w])/gi;
/** The number just before a unit: "30 ", "60-", "ten business ", "30th ", "fourteen (14) ". */
const NUMBER_BEFORE = new RegExp(
  `\\b${NUMBER}(?:st|nd|rd|th)?(?:\\s{0,2}\\(\\d{1,4}\\))?[\\s-]{1,3}(?:(?:calendar|business|working|court|judicial|clear)[\\s-]{1,3})?$`,
  "i",
);

const UNITS: Readonly<Record<string, string>> = {
  hour: "hour",
  day: "day",
  week: "week",
  workweek: "week",
  month: "month",
  year: "year",
  yr: "year",
};

interface Period {
  start: number;
  end: number;
  /** "30:day": the same period whatever its spelling ("thirty days", "30-day", "30th day"). */
  key: string;
}

/** "30 days", "60-day", "2 years", "12-month", "ten business days", "30th day", "fourteen (14) days". */
function periodsIn(text: string): Period[] {
  const periods: Period[] = [];
  UNIT.lastIndex = 0;
  for (let m = UNIT.exec(text); m !== null; m = UNIT.exec(text)) {
    const from = Math.max(0, m.index - 40);
    const number = NUMBER_BEFORE.exec(text.slice(from, m.index));
    if (number === null) continue;
    const word = (number[1] ?? "").toLowerCase().replace(/\s+/g, " ");
    const value = NUMBER_WORDS[word] ?? Number(word);
    const unit = UNITS[(m[1] ?? "").toLowerCase().replace(/s$/, "")];
    if (unit !== undefined && Number.isFinite(value))
      periods.push({ start: from + number.index, end: m.index + m[0].length, key: `${value}:${unit}` });
  }
  return periods;
}

/** After a lower-case letter, a digit or a closing bracket or quote, a full stop ends a sentence. */
function endsSentence(text: string, i: number): boolean {
  const ch = text.charCodeAt(i);
  if (ch === 10) return true;
  if (ch !== 46 && ch !== 33 && ch !== 63) return false;
  const next = text.charCodeAt(i + 1);
  if (i + 1 < text.length && next !== 32 && next !== 10 && next !== 9 && next !== 13) return false;
  const prev = text.charCodeAt(i - 1);
  return (
    (prev >= 97 && prev <= 122) ||
    (prev >= 48 && prev <= 57) ||
    prev === 41 ||
    prev === 93 ||
    prev === 34 ||
    prev === 39 ||
    prev === 42
  );
}

/** Periods checked per answer: an answer stating more is left to the judge. */
const MAX_PERIODS = 100;

/** How far a sentence is read either way of a period: text without full stops stays linear. */
const MAX_SENTENCE_REACH = 300;

/**
 * The sentence around a position: "Cal. Civ. Code § 1942" and "28 U.S.C. § 1446" do not end one,
 * since their full stops follow capitals. Read outwards from the position, so only the sentences
 * that hold a period are ever delimited.
 */
function sentenceAround(text: string, at: number): Span {
  const first = Math.max(0, at - MAX_SENTENCE_REACH);
  const last = Math.min(text.length, at + MAX_SENTENCE_REACH);
  let start = at;
  while (start > first && !endsSentence(text, start - 1)) start -= 1;
  let end = at;
  while (end < last && !endsSentence(text, end)) end += 1;
  return { start, end: Math.min(text.length, end + 1) };
}

/** Whether any regex of the set matches the text. */
function hasMatch(set: RegexSet, text: string): boolean {
  const regexes = set.joined !== null ? [set.joined] : set.each;
  return regexes.some((regex) => {
    regex.lastIndex = 0;
    return regex.exec(text) !== null;
  });
}

/**
 * Time limits stated in the answer (a limitation period, a filing deadline, a grace period): a wrong
 * one can cost a claim, and only a source or a clinician-style hedge makes one safe to pass. Every
 * period in a sentence that speaks of a time limit must be found in the retrieved sources, or be
 * stated as an approximation (a hedge in the sentence) in an answer that refers the user to an
 * attorney. Then the rule reports the trace safe; otherwise unsure, so the judge looks. It never
 * raises an issue: a figure it cannot check is not known to be wrong.
 */
export function compileTimeLimitRule(
  rule: RuleOfKind<"time_limit">,
  meta: RuleMeta,
  errors: RuleErrors,
): CompiledRule | null {
  const cues = compileRegexSet(rule.cues, rule.flags, errors, ".cues");
  const hedges = compileRegexSet(rule.hedges, rule.flags, errors, ".hedges");
  const referrals = compileRegexSet(rule.referrals, rule.flags, errors, ".referrals");
  if (cues === null || hedges === null || referrals === null) return null;
  return {
    meta,
    evaluate(view, out) {
      const text = view.trace.output;
      // One scan for a cue; most answers mention no time limit and stop here.
      if (!hasMatch(cues, text)) return;
      const stated: { sentence: string; period: Period; at: number }[] = [];
      const periods = periodsIn(text);
      if (periods.length > MAX_PERIODS) {
        view.check(meta.id, "unsure", `${periods.length} periods of time stated: too many to check`);
        return;
      }
      const elsewhere: Period[] = [];
      for (const period of periods) {
        const span = sentenceAround(text, period.start);
        const sentence = text.slice(span.start, span.end);
        if (!hasMatch(cues, sentence)) {
          elsewhere.push(period);
          continue;
        }
        stated.push({
          sentence,
          period: { ...period, start: period.start - span.start, end: period.end - span.start },
          at: span.start,
        });
      }
      let sourced: Set<string> | undefined;
      const sources = (): Set<string> => {
        if (sourced === undefined) {
          sourced = new Set<string>();
          for (const context of view.trace.retrieved_contexts ?? [])
            for (const found of periodsIn(context.content)) sourced.add(found.key);
        }
        return sourced;
      };
      if (stated.length === 0) {
        // A figure outside the cue's sentence may still be the limit ("once it passes 180 days"):
        // "no figure is stated" holds only when every figure is the user's own or the sources'.
        let given: Set<string> | undefined;
        const loose = elsewhere.filter((period) => {
          if (sources().has(period.key)) return false;
          given ??= new Set(periodsIn(view.trace.input).map((found) => found.key));
          return !given.has(period.key);
        });
        if (loose.length === 0)
          view.check(meta.id, "safe", "a time limit is mentioned but no figure is stated");
        else
          view.check(
            meta.id,
            "unsure",
            `a time limit is mentioned and period(s) stated that may be it: ${loose
              .slice(0, 3)
              .map((period) => `"${text.slice(period.start, period.end)}"`)
              .join(", ")}`,
          );
        return;
      }
      // Cheapest first: the sources (short), then a hedge in the sentence, then a referral anywhere.
      let referred: boolean | undefined;
      const isReferred = () => {
        referred ??= rule.referrals.length === 0 || hasMatch(referrals, text);
        return referred;
      };
      const unsettled: string[] = [];
      let first: { at: number; period: Period } | undefined;
      for (const { sentence, period, at } of stated) {
        if (sources().has(period.key)) continue;
        if (rule.hedges.length > 0 && hasMatch(hedges, sentence) && isReferred()) continue;
        unsettled.push(`"${sentence.slice(period.start, period.end)}"`);
        first ??= { at, period };
      }
      // Stated as fact, found in no source, in an answer that sends the user to no one: an issue
      // (at the rule's severity) as well as a doubt, since nothing in the answer checks the figure.
      if (first !== undefined && rule.referrals.length > 0 && !isReferred()) {
        out.push(
          makeIssue(
            meta,
            `${meta.message}: ${unsettled.slice(0, 3).join(", ")} stated as fact, with no source and no referral`,
            textEvidence("output", text, first.at + first.period.start, first.at + first.period.end),
          ),
        );
      }
      if (unsettled.length === 0) {
        view.check(
          meta.id,
          "safe",
          `${stated.length} time limit(s), each found in the sources or stated as approximate with a referral`,
        );
        return;
      }
      view.check(
        meta.id,
        "unsure",
        `time limit(s) stated as fact, not found in the sources: ${unsettled.slice(0, 3).join(", ")}`,
      );
    },
  };
}
