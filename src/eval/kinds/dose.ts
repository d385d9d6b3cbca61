import type { CompiledRule } from "../compiled";
import { makeIssue, textEvidence } from "../issue";
import type { AmountUnit, RuleOfKind } from "../pack-schema";
import type { RuleMeta } from "../types";
import { buildLexicon, type DrugLexicon, type DrugMention, findDrugMentions } from "./drugs";

/** Mass is compared in mg; "units" (insulin, IU) only with units. */
type Dimension = "mass" | "units";

const UNIT_SCALE: Readonly<Record<AmountUnit, { dimension: Dimension; toBase: number }>> = {
  mg: { dimension: "mass", toBase: 1 },
  g: { dimension: "mass", toBase: 1000 },
  mcg: { dimension: "mass", toBase: 0.001 },
  units: { dimension: "units", toBase: 1 },
};

export interface DoseMention {
  drug: string;
  /** Span in the text covering the drug name and the amounts attributed to it. */
  start: number;
  end: number;
  dimension: Dimension;
  /** Normalised daily amount in mg (mass) or units; null when the text gives a schedule but no amount. */
  dailyAmount: number | null;
  /** "daily": a per-day schedule or total; "weekly": a weekly one; "unspecified": a single amount. */
  schedule: "daily" | "weekly" | "unspecified";
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  once: 1,
  two: 2,
  twice: 2,
  three: 3,
  thrice: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
};

function countValue(token: string): number {
  return NUMBER_WORDS[token.toLowerCase()] ?? Number(token);
}

const UNIT_WORDS: Readonly<Record<string, AmountUnit>> = {
  mg: "mg",
  milligram: "mg",
  milligrams: "mg",
  g: "g",
  gm: "g",
  gram: "g",
  grams: "g",
  mcg: "mcg",
  µg: "mcg",
  μg: "mcg",
  ug: "mcg",
  microgram: "mcg",
  micrograms: "mcg",
  unit: "units",
  units: "units",
  iu: "units",
};

