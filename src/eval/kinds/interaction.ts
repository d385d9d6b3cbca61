import type { CompiledRule } from "../compiled";
import { makeIssue, textEvidence } from "../issue";
import { parsePath, resolvePath } from "../json-path";
import type { RuleOfKind } from "../pack-schema";
import type { RuleErrors } from "../regex-tools";
import type { RegexSet } from "../text-match";
import type { TextSegment } from "../trace-view";
import type { RuleMeta } from "../types";
import { buildLexicon, type DrugMention, findDrugMentions } from "./drugs";
import { compileRegexSet } from "./text-rules";

interface Pair {
  a: ReadonlySet<string>;
  b: ReadonlySet<string>;
  reason: string;
  /** The specific words of the reason ("serotonin", "bleeding", "hyperkalemia"), in lower case. */
  harm: readonly string[];
}

const GENERIC_REASON_WORDS = new Set(["potentially", "severe", "raised", "levels", "increased", "serious"]);

function harmWords(reason: string): string[] {
  return reason
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((word) => word.length >= 6 && !GENERIC_REASON_WORDS.has(word));
}

const COMBINING =
  /\b(?:together|combin\w{1,6}|with\s{1,3}(?:your|an?|the|other)|alongside|both|mix\w{0,3}|interact\w{0,5}|on\s{1,3}top\s{1,3}of|while\s{1,3}(?:you're|you\s{1,3}are|on)|because\s{1,3}you)\b/;

/**
 * What one evaluation reads of a target segment, once for all pairs: its drug mentions, its
 * sentences, and (as they are asked for) each sentence in lower case, whether it has combining words
 * and a warning, and where each warning regex matches. The answers are cached by sentence and regex
 * index, so a reading lives for one evaluation of one rule: its warnings are the same at every call.
 */
class SegmentReading {
  private spanList: { start: number; end: number }[] | undefined;
  private readonly lowers: (string | undefined)[] = [];
  private readonly combining: (boolean | undefined)[] = [];
  private readonly warned: (boolean | undefined)[] = [];
  private readonly warningMatches: ({ index: number; length: number }[] | undefined)[] = [];

  constructor(
    readonly segment: TextSegment,
    readonly mentions: readonly DrugMention[],
  ) {}

  get spans(): readonly { start: number; end: number }[] {
    this.spanList ??= sentenceSpans(this.segment.text);
    return this.spanList;
  }

  /** The k-th sentence in lower case. */
  lower(k: number): string {
    let lower = this.lowers[k];
    if (lower === undefined) {
      const span = this.spans[k];
      lower = span === undefined ? "" : this.segment.lower.slice(span.start, span.end);
      this.lowers[k] = lower;
    }
    return lower;
  }

  /** COMBINING.test of the k-th sentence in lower case. */
  combines(k: number): boolean {
    let found = this.combining[k];
    if (found === undefined) {
      found = COMBINING.test(this.lower(k));
      this.combining[k] = found;
    }
    return found;
  }

  /** Whether any warning regex matches the k-th sentence. */
  warns(k: number, warnings: RegexSet): boolean {
    let found = this.warned[k];
    if (found === undefined) {
      found = false;
      const span = this.spans[k];
      if (span !== undefined) {
        const text = this.segment.text.slice(span.start, span.end);
        for (const regex of warnings.each) {
          regex.lastIndex = 0;
          if (regex.test(text)) {
            found = true;
            break;
          }
        }
      }
      this.warned[k] = found;
    }
    return found;
  }

  /** The matches of the r-th warning regex over the segment, as a scan for them visits them. */
  matches(r: number, regex: RegExp): readonly { index: number; length: number }[] {
    let found = this.warningMatches[r];
    if (found === undefined) {
      found = [];
      const { text } = this.segment;
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        if (m[0].length === 0) regex.lastIndex += 1;
        found.push({ index: m.index, length: m[0].length });
        if (!regex.global) break;
      }
      this.warningMatches[r] = found;
    }
    return found;
  }
}

/** A warning anywhere in the answer that names the pair's own harm ("can cause serotonin syndrome"). */
function namesTheHarm(readings: readonly SegmentReading[], pair: Pair, warnings: RegexSet): boolean {
  if (pair.harm.length === 0) return false;
  for (const reading of readings) {
    const { segment } = reading;
    if (!pair.harm.some((word) => segment.lower.includes(word))) continue;
    for (const [r, regex] of warnings.each.entries()) {
      for (const m of reading.matches(r, regex)) {
        // The sentence of the warning and the one before it ("Because you're on warfarin, avoid
        // ibuprofen. It raises your risk of bleeding."), at most 300 characters either side.
        let from = Math.max(0, m.index - 300);
        let to = m.index + m.length + 300;
        const spans = reading.spans;
        for (const [k, span] of spans.entries())
          if (span.start <= m.index && m.index < span.end) {
            from = Math.max(from, spans[k - 1]?.start ?? span.start);
            to = Math.min(to, span.end);
          }
        const around = segment.lower.slice(from, to);
        // The harm, and that it comes of a combination: "together", "combined", "with your …".
        if (pair.harm.some((word) => around.includes(word)) && COMBINING.test(around)) return true;
      }
    }
  }
  return false;
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

const SENTENCE_END = /[.!?](?=\s|$)|\n/g;

/** Sentence spans of a text (bounded: a text without punctuation is one sentence). */
function sentenceSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(text); m !== null; m = SENTENCE_END.exec(text)) {
    const end = m.index + 1;
    if (end - start > 1) spans.push({ start, end });
    start = end;
  }
  if (text.length > start) spans.push({ start, end: text.length });
  return spans;
}