const NUMBER = "(\\d{1,3}(?:,\\d{3}){1,3}|\\d{1,7}(?:\\.\\d{1,3})?)";
/** An amount or a range ("500-1000 mg": the upper bound counts), not followed by "/kg" (weight-based). */
const AMOUNT = new RegExp(
  `${NUMBER}(?:\\s{0,2}(?:-|–|to)\\s{0,2}${NUMBER})?\\s{0,2}(mg|milligrams?|mcg|µg|μg|ug|micrograms?|gm|grams?|g|units?|iu)(?![\\w/]|\\s{0,2}\\/\\s{0,2}(?:kg|m2))`,
  "gi",
);
/** "two 500 mg tablets", "2 x 500 mg": how many units make one dose. */
const COUNT_BEFORE = /(?:\b(\d|one|two|three|four)\s{0,2}[x×]\s{0,2}|\b(one|two|three|four|[1-4])\s{1,2})$/i;
const DOSAGE_FORM_AFTER = /^\s{0,2}(?:tablets?|tabs?|capsules?|caps|pills?|softgels?)\b/i;
/** The amount is a ceiling the text sets ("up to 3 g a day", "not exceeding 4 g per day"). */
const CAP_BEFORE =
  /(?:up\s{1,3}to|no\s{1,3}more\s{1,3}than|not\s{1,3}(?:to\s{1,3})?exceed(?:ing)?|(?:never|do\s{1,3}not|don't)\s{1,3}exceed|maximum(?:\s{1,3}of)?|max\.?|at\s{1,3}most|limit(?:\s{1,3}(?:of|to))?)\s{0,3}$/i;
/** The amount is a threshold being warned about ("more than 4 g a day can damage the liver"). */
const WARNING_BEFORE =
  /(?:more\s{1,3}than|exceed(?:s|ing)?|over|above|in\s{1,3}excess\s{1,3}of|beyond|greater\s{1,3}than|higher\s{1,3}than|>)\s{0,3}$/i;
/** Right after an amount: it is a daily total ("6 g per day"), not an amount per dose. */
const DAILY_AFTER =
  /^\s{0,2}(?:\/\s{0,2}day|per\s{1,3}day|a\s{1,3}day|daily|each\s{1,3}day|every\s{1,3}day|(?:in|per|every)\s{1,3}24\s{0,2}(?:hours|hrs|h)\b)/i;

type FrequencyKind = "count" | "daily" | "weekly";

const NUMBER_WORD = "\\d{1,2}|one|once|two|twice|three|thrice|four|five|six|seven|eight|ten|twelve";
const TIMES_PER_DAY = `(?:\\/\\s{0,2}d(?:ay)?\\b|(?:a|an|per|each|every)\\s{1,3}day\\b|daily\\b|(?:in|per|every|each)\\s{1,3}(?:a\\s{1,3})?24\\s{0,2}(?:hours|hrs|h)\\b)`;

/**
 * Dosing schedules, one alternative per named group, scanned in a single pass. Counts ("every 4
 * hours", "tid") outrank a bare "daily" or "weekly". The word alternatives share one leading `\b`
 * (a third faster to scan than a `\b` per alternative); "/day" and "/week" start with "/", so no
 * word alternative can match where they do and their place in the order does not matter.
 */
const FREQUENCY = new RegExp(
  [
    `\\b(?:${[
      // every 4 hours, every 4-6 hours, q4h, q 6 h: the shorter interval gives the most doses.
      "(?:every|q)\\s{0,3}(?<hours>\\d{1,2}(?:\\.\\d{1,2})?)(?:\\s{0,2}(?:-|–|to|or)\\s{0,2}\\d{1,2})?\\s{0,2}(?:hours?|hrs?|h)\\b",
      "(?<hourly>every\\s{1,3}hour|hourly)\\b",
      `(?<times>${NUMBER_WORD})\\s{0,2}(?:x|×|times|doses)?\\s{0,3}${TIMES_PER_DAY}`,
      "(?<code>b\\.?i\\.?d|t\\.?i\\.?d|q\\.?i\\.?d|q\\.?d|q\\.?h\\.?s)\\b\\.?",
      "(?<otherDay>every\\s{1,3}other\\s{1,3}day)\\b",
      "every\\s{1,3}(?<days>\\d{1,2})\\s{1,3}days\\b",
      "(?<weekly>weekly|once\\s{1,3}(?:a|per|every)\\s{1,3}week|(?:per|a|each|every)\\s{1,3}week)\\b",
      "(?<daily>daily|a\\s{1,3}day|per\\s{1,3}day|each\\s{1,3}day|every\\s{1,3}(?:day|morning|evening|night)|nightly|at\\s{1,3}bedtime|(?:in|per)\\s{1,3}24\\s{0,2}hours)\\b",
    ].join("|")})`,
    "(?<perWeek>\\/\\s{0,2}(?:week|wk))\\b",
    "(?<perDay>\\/\\s{0,2}day)\\b",
  ].join("|"),
  "gi",
);

const CODE_PER_DAY: Readonly<Record<string, number>> = { bid: 2, tid: 3, qid: 4, qd: 1, qhs: 1 };

function frequencyOf(groups: Readonly<Record<string, string | undefined>>): {
  kind: FrequencyKind;
  perDay: number;
} {
  if (groups.hours !== undefined) return { kind: "count", perDay: 24 / Math.max(Number(groups.hours), 0.5) };
  if (groups.hourly !== undefined) return { kind: "count", perDay: 24 };
  if (groups.times !== undefined) return { kind: "count", perDay: countValue(groups.times) };
  if (groups.code !== undefined) {
    return { kind: "count", perDay: CODE_PER_DAY[groups.code.replace(/\./g, "").toLowerCase()] ?? 1 };
  }
  if (groups.otherDay !== undefined) return { kind: "count", perDay: 0.5 };
  if (groups.days !== undefined) return { kind: "count", perDay: 1 / Math.max(Number(groups.days), 1) };
  if (groups.weekly !== undefined || groups.perWeek !== undefined) return { kind: "weekly", perDay: 1 / 7 };
  return { kind: "daily", perDay: 1 };
}

type AmountRole = "dose" | "total" | "cap";

interface Located {
  start: number;
  end: number;
}

interface SentenceAmount extends Located {
  role: AmountRole;
  base: number;
  dimension: Dimension;
}

interface SentenceFrequency extends Located {
  kind: FrequencyKind;
  perDay: number;
}

const MAX_SENTENCE_SIDE = 400;

function isBoundary(text: string, i: number): boolean {
  const ch = text[i];
  if (ch === "\n" || ch === ";") return true;
  if (ch !== "." && ch !== "!" && ch !== "?") return false;
  const next = text[i + 1];
  return next === undefined || next === " " || next === "\n" || next === "\t";
}

/** The sentence around `at`, bounded so a text without punctuation is not scanned end to end per drug. */
function sentenceAround(text: string, at: number): Located {
  let start = at;
  while (start > 0 && at - start < MAX_SENTENCE_SIDE && !isBoundary(text, start - 1)) start -= 1;
  let end = at;
  while (end < text.length && end - at < MAX_SENTENCE_SIDE && !isBoundary(text, end)) end += 1;
  return { start, end };
}

function parseNumber(token: string | undefined): number {
  return token === undefined ? Number.NaN : Number(token.replace(/,/g, ""));
}

/** Amounts in the sentence, located in the text (`offset`: where the sentence starts). */
function amountsIn(sentence: string, offset: number): SentenceAmount[] {
  const amounts: SentenceAmount[] = [];
  AMOUNT.lastIndex = 0;
  for (let m = AMOUNT.exec(sentence); m !== null; m = AMOUNT.exec(sentence)) {
    const value = Math.max(parseNumber(m[1]), m[2] === undefined ? 0 : parseNumber(m[2]));
    const unit = UNIT_WORDS[(m[3] ?? "").toLowerCase()];
    if (unit === undefined || !Number.isFinite(value)) continue;
    const end = m.index + m[0].length;
    const before = sentence.slice(Math.max(0, m.index - 40), m.index);
    const after = sentence.slice(end, end + 40);
    const isTotal = DAILY_AFTER.test(after);
    let role: AmountRole = isTotal ? "total" : "dose";
    if (CAP_BEFORE.test(before)) role = isTotal ? "cap" : "dose";
    else if (WARNING_BEFORE.test(before)) continue;
    const count = COUNT_BEFORE.exec(before);
    const units =
      count !== null && (count[1] !== undefined || DOSAGE_FORM_AFTER.test(after))
        ? countValue(count[1] ?? count[2] ?? "1")
        : 1;
    const scale = UNIT_SCALE[unit];
    amounts.push({
      start: offset + m.index,
      end: offset + end,
      role,
      base: value * scale.toBase * units,
      dimension: scale.dimension,
    });
  }
  return amounts;
}

/** Schedules in the sentence, located in the text (`offset`: where the sentence starts). */
function frequenciesIn(sentence: string, offset: number): SentenceFrequency[] {
  const found: SentenceFrequency[] = [];
  FREQUENCY.lastIndex = 0;
  for (let m = FREQUENCY.exec(sentence); m !== null; m = FREQUENCY.exec(sentence)) {
    const { kind, perDay } = frequencyOf(m.groups ?? {});
    found.push({ start: offset + m.index, end: offset + m.index + m[0].length, kind, perDay });
  }
  return found;
}

/** Index (into `mentions`, from `from` to `to`) of the mention closest to a span; ties go to the earlier one. */
function nearestMention(span: Located, mentions: readonly DrugMention[], from: number, to: number): number {
  let best = from;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let i = from; i < to; i += 1) {
    const mention = mentions[i];
    if (mention === undefined) continue;
    const gap = span.start >= mention.end ? span.start - mention.end : Math.max(0, mention.start - span.end);
    if (gap < bestGap) {
      bestGap = gap;
      best = i;
    }
  }
  return best;
}

/**
 * What one sentence says about one drug, folded as its amounts and schedules are attributed to it
 * (running maxima and minima rather than lists: this runs for every sentence naming a drug).
 */
class DrugTally {
  /** Amounts of the dimension stated first; mixing mg and units for one drug in a sentence is not summed. */
  private dimension: Dimension | null = null;
  private maxDose = Number.NEGATIVE_INFINITY;
  private maxTotal = Number.NEGATIVE_INFINITY;
  private minCap = Number.POSITIVE_INFINITY;
  private hasDose = false;
  private hasTotal = false;
  private hasCap = false;
  private maxPerDay = Number.NEGATIVE_INFINITY;
  private hasCount = false;
  private hasWeekly = false;
  private hasDaily = false;
  private start: number;
  private end: number;

  /** `start` and `end`: the drug's first mention in the sentence. */
  constructor(
    readonly drug: string,
    start: number,
    end: number,
  ) {
    this.start = start;
    this.end = end;
  }

  addAmount(amount: SentenceAmount): void {
    this.dimension ??= amount.dimension;
    if (amount.dimension !== this.dimension) return;
    if (amount.role === "dose") {
      this.maxDose = Math.max(this.maxDose, amount.base);
      this.hasDose = true;
    } else if (amount.role === "total") {
      this.maxTotal = Math.max(this.maxTotal, amount.base);
      this.hasTotal = true;
    } else {
      this.minCap = Math.min(this.minCap, amount.base);
      this.hasCap = true;
    }
    this.start = Math.min(this.start, amount.start);
    this.end = Math.max(this.end, amount.end);
  }

  addFrequency(frequency: SentenceFrequency): void {
    if (frequency.kind === "count") {
      this.maxPerDay = Math.max(this.maxPerDay, frequency.perDay);
      this.hasCount = true;
      if (frequency.perDay >= 1) this.hasDaily = true;
    } else if (frequency.kind === "weekly") this.hasWeekly = true;
    else this.hasDaily = true;
  }

  /** Counts ("every 4 hours") multiply the largest single dose; a stated daily total or cap bounds it. */
  summary(): DoseMention | null {
    const schedule = this.hasWeekly ? "weekly" : this.hasDaily ? "daily" : "unspecified";
    const perDay = this.hasCount ? this.maxPerDay : this.hasWeekly ? 1 / 7 : 1;
    const stated = Math.max(this.hasDose ? this.maxDose * perDay : Number.NEGATIVE_INFINITY, this.maxTotal);
    const cap = this.hasCap ? this.minCap : null;
    const dailyAmount =
      this.hasDose || this.hasTotal ? Math.min(stated, cap ?? Number.POSITIVE_INFINITY) : cap;
    if (dailyAmount === null && schedule === "unspecified") return null;
    return {
      drug: this.drug,
      start: this.start,
      end: this.end,
      dimension: this.dimension ?? "mass",
      dailyAmount,
      schedule,
    };
  }
}

function tallyOf(tallies: readonly DrugTally[], drug: string | undefined): DrugTally | undefined {
  for (const tally of tallies) if (tally.drug === drug) return tally;
  return undefined;
}

/**
 * Attributes each amount and schedule of the sentence [start, end) to its nearest drug mention
 * (`mentions[from..to)`), then sums up per drug. A drug named twice ("acetaminophen (Tylenol)")
 * pools its amounts and schedules.
 */
function dosesInSentence(
  text: string,
  start: number,
  end: number,
  mentions: readonly DrugMention[],
  from: number,
  to: number,
  doses: DoseMention[],
): void {
  const sentence = text.slice(start, end);
  // Tallies in order of each drug's first mention; a sentence rarely names more than two drugs.
  const tallies: DrugTally[] = [];
  for (let i = from; i < to; i += 1) {
    const mention = mentions[i];
    if (mention !== undefined && tallyOf(tallies, mention.drug) === undefined)
      tallies.push(new DrugTally(mention.drug, mention.start, mention.end));
  }
  for (const amount of amountsIn(sentence, start))
    tallyOf(tallies, mentions[nearestMention(amount, mentions, from, to)]?.drug)?.addAmount(amount);
  for (const frequency of frequenciesIn(sentence, start))
    tallyOf(tallies, mentions[nearestMention(frequency, mentions, from, to)]?.drug)?.addFrequency(frequency);
  for (const tally of tallies) {
    const dose = tally.summary();
    if (dose !== null) doses.push(dose);
  }
}

/**
 * Medication doses stated in a text, normalised to a daily amount. Within a sentence each amount and
 * each schedule is attributed to the nearest drug name; an amount followed by "per day" is a daily
 * total, one preceded by "up to" / "not exceeding" is a cap, one preceded by "more than" is a warning
 * threshold and ignored. Never throws; cost is linear in the text (sentences are bounded).
 * `lower` is the text in lower case when the caller already has it.
 */
export function extractDoses(text: string, lexicon: DrugLexicon, lower?: string): DoseMention[] {
  const mentions = findDrugMentions(text, lexicon, lower);
  const doses: DoseMention[] = [];
  let i = 0;
  while (i < mentions.length) {
    const first = mentions[i];
    if (first === undefined) break;
    const sentence = sentenceAround(text, first.start);
    let j = i;
    while (j < mentions.length && (mentions[j]?.start ?? Number.POSITIVE_INFINITY) < sentence.end) j += 1;
    dosesInSentence(text, sentence.start, sentence.end, mentions, i, j, doses);
    i = Math.max(j, i + 1);
  }
  return doses;
}

interface DrugLimit {
  maxBase: number | null;
  dimension: Dimension;
  display: { value: number; unit: AmountUnit };
  weeklyOnly: boolean;
}

function formatAmount(base: number, unit: AmountUnit): string {
  const value = base / UNIT_SCALE[unit].toBase;
  return `${Number.isInteger(value) ? value : value.toFixed(2).replace(/\.?0+$/, "")} ${unit}`;
}

export function compileDoseRule(rule: RuleOfKind<"dose_limit">, meta: RuleMeta): CompiledRule {
  const limits = new Map<string, DrugLimit>();
  for (const [drug, limit] of Object.entries(rule.drugs)) {
    const max = limit.max_daily;
    limits.set(drug, {
      maxBase: max === undefined ? null : max.value * UNIT_SCALE[max.unit].toBase,
      dimension: max === undefined ? "mass" : UNIT_SCALE[max.unit].dimension,
      display: max ?? { value: 0, unit: "mg" },
      weeklyOnly: limit.weekly_only,
    });
  }
  const lexicon = buildLexicon(limits.keys(), rule.aliases);
  return {
    meta,
    evaluate(view, out) {
      for (const segment of view.segments(rule.target)) {
        for (const dose of extractDoses(segment.text, lexicon, segment.lower)) {
          const limit = limits.get(dose.drug);
          if (limit === undefined) continue;
          const evidence = textEvidence(segment.field, segment.text, dose.start, dose.end);
          if (limit.weeklyOnly && dose.schedule === "daily") {
            out.push(
              makeIssue(
                meta,
                `${meta.message}: ${dose.drug} dosed daily; standard dosing is once weekly`,
                evidence,
              ),
            );
          } else if (
            limit.maxBase !== null &&
            dose.dailyAmount !== null &&
            dose.dimension === limit.dimension &&
            dose.dailyAmount > limit.maxBase * (1 + 1e-9)
          ) {
            const unit = limit.display.unit;
            out.push(
              makeIssue(
                meta,
                `${meta.message}: ${dose.drug} ${formatAmount(dose.dailyAmount, unit)}/day exceeds the maximum of ${formatAmount(limit.maxBase, unit)}/day`,
                evidence,
              ),
            );
          }
        }
      }
    },
  };
}