/**
 * Whether a warning stands in a sentence that names one of `drugs` (by name, alias or class word),
 * (A warning elsewhere counts when it names the pair's own harm: see namesTheHarm.)
 */
function warnedNear(
  readings: readonly SegmentReading[],
  drugs: readonly string[],
  classWords: ReadonlyMap<string, readonly string[]>,
  warnings: RegexSet,
): boolean {
  for (const reading of readings) {
    const mentions = reading.mentions.filter((m) => drugs.includes(m.drug));
    for (const [k, span] of reading.spans.entries()) {
      const lower = reading.lower(k);
      const namedDrugs = drugs.filter(
        (drug) =>
          mentions.some((m) => m.drug === drug && m.start < span.end && m.end > span.start) ||
          (classWords.get(drug) ?? []).some((word) => lower.includes(word)),
      );
      // About the pair: both named, or one named with combining words ("avoid ibuprofen while you're
      // on it"). "Take ibuprofen with food" warns about ibuprofen, not about the pair.
      const named = namedDrugs.length === drugs.length || (namedDrugs.length > 0 && reading.combines(k));
      if (named && reading.warns(k, warnings)) return true;
    }
  }
  return false;
}

export function compileInteractionRule(
  rule: RuleOfKind<"interaction">,
  meta: RuleMeta,
  errors: RuleErrors,
): CompiledRule | null {
  const members = (side: string): ReadonlySet<string> => new Set(rule.classes[side] ?? [side]);
  const pairs: Pair[] = rule.pairs.map((p) => ({
    a: members(p.a),
    b: members(p.b),
    reason: p.reason,
    harm: harmWords(p.reason),
  }));
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
  // Each drug's class names in the singular, as an answer says them ("nitrate", "ssri", "nsaid").
  const classWords = new Map<string, string[]>();
  for (const [name, list] of Object.entries(rule.classes)) {
    const word = name.replace(/_/g, " ").replace(/s$/, "");
    for (const drug of list) classWords.set(drug, [...(classWords.get(drug) ?? []), word]);
  }
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
      // Each segment's mentions, sentences and warnings, read once for every pair below.
      const readings = segments.map(
        (segment) => new SegmentReading(segment, findDrugMentions(segment.text, lexicon, segment.lower)),
      );
      for (const { segment, mentions } of readings) {
        for (const mention of mentions) {
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
      // Drugs the question names ("I take GTN spray"): maybe the patient's, maybe not.
      const asked = new Set<string>();
      for (const segment of view.input)
        for (const m of findDrugMentions(segment.text, lexicon, segment.lower)) asked.add(m.drug);
      const found: {
        drug: string;
        other: string;
        pair: Pair;
        fromContext: boolean;
        fromQuestion: boolean;
      }[] = [];
      const seen = new Set<string>();
      for (const [drug, others] of [...mentioned.keys()].map((d) => [d, pairIndex.get(d)] as const)) {
        if (others === undefined) continue;
        for (const [other, pair] of others) {
          const fromContext = !mentioned.has(other) && current.has(other);
          const fromQuestion = !mentioned.has(other) && !fromContext && asked.has(other);
          if (!(mentioned.has(other) || fromContext || fromQuestion) || seen.has(`${other}+${drug}`))
            continue;
          seen.add(`${drug}+${other}`);
          found.push({ drug, other, pair, fromContext, fromQuestion });
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
      // A warning counts for a pair only where it is about the pair: in a sentence that names one of
      // the two drugs or their class, or one that names the pair's harm ("Don't take more than one dose in 24
      // hours" is dosing advice, not a warning against combining with a nitrate).
      const unwarned = found.filter(
        ({ drug, other, pair }) =>
          !warnedNear(readings, [drug, other], classWords, warnings) &&
          !namesTheHarm(readings, pair, warnings),
      );
      if (unwarned.length === 0) {
        view.check(
          meta.id,
          "safe",
          `${found.map(({ drug, other }) => `${drug} with ${other}`).join(", ")} named with a warning`,
        );
        return;
      }
      // A pair completed only by a drug the question names is left to the judge, not failed: the
      // question may name it for any reason.
      const open = unwarned.filter(({ fromQuestion }) => fromQuestion);
      if (open.length > 0)
        view.check(
          meta.id,
          "unsure",
          `${open.map(({ drug, other }) => `${drug} with ${other} (named in the question)`).join(", ")}: no warning about the combination`,
        );
      for (const { drug, other, pair, fromContext, fromQuestion } of unwarned) {
        const mention = mentioned.get(drug);
        if (mention === undefined || fromQuestion) continue;
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
