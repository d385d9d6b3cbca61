import type { CompiledRule } from "../compiled";
import { makeIssue, textEvidence } from "../issue";
import { NUMBER_WORDS } from "../number-words";
import type { AmountUnit, RuleOfKind } from "../pack-schema";
import { compilePackRegex, type RuleErrors } from "../regex-tools";
import type { TraceView } from "../trace-view";
import type { Evidence, RuleMeta } from "../types";
import { buildLexicon, type DrugLexicon, type DrugMention, findDrugMentions } from "./drugs";

/** Mass is compared in mg; "units" (insulin, IU) only with units; a weight-based dose in mg per kg. */
type Dimension = "mass" | "units" | "per_kg";

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
  /** Normalised daily amount in mg (mass), units, or mg/kg; null when the text gives no amount for a schedule. */
  dailyAmount: number | null;
  /** "daily": a per-day schedule or total; "weekly": a weekly one; "unspecified": a single amount. */
  schedule: "daily" | "weekly" | "unspecified";
  /** Whether the daily amount is read whole: an amount with its schedule, a daily total or a cap. */
  complete: boolean;
  /** The largest single dose and the most doses a day the sentence gives, for joining sentences. */
  perDose: number | null;
  perDay: number | null;
  cap: number | null;
  /** The name the drug was given under (a brand, or the drug's own name). */
  product: string;
  /** An amount the text gives that could not be read (tablets of an unknown strength): never joined. */
  unreadable: boolean;
  /** Said in a sentence that warns against it or refuses it ("don't switch to daily"): not advice. */
  negated: boolean;
  /** Named, with no amount, in a sentence about what products contain ("Percocet also contains it"). */
  aboutContents: boolean;
}

/** Counts in words, and how often ("twice" a day). */
const COUNT_WORDS: Readonly<Record<string, number>> = { ...NUMBER_WORDS, once: 1, twice: 2, thrice: 3 };

function countValue(token: string): number {
  return COUNT_WORDS[token.toLowerCase()] ?? Number(token);
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
/** What follows an amount that makes it a concentration or a weight-based dose, not a dose. */
const NOT_A_DOSE_AFTER =
  "(?![\\w/]|\\s{0,2}(?:\\/|per|in|each)\\s{0,2}(?:\\d{1,4}\\s{0,2})?(?:kg|m2|ml|mls|millilit))";
/** An amount or a range ("500-1000 mg": the upper bound counts). */
const AMOUNT = new RegExp(
  `${NUMBER}(?:\\s{0,2}(?:-|–|to)\\s{0,2}${NUMBER})?\\s{0,2}(mg|milligrams?|mcg|µg|μg|ug|micrograms?|gm|grams?|g|units?|iu)${NOT_A_DOSE_AFTER}`,
  "gi",
);
/** A weight-based dose: "15 mg/kg", "10-15 mg per kg". */
const PER_KG =
  /(\d{1,3}(?:\.\d{1,2})?)(?:\s{0,2}(?:-|–|to)\s{0,2}(\d{1,3}(?:\.\d{1,2})?))?\s{0,2}mg\s{0,2}(?:\/|per)\s{0,2}kg\b/gi;
/** A liquid's strength: "160 mg/5 mL", "100mg per 5ml", "250 mg in 5 mL", "40 mg/mL". */
const CONCENTRATION =
  /(\d{1,4}(?:\.\d{1,2})?)\s{0,2}mg\s{0,2}(?:\/|per|in|each)\s{0,2}(\d{1,3}(?:\.\d{1,2})?)?\s{0,2}(?:ml|mls|millilit(?:er|re)s?)\b/gi;
/** A volume to give: "10 mL", "7.5 ml"; not a glass of water. */
const VOLUME =
  /(?<![\w/.])(\d{1,3}(?:\.\d{1,2})?)(?:\s{0,2}(?:-|–|to|or)\s{0,2}(\d{1,3}(?:\.\d{1,2})?))?\s{0,2}(?:ml|mls|millilit(?:er|re)s?)\b(?!\s{0,2}(?:\/|per)\s{0,2}(?:kg|hour|hr|h)\b)(?!\s{0,3}(?:of\s{1,3})?(?:plain\s{1,3}|cold\s{1,3}|warm\s{1,3})?(?:water|milk|juice|fluid))/gi;
/** Whole tablets (or the like) to take, with no amount of their own: "2 of them", "two caplets". */
const COUNTED_UNITS =
  /\b(\d{1,2}|one|two|three|four|five|six|eight|ten)(?:\s{0,2}(?:-|–|to|or)\s{0,2}(\d{1,2}|two|three|four))?\s{1,3}(?:more\s{1,3})?(?:of\s{1,3}(?:them|those|these|the\s{1,3}(?:tablets|pills|caplets|capsules))|(?:extra[- ]strength\s{1,3}|adult\s{1,3}|regular\s{1,3})?(?:tablets?|tabs?|caplets?|capsules?|caps|pills?|softgels?|gel\s?caps?|sachets?|lozenges?|chewables?))\b/gi;
/** A bare count of whatever the sentence is about: "ibuprofen 600 mg: take 2 four times a day". */
const BARE_COUNT =
  /\b(?:take|give|swallow|have)\s{1,3}(\d|one|two|three|four)\b(?!\s{0,2}(?:mg|mcg|g\b|gm|grams?|ml|mls|units?|iu|x\b|×|times|hours?|hrs?|h\b|minutes?|mins?|days?|weeks?|months?|years?|doses?|puffs?|drops?|sprays?|%|\/|-|–|to\b|or\b|of\b|more\b|\d|[.,]\d))/gi;
/** "two 500 mg tablets", "2 x 500 mg": how many units make one dose. */
const COUNT_BEFORE =
  /(?:\b(\d|one|two|three|four|five|six)\s{0,2}[x×]\s{0,2}|\b(one|two|three|four|five|six|[1-6])\s{1,3}of\s{1,3}(?:the|your|those|these|my)\s{1,3}|\b(one|two|three|four|[1-4])\s{1,2})$/i;
const DOSAGE_FORM_AFTER = /^\s{0,2}(?:tablets?|tabs?|caplets?|capsules?|caps|pills?|softgels?)\b/i;
/** The amount is a ceiling the text sets ("up to 3 g a day", "not exceeding 4 g per day"). */
const CAP_BEFORE =
  /(?:up\s{1,3}to|no\s{1,3}more\s{1,3}than|not\s{1,3}(?:to\s{1,3})?exceed(?:ing)?|(?:never|do\s{1,3}not|don't)\s{1,3}exceed|maximum(?:\s{1,3}of)?|max\.?|at\s{1,3}most|limit(?:\s{1,3}(?:of|to))?|a\s{1,3}total\s{1,3}of|total\s{1,3}of)\s{0,3}(?:\d{1,2}\s{1,3}\w{1,12}\s{0,2}\(\s{0,2})?$/i;
/** The amount is a threshold being warned about ("more than 4 g a day can damage the liver"). */
const WARNING_BEFORE =
  /(?:more\s{1,3}than|exceed(?:s|ing)?|over|above|in\s{1,3}excess\s{1,3}of|beyond|greater\s{1,3}than|higher\s{1,3}than|>)\s{0,3}$/i;
/** Right after an amount: it is a daily total ("6 g per day"), not an amount per dose. */
const DAILY_AFTER =
  /^\s{0,2}(?:\([^()]{1,30}\)\s{0,2})?\)?\s{0,2}(?:\*{0,2}\s{0,2}(?:in\s{1,3})?total\b|\/\s{0,2}day|per\s{1,3}day|a\s{1,3}day|daily|each\s{1,3}day|every\s{1,3}day|(?:in|per|every|within)\s{1,3}(?:any\s{1,3})?24\s{0,2}(?:hours|hrs|h)\b|in\s{1,3}a\s{1,3}day)/i;

/** An amount restating a daily total just given: "12 tablets a day, or 3,900 mg", "4 doses in 24 hours (560 mg". */
const TOTAL_BEFORE =
  /(?:\b(?:a|per|each)\s{1,3}day|\b24\s{0,2}(?:hours|hrs|h))\*{0,2}\s{0,2}[,(]?\s{0,2}(?:or|i\.e\.|=|that's|which\s{1,3}is)?\s{0,3}(?:about\s{1,3}|up\s{1,3}to\s{1,3})?\*{0,2}$/i;
/**
 * `/X$/` tested as `/$(?<=X)/`: the same answer (X ends at the end of the text), found by matching X
 * backwards from the end once instead of trying it from every position. For `test` only: what a
 * match captures may differ.
 */
function testedFromTheEnd(regex: RegExp): RegExp {
  const { source } = regex;
  if (!source.endsWith("$") || source.endsWith("\\$"))
    throw new Error(`not an end-anchored regex: ${source}`);
  return new RegExp(`$(?<=${source.slice(0, -1)})`, regex.flags);
}

// Measured on the bench's texts: faster from the end for these two (CAP_BEFORE and TOTAL_BEFORE,
// whose first characters are rarer, are faster as they are).
const WARNING_AT_END = testedFromTheEnd(WARNING_BEFORE);
/** Whether COUNT_BEFORE matches at all, before it is run for what it captures. */
const COUNT_AT_END = testedFromTheEnd(COUNT_BEFORE);

/** The end-anchored regexes the rule tests from the end, and those forms, for the property tests. */
export const END_ANCHORED_FORMS: readonly (readonly [RegExp, RegExp])[] = [
  [WARNING_BEFORE, WARNING_AT_END],
  [COUNT_BEFORE, COUNT_AT_END],
];

/** Right after an amount: it is what one tablet holds ("325 mg in every tablet", "500 mg each"). */
const UNIT_STRENGTH_AFTER =
  /^\s{0,2}(?:in\s{1,3}(?:every|each|one|a)\s{1,3}|per\s{1,3}|a\s{1,3})(?:tablet|caplet|capsule|pill|sachet)\b/i;

type FrequencyKind = "count" | "daily" | "weekly";

const NUMBER_WORD = "\\d{1,2}|one|once|two|twice|three|thrice|four|five|six|seven|eight|ten|twelve";
const TIMES_PER_DAY = `(?:\\/\\s{0,2}d(?:ay)?\\b|(?:a|an|per|each|every)\\s{1,3}day\\b|daily\\b|(?:in|per|every|each|within)\\s{1,3}(?:a\\s{1,3}|any\\s{1,3})?24\\s{0,2}(?:hours|hrs|h)\\b)`;

/**
 * Dosing schedules, one alternative per named group, scanned in a single pass. Counts ("every 4
 * hours", "tid") outrank a bare "daily" or "weekly". The word alternatives share one leading `\b`;
 * "/day" and "/week" start with "/", so no word alternative can match where they do.
 */
const FREQUENCY = new RegExp(
  [
    `\\b(?:${[
      // every 4 hours, every 4-6 hours, q4h, q 6 h: the shorter interval gives the most doses.
      "(?:every|q)\\s{0,3}(?<hours>\\d{1,2}(?:\\.\\d{1,2})?)(?:\\s{0,2}(?:-|–|to|or)\\s{0,2}\\d{1,2})?\\s{0,2}(?:hours?|hrs?|h)\\b",
      "(?<hourly>every\\s{1,3}hour|hourly|every\\s{1,3}(?:half|30\\s{0,2}min\\w{0,5}))\\b",
      "(?<couple>every\\s{1,3}(?:couple\\s{1,3}(?:of\\s{1,3})?|two\\s{1,3})hours)\\b",
      "(?<few>every\\s{1,3}few\\s{1,3}hours)\\b",
      `(?<times>${NUMBER_WORD})\\s{0,2}(?:x|×|times|doses|tablets|caplets|capsules|sachets|pills)?\\s{0,3}${TIMES_PER_DAY}`,
      "(?<code>b\\.?i\\.?d|t\\.?i\\.?d|q\\.?i\\.?d|q\\.?d|q\\.?h\\.?s|bd|tds|qds|od|q\\.?am|q\\.?pm|mane|nocte)\\b\\.?",
      "(?<otherDay>every\\s{1,3}other\\s{1,3}day)\\b",
      "every\\s{1,3}(?<days>\\d{1,2})\\s{1,3}days\\b",
      "(?<weekly>weekly|once\\s{1,3}(?:a|per|every)\\s{1,3}week|(?:per|a|each|every)\\s{1,3}week|every\\s{1,3}(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|on\\s{1,3}(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays))\\b",
      "(?<daily>daily|(?<!\\b(?:within|for|after|than|in|of)\\s{1,3})a\\s{1,3}day(?!\\s{1,3}or\\s{1,3}(?:two|so))|per\\s{1,3}day|each\\s{1,3}day|every\\s{1,3}(?:day|morning|evening|night)|nightly|at\\s{1,3}bedtime|(?:in|per)\\s{1,3}24\\s{0,2}hours)\\b",
    ].join("|")})`,
    "(?<perWeek>\\/\\s{0,2}(?:week|wk))\\b",
    "(?<perDay>\\/\\s{0,2}day)\\b",
  ].join("|"),
  "gi",
);

const CODE_PER_DAY: Readonly<Record<string, number>> = {
  bid: 2,
  bd: 2,
  tid: 3,
  tds: 3,
  qid: 4,
  qds: 4,
  qd: 1,
  od: 1,
  qhs: 1,
  qam: 1,
  qpm: 1,
  mane: 1,
  nocte: 1,
};

/**
 * FREQUENCY with its group names dropped, so that a match builds no `groups` object (this runs for
 * every schedule of every sentence naming a drug): the same matches, the groups read by number.
 */
const FREQUENCY_GROUP_NAMES: readonly string[] = [...FREQUENCY.source.matchAll(/\(\?<([A-Za-z]\w*)>/g)].map(
  (m) => m[1] ?? "",
);
if (/(?<!\\)\((?!\?)/.test(FREQUENCY.source)) throw new Error("FREQUENCY has unnamed groups");
const FREQUENCY_NUMBERED = new RegExp(FREQUENCY.source.replace(/\(\?<[A-Za-z]\w*>/g, "("), FREQUENCY.flags);

function groupNumber(name: string): number {
  const i = FREQUENCY_GROUP_NAMES.indexOf(name);
  if (i < 0) throw new Error(`FREQUENCY has no group ${name}`);
  return i + 1;
}

const HOURS = groupNumber("hours");
const HOURLY = groupNumber("hourly");
const COUPLE = groupNumber("couple");
const FEW = groupNumber("few");
const TIMES = groupNumber("times");
const CODE = groupNumber("code");
const OTHER_DAY = groupNumber("otherDay");
const DAYS = groupNumber("days");
const WEEKLY = groupNumber("weekly");
const PER_WEEK = groupNumber("perWeek");

/** FREQUENCY and its numbered form with the group names in order, for the property tests. */
export const FREQUENCY_FORMS = {
  named: FREQUENCY,
  numbered: FREQUENCY_NUMBERED,
  names: FREQUENCY_GROUP_NAMES,
} as const;

/** The schedule a match of FREQUENCY_NUMBERED gives. */
function frequencyOf(m: RegExpExecArray): {
  kind: FrequencyKind;
  perDay: number;
} {
  const hours = m[HOURS];
  if (hours !== undefined) return { kind: "count", perDay: 24 / Math.max(Number(hours), 0.5) };
  if (m[HOURLY] !== undefined) return { kind: "count", perDay: 24 };
  if (m[COUPLE] !== undefined) return { kind: "count", perDay: 12 };
  if (m[FEW] !== undefined) return { kind: "count", perDay: 8 };
  const times = m[TIMES];
  if (times !== undefined) return { kind: "count", perDay: countValue(times) };
  const code = m[CODE];
  if (code !== undefined) {
    return { kind: "count", perDay: CODE_PER_DAY[code.replace(/\./g, "").toLowerCase()] ?? 1 };
  }
  if (m[OTHER_DAY] !== undefined) return { kind: "count", perDay: 0.5 };
  const days = m[DAYS];
  if (days !== undefined) return { kind: "count", perDay: 1 / Math.max(Number(days), 1) };
  if (m[WEEKLY] !== undefined || m[PER_WEEK] !== undefined) return { kind: "weekly", perDay: 1 / 7 };
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
  /** Read with a count of units in front ("two 500 mg tablets"): a dose of its own, not a unit strength. */
  counted: boolean;
}

interface SentenceFrequency extends Located {
  kind: FrequencyKind;
  perDay: number;
}

export const MAX_SENTENCE_SIDE = 400;

/**
 * Whether a sentence ends at `i`: a line break or ";", or ".", "!" or "?" before a space, a line
 * break, a tab or the end. (The reference definition; `boundariesOf` finds the same positions.)
 */
export function isBoundary(text: string, i: number): boolean {
  const ch = text[i];
  if (ch === "\n" || ch === ";") return true;
  if (ch !== "." && ch !== "!" && ch !== "?") return false;
  const next = text[i + 1];
  return next === undefined || next === " " || next === "\n" || next === "\t";
}

/** Every position where isBoundary holds, found in one regex scan. */
const BOUNDARY = /[\n;]|[.!?](?=[ \n\t]|$)/g;

interface SentenceIndex {
  text: string;
  /** The positions where isBoundary holds, in order. */
  bounds: readonly number[];
  sentences: readonly Located[] | undefined;
}

/**
 * The last few texts' boundaries and sentences: one evaluation reads the answer, the question and the
 * medication list, the answer more than once. Keyed by content, so a hit is always the same answer.
 */
const recentTexts: SentenceIndex[] = [];
const RECENT_TEXTS = 4;

function sentenceIndexOf(text: string): SentenceIndex {
  for (const entry of recentTexts) if (entry.text === text) return entry;
  const bounds: number[] = [];
  BOUNDARY.lastIndex = 0;
  for (let m = BOUNDARY.exec(text); m !== null; m = BOUNDARY.exec(text)) bounds.push(m.index);
  const entry: SentenceIndex = { text, bounds, sentences: undefined };
  if (recentTexts.length >= RECENT_TEXTS) recentTexts.shift();
  recentTexts.push(entry);
  return entry;
}

/** The positions where isBoundary holds in the text, in order. */
export function boundariesOf(text: string): readonly number[] {
  return sentenceIndexOf(text).bounds;
}

/**
 * The sentence around `at`, bounded so a text without punctuation is not scanned end to end per drug:
 * from after the last boundary before `at` (at most MAX_SENTENCE_SIDE back) to the first boundary at
 * or after it (at most MAX_SENTENCE_SIDE on). (The tests hold it to a walk character by character.)
 */
export function sentenceAround(text: string, at: number): Located {
  const bounds = boundariesOf(text);
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bounds[mid] ?? 0) < at) lo = mid + 1;
    else hi = mid;
  }
  const before = lo > 0 ? (bounds[lo - 1] ?? -1) : -1;
  const after = lo < bounds.length ? (bounds[lo] ?? text.length) : text.length;
  return {
    start: Math.max(0, at - MAX_SENTENCE_SIDE, before + 1),
    end: Math.min(text.length, at + MAX_SENTENCE_SIDE, after),
  };
}

/** The text's sentences in order (bounded in length like sentenceAround). Callers never modify them. */
export function sentences(text: string): readonly Located[] {
  const entry = sentenceIndexOf(text);
  entry.sentences ??= splitSentences(text, entry.bounds);
  return entry.sentences;
}

/**
 * The sentences from the boundaries: a sentence ends at each boundary (which belongs to
 * neither side) and, within a run of 2 * MAX_SENTENCE_SIDE characters without one, at the character
 * that completes the run (dropped like a boundary).
 */
function splitSentences(text: string, bounds: readonly number[]): Located[] {
  const out: Located[] = [];
  const longest = 2 * MAX_SENTENCE_SIDE;
  let start = 0;
  for (let k = 0; k <= bounds.length; k += 1) {
    const stop = k < bounds.length ? (bounds[k] ?? text.length) : text.length;
    while (stop - start >= longest) {
      out.push({ start, end: start + longest });
      start += longest + 1;
    }
    if (stop > start) out.push({ start, end: stop });
    start = stop + 1;
  }
  return out;
}

function parseNumber(token: string | undefined): number {
  return token === undefined ? Number.NaN : Number(token.replace(/,/g, ""));
}

/** Amounts in mg (or units) in the sentence, located in the text (`offset`: where the sentence starts). */
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
    const isTotal = DAILY_AFTER.test(after) || TOTAL_BEFORE.test(before);
    let role: AmountRole = isTotal ? "total" : "dose";
    if (CAP_BEFORE.test(before)) role = isTotal ? "cap" : "dose";
    else if (WARNING_AT_END.test(before)) continue;
    const count = COUNT_AT_END.test(before) ? COUNT_BEFORE.exec(before) : null;
    const counted =
      count !== null && (count[1] !== undefined || count[2] !== undefined || DOSAGE_FORM_AFTER.test(after));
    const units = counted ? countValue(count?.[1] ?? count?.[2] ?? count?.[3] ?? "1") : 1;
    // "325 mg in every tablet", "500 mg per caplet": what one unit holds, not a dose.
    if (!counted && UNIT_STRENGTH_AFTER.test(after)) continue;
    const scale = UNIT_SCALE[unit];
    amounts.push({
      start: offset + m.index,
      end: offset + end,
      role,
      base: value * scale.toBase * units,
      dimension: scale.dimension,
      counted,
    });
  }
  if (!/kg/i.test(sentence)) return amounts;
  PER_KG.lastIndex = 0;
  for (let m = PER_KG.exec(sentence); m !== null; m = PER_KG.exec(sentence)) {
    const value = Math.max(parseNumber(m[1]), m[2] === undefined ? 0 : parseNumber(m[2]));
    const end = m.index + m[0].length;
    const before = sentence.slice(Math.max(0, m.index - 40), m.index);
    if (WARNING_AT_END.test(before)) continue;
    const role: AmountRole = DAILY_AFTER.test(sentence.slice(end, end + 40))
      ? CAP_BEFORE.test(before)
        ? "cap"
        : "total"
      : "dose";
    amounts.push({
      start: offset + m.index,
      end: offset + end,
      role,
      base: value,
      dimension: "per_kg",
      counted: true,
    });
  }
  return amounts;
}

/** mg per mL of the first liquid strength in the text, if any ("160 mg/5 mL" → 32). */
export function concentrationIn(text: string): number | undefined {
  CONCENTRATION.lastIndex = 0;
  const m = CONCENTRATION.exec(text);
  if (m === null) return undefined;
  const volume = m[2] === undefined ? 1 : parseNumber(m[2]);
  const mg = parseNumber(m[1]);
  return volume > 0 && Number.isFinite(mg) ? mg / volume : undefined;
}

/** Volumes to give, as amounts in mg at the liquid's strength; without a strength, their count. */
function volumesIn(sentence: string, offset: number, mgPerMl: number | undefined): SentenceAmount[] {
  const found: SentenceAmount[] = [];
  VOLUME.lastIndex = 0;
  for (let m = VOLUME.exec(sentence); m !== null; m = VOLUME.exec(sentence)) {
    const before = sentence.slice(Math.max(0, m.index - 40), m.index);
    // "160 mg/5 mL" is a strength, read by concentrationIn.
    if (/(?:mg|\d)\s{0,2}(?:\/|per|in|each)\s{0,2}$/i.test(before)) continue;
    if (WARNING_AT_END.test(before)) continue;
    const volume = Math.max(parseNumber(m[1]), m[2] === undefined ? 0 : parseNumber(m[2]));
    const end = m.index + m[0].length;
    const isTotal = DAILY_AFTER.test(sentence.slice(end, end + 40));
    found.push({
      start: offset + m.index,
      end: offset + end,
      role: isTotal ? (CAP_BEFORE.test(before) ? "cap" : "total") : "dose",
      base: mgPerMl === undefined ? Number.NaN : volume * mgPerMl,
      dimension: "mass",
      counted: true,
    });
  }
  return found;
}

interface CountedUnits extends Located {
  count: number;
  /** "up to 6 tablets in 24 hours": a daily ceiling counted in units. */
  perDay: boolean;
  cap: boolean;
}

function countedUnitsIn(sentence: string, offset: number): CountedUnits[] {
  const found: CountedUnits[] = [];
  BARE_COUNT.lastIndex = 0;
  for (let m = BARE_COUNT.exec(sentence); m !== null; m = BARE_COUNT.exec(sentence)) {
    const start = m.index + m[0].length - (m[1] ?? "").length;
    found.push({
      start: offset + start,
      end: offset + m.index + m[0].length,
      count: countValue(m[1] ?? "1"),
      perDay: false,
      cap: false,
    });
  }
  COUNTED_UNITS.lastIndex = 0;
  for (let m = COUNTED_UNITS.exec(sentence); m !== null; m = COUNTED_UNITS.exec(sentence)) {
    const count = Math.max(countValue(m[1] ?? "1"), m[2] === undefined ? 0 : countValue(m[2]));
    const end = m.index + m[0].length;
    const before = sentence.slice(Math.max(0, m.index - 40), m.index);
    if (WARNING_AT_END.test(before)) continue;
    found.push({
      start: offset + m.index,
      end: offset + end,
      count,
      perDay: DAILY_AFTER.test(sentence.slice(end, end + 40)),
      cap: CAP_BEFORE.test(before),
    });
  }
  return found;
}

/** Schedules in the sentence, located in the text (`offset`: where the sentence starts). */
function frequenciesIn(sentence: string, offset: number): SentenceFrequency[] {
  const found: SentenceFrequency[] = [];
  FREQUENCY_NUMBERED.lastIndex = 0;
  for (let m = FREQUENCY_NUMBERED.exec(sentence); m !== null; m = FREQUENCY_NUMBERED.exec(sentence)) {
    const { kind, perDay } = frequencyOf(m);
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
  /** An amount the text gives but that could not be read in mg (a volume of a liquid of unknown strength). */
  unreadable = false;
  private maxPerDay = Number.NEGATIVE_INFINITY;
  private hasCount = false;
  private hasWeekly = false;
  private hasDaily = false;
  private start: number;
  private end: number;

  /** `start` and `end`: the drug's first mention in the sentence. */
  constructor(
    readonly drug: string,
    public product: string,
    start: number,
    end: number,
  ) {
    this.start = start;
    this.end = end;
  }

  addAmount(amount: SentenceAmount): void {
    if (!Number.isFinite(amount.base)) {
      this.unreadable = true;
      return;
    }
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
    // The schedule is part of the evidence: "1000 mg" alone is no overdose.
    if (this.hasAmount) {
      this.start = Math.min(this.start, frequency.start);
      this.end = Math.max(this.end, frequency.end);
    }
    if (frequency.kind === "count") {
      this.maxPerDay = Math.max(this.maxPerDay, frequency.perDay);
      this.hasCount = true;
      if (frequency.perDay >= 1) this.hasDaily = true;
    } else if (frequency.kind === "weekly") this.hasWeekly = true;
    else this.hasDaily = true;
  }

  get hasAmount(): boolean {
    return this.hasDose || this.hasTotal || this.hasCap || this.unreadable;
  }

  /** Counts ("every 4 hours") multiply the largest single dose; a stated daily total or cap bounds it. */
  summary(cues: SentenceCues): DoseMention | null {
    const schedule = this.hasWeekly ? "weekly" : this.hasDaily ? "daily" : "unspecified";
    const perDay = this.hasCount ? this.maxPerDay : this.hasWeekly ? 1 / 7 : 1;
    const stated = Math.max(this.hasDose ? this.maxDose * perDay : Number.NEGATIVE_INFINITY, this.maxTotal);
    const cap = this.hasCap ? this.minCap : null;
    const dailyAmount =
      this.hasDose || this.hasTotal ? Math.min(stated, cap ?? Number.POSITIVE_INFINITY) : cap;
    if (dailyAmount === null && schedule === "unspecified" && !this.unreadable) return null;
    const complete =
      !this.unreadable &&
      dailyAmount !== null &&
      (schedule !== "unspecified" || this.hasTotal || this.hasCap || cues.oneOff);
    return {
      drug: this.drug,
      start: this.start,
      end: this.end,
      dimension: this.dimension ?? "mass",
      dailyAmount,
      schedule,
      complete,
      perDose: this.hasDose ? this.maxDose : null,
      perDay: this.hasCount ? this.maxPerDay : null,
      cap: this.hasCap ? this.minCap : this.hasTotal ? this.maxTotal : null,
      product: this.product,
      unreadable: this.unreadable,
      negated: cues.negated,
      aboutContents: !this.hasAmount && cues.aboutContents,
    };
  }
}

/**
 * What a sentence says as a whole, for every drug it names, tested only once a tally's summary
 * depends on it (most doses have a schedule, so whether they are one-off does not matter).
 */
class SentenceCues {
  private oneOffFound: boolean | undefined;
  private aboutContentsFound: boolean | undefined;
  private negatedFound: boolean | undefined;

  constructor(private readonly sentence: string) {}

  /** A one-off instruction ("chew one 300 mg aspirin now"): its single dose is the day's amount. */
  get oneOff(): boolean {
    this.oneOffFound ??= ONE_OFF.test(this.sentence);
    return this.oneOffFound;
  }

  /** The sentence warns against or refuses what it doses. */
  get negated(): boolean {
    this.negatedFound ??= NEGATED.test(this.sentence);
    return this.negatedFound;
  }

  /** The sentence tells what products contain. */
  get aboutContents(): boolean {
    this.aboutContentsFound ??= ABOUT_CONTENTS.test(this.sentence);
    return this.aboutContentsFound;
  }
}

/** The name a mention gives the product, in lower case with single spaces. */
function productName(text: string, mention: DrugMention): string {
  const name = text.slice(mention.start, mention.end).toLowerCase();
  // Replacing whitespace runs changes nothing in a name without whitespace (the usual one word).
  return (HAS_SPACE.test(name) ? name.replace(/\s+/g, " ") : name) || mention.drug;
}

const HAS_SPACE = /\s/;

/**
 * The tally of a mention: one per product, where the drug's own name joins any product of it
 * ("acetaminophen (Tylenol)" is one), and two brands of it ("Panadol Extra ... and Night Nurse")
 * are two, so that their amounts can be added up.
 */
function tallyOf(
  tallies: readonly DrugTally[],
  drug: string | undefined,
  product?: string,
): DrugTally | undefined {
  for (const tally of tallies)
    if (
      tally.drug === drug &&
      (product === undefined || tally.product === product || tally.product === drug || product === drug)
    )
      return tally;
  return undefined;
}

/**
 * The tally that owns a span: the one of the mention nearest to it. A module-level function rather
 * than a closure per sentence (closures are costly to create in the hot path).
 */
function ownerOf(
  span: Located,
  text: string,
  mentions: readonly DrugMention[],
  from: number,
  to: number,
  tallies: readonly DrugTally[],
  productOf: ReadonlyMap<DrugMention, string>,
): DrugTally | undefined {
  const mention = mentions[nearestMention(span, mentions, from, to)];
  return mention === undefined
    ? undefined
    : tallyOf(tallies, mention.drug, productOf.get(mention) ?? productName(text, mention));
}

/** What the rest of the trace tells about the doses in a text. */
export interface DoseContext {
  /** The drug a sentence that names none is about (the one the question, or the last sentence, named). */
  defaultDrug?: string;
  /** mg per tablet (or like unit) of drugs, as the trace states them ("Tylenol 500 mg"). */
  strengths?: ReadonlyMap<string, number>;
  /** mg per mL of the liquid the trace talks about. */
  mgPerMl?: number;
}

/**
 * Attributes each amount and schedule of the sentence [start, end) to its nearest drug mention
 * (`mentions[from..to)`), then sums up per drug. A drug named twice ("acetaminophen (Tylenol)")
 * pools its amounts and schedules. Tablets counted without an amount are the drug's strength times
 * the count; volumes are mg at the liquid's strength.
 */
function dosesInSentence(
  text: string,
  start: number,
  end: number,
  mentions: readonly DrugMention[],
  from: number,
  to: number,
  context: DoseContext,
  doses: DoseMention[],
): void {
  const sentence = text.slice(start, end);
  // Tallies in order of each drug's first mention; a sentence rarely names more than two drugs.
  const tallies: DrugTally[] = [];
  // "Lemsip Max (paracetamol 1000 mg ...)": a name in brackets right after a product restates it.
  const productOf = new Map<DrugMention, string>();
  for (let i = from; i < to; i += 1) {
    const mention = mentions[i];
    if (mention === undefined) continue;
    const previous = i > from ? mentions[i - 1] : undefined;
    const restated =
      previous !== undefined &&
      previous.drug === mention.drug &&
      /^[^()\n]{0,30}\(\s{0,2}$/.test(text.slice(previous.end, mention.start));
    const product = restated
      ? (productOf.get(previous) ?? productName(text, mention))
      : productName(text, mention);
    productOf.set(mention, product);
    const tally = tallyOf(tallies, mention.drug, product);
    if (tally === undefined) tallies.push(new DrugTally(mention.drug, product, mention.start, mention.end));
    else if (tally.product === mention.drug) tally.product = product;
  }
  // Cheap looks before the scans that need a word the sentence does not have.
  const liquid = LIQUID_CUE.test(sentence);
  const amounts = amountsIn(sentence, start);
  const mgPerMl = (liquid ? concentrationIn(sentence) : undefined) ?? context.mgPerMl;
  // "2 caplets (1,000 mg)": the amount right after a count is that count's dose, already multiplied.
  // "maximum 4 g (8 tablets)": a count right after an amount restates it.
  const counts = (UNIT_CUE.test(sentence) ? countedUnitsIn(sentence, start) : []).filter(
    (unitCount) =>
      !amounts.some(
        (a) =>
          (a.start >= unitCount.end && a.start - unitCount.end <= 3) ||
          (unitCount.start >= a.end &&
            unitCount.start - a.end <= 3 &&
            /^\s{0,2}[(=]/.test(text.slice(a.end, unitCount.start))),
      ),
  );
  // A count without its own amount: the unit strength stated in the sentence ("Panadol (500 mg): 2
  // tablets"), else the drug's strength from the trace; that amount is then the unit, not a dose.
  const strengthInSentence = amounts.find(
    (a) =>
      a.role === "dose" &&
      !a.counted &&
      a.dimension === "mass" &&
      isUnitStrength(text, a, mentions, from, to),
  );
  for (const unitCount of counts) {
    const tally = ownerOf(unitCount, text, mentions, from, to, tallies, productOf);
    if (tally === undefined) continue;
    const strength =
      strengthInSentence?.base ??
      context.strengths?.get(`product:${tally.product}`) ??
      context.strengths?.get(tally.drug);
    const role: AmountRole = unitCount.perDay ? (unitCount.cap ? "cap" : "total") : "dose";
    tally.addAmount({
      ...unitCount,
      role,
      base: strength === undefined ? Number.NaN : strength * unitCount.count,
      dimension: "mass",
      counted: true,
    });
  }
  for (const amount of amounts) {
    if (counts.length > 0 && amount === strengthInSentence) continue;
    ownerOf(amount, text, mentions, from, to, tallies, productOf)?.addAmount(amount);
  }
  if (liquid)
    for (const volume of volumesIn(sentence, start, mgPerMl))
      ownerOf(volume, text, mentions, from, to, tallies, productOf)?.addAmount(volume);
  for (const frequency of frequenciesIn(sentence, start))
    ownerOf(frequency, text, mentions, from, to, tallies, productOf)?.addFrequency(frequency);
  const cues = new SentenceCues(sentence);
  for (const tally of tallies) {
    const dose = tally.summary(cues);
    if (dose !== null) doses.push(dose);
  }
}

/**
 * Whether an amount is what one tablet holds, to multiply a count of tablets by: "500 mg tablets",
 * "500 mg each", or the strength written right after the product's name ("Panadol (500 mg): 2
 * tablets", "Percocet 5/325 mg"). Any other amount ("that's 3,900 mg of acetaminophen") is not.
 */
function isUnitStrength(
  text: string,
  amount: SentenceAmount,
  mentions: readonly DrugMention[],
  from: number,
  to: number,
): boolean {
  const after = text.slice(amount.end, amount.end + 30);
  if (DOSAGE_FORM_AFTER.test(after) || /^\s{0,2}(?:each|apiece)\b/i.test(after)) return true;
  for (let i = from; i < to; i += 1) {
    const mention = mentions[i];
    if (mention === undefined || mention.end > amount.start || amount.start - mention.end > 30) continue;
    if (/^[^.\n]{0,30}$/.test(text.slice(mention.end, amount.start))) return true;
  }
  return false;
}

/** Words without which VOLUME, CONCENTRATION and COUNTED_UNITS cannot match. */
const LIQUID_CUE = /ml|millilit/i;
const UNIT_CUE = /tab|cap|pill|sachet|softgel|lozenge|chewable|of\s{1,3}th|take|give|swallow|have/i;

/** A single dose to take now, not a schedule: "chew one 300 mg aspirin now", "a single dose". */
const ONE_OFF =
  /\b(?:now|straight\s{1,3}away|right\s{1,3}away|immediately|at\s{1,3}once|single\s{1,3}dose|one[\s-]off|once\s{1,3}only|stat)\b|\bchew\b/i;

/**
 * A sentence that warns against or refuses the dosing it names: "please don't switch to daily",
 * "taking it every day ... causes serious harm", "one more dose would push you over the limit".
 */
const NEGATED =
  /\b(?:don't|do\s{1,3}not|never|shouldn't|should\s{1,3}not|must\s{1,3}not|instead\s{1,3}of|rather\s{1,3}than|not\s{1,3}(?:safe|recommended)|dangerous|harm\w{0,3}|fatal\w{0,2}|toxic\w{0,3}|overdose|would\s{1,3}(?:push|put|take)\s{1,3}you\s{1,3}over|over\s{1,3}the\s{1,3}(?:limit|maximum)|liver\s{1,3}damage)\b/i;

/** A sentence about what products contain: "NyQuil and Percocet also contain it", "hidden acetaminophen". */
const ABOUT_CONTENTS =
  /\b(?:contains?|containing|count\s{1,3}towards?|hidden|same\s{1,3}(?:ingredient|medicine|drug))\b/i;

/** Dose-like content: a number with a unit, a count of tablets, a volume, or a schedule. */
const DOSING_CUE =
  /\b\d{1,4}(?:\.\d{1,2})?\s{0,2}(?:mg|mcg|µg|g|ml|mls|units?|iu)\b|\b(?:\d{1,2}|one|two|three|four)\s{1,3}(?:of\s{1,3}them|tablets?|caplets?|capsules?|pills?|sachets?)\b/i;

/**
 * Medication doses stated in a text, normalised to a daily amount. Within a sentence each amount and
 * each schedule is attributed to the nearest drug name; a sentence that names no drug but doses one
 * ("- take 2 every 4 hours" under a heading) is about the drug last named, or the question's. An
 * amount followed by "per day" is a daily total, one preceded by "up to" / "not exceeding" is a cap,
 * one preceded by "more than" is a warning threshold and ignored. Never throws; cost is linear in the
 * text (sentences are bounded). `lower` is the text in lower case when the caller already has it.
 */
export function extractDoses(
  text: string,
  lexicon: DrugLexicon,
  lower?: string,
  context: DoseContext = {},
  mentions: readonly DrugMention[] = findDrugMentions(text, lexicon, lower),
): DoseMention[] {
  const doses: DoseMention[] = [];
  if (mentions.length === 0 && context.defaultDrug === undefined) return doses;
  // The common case: doses only where a drug is named.
  if (context.defaultDrug === undefined) {
    let i = 0;
    while (i < mentions.length) {
      const first = mentions[i];
      if (first === undefined) break;
      const sentence = sentenceAround(text, first.start);
      let j = i;
      while (j < mentions.length && (mentions[j]?.start ?? Number.POSITIVE_INFINITY) < sentence.end) j += 1;
      dosesInSentence(text, sentence.start, sentence.end, mentions, i, j, context, doses);
      i = Math.max(j, i + 1);
    }
    // A list under a heading that names the drug ("**Safer option: acetaminophen**" then "- 500 mg
    // every 6 hours"): the list's doses are the heading's drug's.
    for (const [start, { end, drug }] of headedSentences(text, mentions)) {
      const implied: DrugMention[] = [{ drug, start, end: start }];
      dosesInSentence(text, start, end, implied, 0, 1, context, doses);
    }
    return doses;
  }
  let current = context.defaultDrug;
  let i = 0;
  for (const sentence of sentences(text)) {
    let j = i;
    while (j < mentions.length && (mentions[j]?.start ?? Number.POSITIVE_INFINITY) < sentence.end) j += 1;
    if (j > i) {
      dosesInSentence(text, sentence.start, sentence.end, mentions, i, j, context, doses);
      current = mentions[j - 1]?.drug ?? current;
    } else if (
      DOSING_CUE.test(text.slice(sentence.start, sentence.end)) ||
      frequenciesIn(text.slice(sentence.start, sentence.end), 0).length > 0
    ) {
      const implied: DrugMention[] = [{ drug: current, start: sentence.start, end: sentence.start }];
      // An implied mention has no name of its own in the sentence: its product is the drug's.
      dosesInSentence(text, sentence.start, sentence.end, implied, 0, 1, context, doses);
    }
    i = j;
  }
  return doses;
}

const LIST_ITEM = /^\s{0,8}(?:[-*•]|\d{1,2}[.)])\s/;
/** What may stand before the amount of an item that doses its heading's drug ("- Take 2 tablets"). */
const ITEM_LEAD =
  /^\s{0,8}(?:[-*•]|\d{1,2}[.)])?[\s*_:(]*(?:(?:(?:take|give|dose|adults?|usual(?:ly)?|up\s{1,3}to|then|one|two|a|an|each|to)\b|\d[\d.,]{0,8}|[-–])[\s*_:,]*){0,6}$/i;

/**
 * An item whose dose comes first ("- 500 to 1,000 mg every 6 hours", "- Take 2 tablets"), so that it
 * is about the heading's drug; an item that names something first ("- codeine 60 mg") may be about
 * a medicine the lexicon does not know, and is left unattributed.
 */
function opensWithTheDose(item: string): boolean {
  const cue = DOSING_CUE.exec(item);
  return cue !== null && ITEM_LEAD.test(item.slice(0, cue.index));
}

/** A line that introduces what follows: ends with a colon or bold markup, or has no full stop. */
function isHeading(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.length > 0 && trimmed.length <= 120 && /(?::|\*\*|:\*\*|[^.!?])$/.test(trimmed);
}

/**
 * Sentences (by start) that name no drug but sit in a list right under a heading line naming exactly
 * one drug of the lexicon, with that drug; the list ends at the first line that is not an item.
 */
function headedSentences(
  text: string,
  mentions: readonly DrugMention[],
): Map<number, { end: number; drug: string }> {
  const headed = new Map<number, { end: number; drug: string }>();
  if (mentions.length === 0 || !text.includes("\n") || !DOSING_CUE.test(text)) return headed;
  let drug: string | undefined;
  let i = 0;
  for (const sentence of sentences(text)) {
    let j = i;
    while (j < mentions.length && (mentions[j]?.start ?? Number.POSITIVE_INFINITY) < sentence.end) j += 1;
    const lineStart = sentence.start === 0 || text[sentence.start - 1] === "\n";
    const part = text.slice(sentence.start, sentence.end);
    const lineEnds = sentence.end >= text.length || text[sentence.end] === "\n";
    if (j > i) {
      const drugs = new Set(mentions.slice(i, j).map((m) => m.drug));
      drug = lineStart && lineEnds && drugs.size === 1 && isHeading(part) ? mentions[i]?.drug : undefined;
    } else if (lineStart && !LIST_ITEM.test(part)) drug = undefined;
    else if (drug !== undefined && opensWithTheDose(part))
      headed.set(sentence.start, { end: sentence.end, drug });
    i = j;
  }
  return headed;
}

/** Sentences of a text that dose something no drug of the lexicon (`mentions`, in order) is named for. */
function unattributedDosing(text: string, mentions: readonly DrugMention[]): string | undefined {
  if (!DOSING_CUE.test(text)) return undefined;
  const headed = headedSentences(text, mentions);
  let next = 0;
  for (const sentence of sentences(text)) {
    if (headed.has(sentence.start)) continue;
    while (next < mentions.length && (mentions[next]?.end ?? 0) <= sentence.start) next += 1;
    const named =
      next < mentions.length && (mentions[next]?.start ?? Number.POSITIVE_INFINITY) < sentence.end;
    if (named) continue;
    const part = text.slice(sentence.start, sentence.end);
    if (DOSING_CUE.test(part) && frequenciesIn(part, 0).length > 0) return part.trim().slice(0, 80);
  }
  return undefined;
}

interface DrugLimit {
  maxBase: number | null;
  perKgBase: number | null;
  dimension: Dimension;
  display: { value: number; unit: AmountUnit };
  weeklyOnly: boolean;
  adjusted: ReadonlyMap<string, number | "unverifiable">;
}

function formatAmount(base: number, unit: AmountUnit | "mg/kg"): string {
  const value = unit === "mg/kg" ? base : base / UNIT_SCALE[unit].toBase;
  return `${Number.isInteger(value) ? value : value.toFixed(2).replace(/\.?0+$/, "")} ${unit}`;
}

/** Who the dose is for, as far as the trace says: age, weight, and whether a child. */
export interface Patient {
  ageYears?: number;
  weightKg?: number;
  child: boolean;
}

const AGE_PATTERNS: readonly [RegExp, number][] = [
  [/\b(\d{1,2})\s{0,2}(?:weeks?|wks?)(?:\s{1,3}|-)old\b/i, 1 / 52],
  [/\b(\d{1,2}(?:\.\d)?)\s{0,2}(?:months?|mos?)(?:\s{1,3}|-)?(?:old)?\b/i, 1 / 12],
  [/\b(\d{1,3})(?:\s{0,2}|-)(?:yo|y\/o|yrs?(?:\s{1,3}|-)old|years?(?:\s{1,3}|-)old|year\s{1,3}old)\b/i, 1],
  [/\b(?:aged?|age)\s{0,3}(\d{1,3})\b/i, 1],
  [/\b(\d{1,3})\s{0,2}(?:[MF]|yo\s{0,2}[mf])\b(?=[\s,.;:])/, 1],
  [/\bmy\s{1,3}(\d{1,2})(?:\s{0,2}|-)(?:yo|year)/i, 1],
];
const CHILD_WORDS =
  /\b(?:my|our|her|his|the)\s{1,3}(?:\d{1,2}\s{0,2}(?:yo|year[\s-]old|years?[\s-]old)\s{1,3})?(?:son|daughter|baby|toddler|infant|newborn|kid|child|little\s{1,3}(?:one|boy|girl))\b|\bchildren'?s\s{1,3}(?:tylenol|motrin|advil|calpol|nurofen|panadol|ibuprofen|acetaminophen|paracetamol)\b|\binfant\s{1,3}(?:tylenol|motrin|drops)\b/i;
const WEIGHT = /\b(\d{1,3}(?:\.\d)?)\s{0,2}(kg|kgs|kilos?|kilograms?|lb|lbs|pounds)\b(?!\s{0,2}(?:\/|per))/i;

function ageOf(text: string): number | undefined {
  for (const [pattern, factor] of AGE_PATTERNS) {
    const m = pattern.exec(text);
    if (m?.[1] !== undefined) return Number(m[1]) * factor;
  }
  return undefined;
}

function numberIn(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    const m = /\d{1,3}(?:\.\d{1,2})?/.exec(value);
    return m === null ? undefined : Number(m[0]);
  }
  return undefined;
}

/** The patient's age and weight from `context.patient` first, then from what the question says. */
export function patientOf(view: TraceView): Patient {
  const patient = view.trace.context?.patient as Record<string, unknown> | undefined;
  const question = view.input.map((s) => s.text).join("\n");
  let ageYears = numberIn(patient?.age_years ?? patient?.age);
  if (typeof patient?.age === "string" && /month/i.test(patient.age) && ageYears !== undefined)
    ageYears /= 12;
  ageYears ??= ageOf(question);
  const recorded = numberIn(patient?.weight_kg ?? patient?.weight);
  // Built once for both scans below; the weight is read from the text only when not recorded.
  const both = `${question}\n${view.trace.output}`;
  const stated = recorded === undefined ? WEIGHT.exec(both) : null;
  const weightKg =
    recorded ??
    (stated === null
      ? undefined
      : Number(stated[1]) * (/^(?:lb|lbs|pounds)$/i.test(stated[2] ?? "") ? 0.4536 : 1));
  const child = ageYears !== undefined ? ageYears < 12 : CHILD_WORDS.test(both);
  return { ageYears, weightKg, child };
}

/**
 * Strength per tablet where the trace states one next to a product's name ("tylenol 500mg", "Tylenol
 * 8 HR Arthritis (650 mg caplets)", "325 mg in every tablet"); a combination written "5/325" or
 * "30/500" counts its larger part (the paracetamol of co-codamol, the amoxicillin of co-amoxiclav).
 * Keyed `product:<name as written>` and by drug; a drug whose products state different strengths
 * has no drug-wide strength (a count of its tablets is then not read).
 */
function strengthsIn(
  texts: readonly { text: string; mentions: readonly DrugMention[] }[],
): Map<string, number> {
  const strengths = new Map<string, number>();
  const conflicting = new Set<string>();
  for (const { text, mentions } of texts)
    for (const mention of mentions) {
      const near = text.slice(mention.end, mention.end + 45);
      const m =
        /^[^.\n]{0,25}?(?<![\d.,/])(?:(\d{1,4}(?:\.\d{1,2})?)\s{0,2}\/\s{0,2})?(\d{1,4}(?:\.\d{1,2})?)\s{0,2}(mg|mcg|g)?\b(?!\s{0,2}(?:\/|per\s{1,3}(?:day|kg|ml)|in\s{1,3}(?:\d|a\s{1,3}day|24)|a\s{1,3}day|daily|x\b|times|hours?|hrs?|h\b))/i.exec(
          near,
        );
      if (m?.[2] === undefined) continue;
      // A bare number is a strength only as a combination ("30/500"); otherwise it needs its unit.
      if (m[3] === undefined && m[1] === undefined) continue;
      const unit = m[3] === undefined ? "mg" : UNIT_WORDS[m[3].toLowerCase()];
      if (unit === undefined) continue;
      const value = Math.max(Number(m[2]), m[1] === undefined ? 0 : Number(m[1])) * UNIT_SCALE[unit].toBase;
      const product = `product:${text.slice(mention.start, mention.end).toLowerCase().replace(/\s+/g, " ")}`;
      if (!strengths.has(product)) strengths.set(product, value);
      const known = strengths.get(mention.drug);
      if (known === undefined && !conflicting.has(mention.drug)) strengths.set(mention.drug, value);
      else if (known !== undefined && known !== value) {
        strengths.delete(mention.drug);
        conflicting.add(mention.drug);
      }
    }
  return strengths;
}

export function compileDoseRule(
  rule: RuleOfKind<"dose_limit">,
  meta: RuleMeta,
  errors: RuleErrors,
): CompiledRule | null {
  const limits = new Map<string, DrugLimit>();
  for (const [drug, limit] of Object.entries(rule.drugs)) {
    const max = limit.max_daily;
    const adjusted = new Map<string, number | "unverifiable">();
    for (const [modifier, value] of Object.entries(limit.adjusted)) {
      if (rule.modifiers[modifier] === undefined)
        errors.add(
          `.drugs.${drug}.adjusted.${modifier}`,
          `no modifier "${modifier}" in the rule's modifiers`,
        );
      adjusted.set(modifier, value === "unverifiable" ? value : value.value * UNIT_SCALE[value.unit].toBase);
    }
    limits.set(drug, {
      maxBase: max === undefined ? null : max.value * UNIT_SCALE[max.unit].toBase,
      perKgBase:
        limit.max_daily_per_kg === undefined
          ? null
          : limit.max_daily_per_kg.value * UNIT_SCALE[limit.max_daily_per_kg.unit].toBase,
      dimension: max === undefined ? "mass" : UNIT_SCALE[max.unit].dimension,
      display: max ?? { value: 0, unit: "mg" },
      weeklyOnly: limit.weekly_only,
      adjusted,
    });
  }
  const modifiers = new Map<string, RegExp>();
  for (const [name, patterns] of Object.entries(rule.modifiers)) {
    const joined = compilePackRegex(
      patterns.map((p) => `(?:${p})`).join("|"),
      "i",
      errors,
      `.modifiers.${name}`,
    );
    if (joined !== null) modifiers.set(name, joined);
  }
  const lexicon = buildLexicon(limits.keys(), rule.aliases);

  /** The modifiers that hold for the trace (an age of 75 or more counts as `elderly`). */
  const activeModifiers = (view: TraceView, patient: Patient): Set<string> => {
    const active = new Set<string>();
    // What the question and its context say about the patient; an answer's own caveats do not count.
    const texts = view.segments("anywhere").filter((segment) => segment.field !== "output");
    for (const [name, regex] of modifiers) {
      for (const segment of texts) {
        regex.lastIndex = 0;
        if (regex.test(segment.text)) {
          active.add(name);
          break;
        }
      }
    }
    if (patient.ageYears !== undefined && patient.ageYears >= 75 && modifiers.has("elderly"))
      active.add("elderly");
    return active;
  };

  return {
    meta,
    evaluate(view, out) {
      const segments = view.segments(rule.target);
      const question = view.input[0];
      const questionDrugs =
        question === undefined ? [] : findDrugMentions(question.text, lexicon, question.lower);
      // Drug names are read once per text and shared by every step below.
      const mentions = segments.map((segment) => findDrugMentions(segment.text, lexicon, segment.lower));
      const named = new Set(questionDrugs.map((m) => m.drug));
      const medications = medicationTexts(view).map((text) => ({
        text,
        mentions: findDrugMentions(text, lexicon),
      }));
      const context: DoseContext = {
        defaultDrug: named.size === 1 ? questionDrugs[0]?.drug : undefined,
        strengths: strengthsIn([
          ...medications,
          ...(question === undefined ? [] : [{ text: question.text, mentions: questionDrugs }]),
          ...segments.map((segment, i) => ({ text: segment.text, mentions: mentions[i] ?? [] })),
        ]),
        mgPerMl: concentrationIn(question?.text ?? "") ?? concentrationIn(view.trace.output),
      };
      const byDrug = new Map<string, { dose: DoseMention; evidence: Evidence }[]>();
      for (const [i, segment] of segments.entries()) {
        for (const dose of extractDoses(segment.text, lexicon, segment.lower, context, mentions[i])) {
          if (!limits.has(dose.drug)) continue;
          const evidence = textEvidence(segment.field, segment.text, dose.start, dose.end);
          const list = byDrug.get(dose.drug);
          if (list === undefined) byDrug.set(dose.drug, [{ dose, evidence }]);
          else list.push({ dose, evidence });
        }
      }
      // What the patient already takes: the question and the context's medication list (read once
      // it is needed).
      let existingDoses: DoseMention[] | undefined;
      let patient: Patient | undefined;
      let active: Set<string> | undefined;
      const safe: string[] = [];
      const unsure: string[] = [];
      for (const [drug, found] of byDrug) {
        const limit = limits.get(drug);
        if (limit === undefined) continue;
        if (limit.weeklyOnly) {
          // "Please don't switch to daily": a refusal names the daily schedule without advising it.
          // A dose with an amount is advice even beside a negation ("don't worry, take 2.5 mg daily").
          const daily = found.find(
            ({ dose }) => dose.schedule === "daily" && !(dose.negated && !hasAmount(dose)),
          );
          if (daily !== undefined) {
            out.push(
              makeIssue(
                meta,
                `${meta.message}: ${drug} dosed daily; standard dosing is once weekly`,
                daily.evidence,
              ),
            );
          } else if (found.some(({ dose }) => dose.schedule === "weekly" && !dose.negated))
            safe.push(`${drug} once weekly`);
          else unsure.push(`the ${drug} schedule is not stated`);
          continue;
        }
        patient ??= patientOf(view);
        active ??= activeModifiers(view, patient);
        const complete = found.filter(({ dose }) => dose.complete && dose.dailyAmount !== null);
        const candidates = complete.length > 0 ? complete : joined(found);
        if (candidates.length === 0) {
          unsure.push(`the ${drug} dose is not stated whole (amount, schedule or strength missing)`);
          continue;
        }
        let exceeded = false;
        for (const { dose, evidence } of candidates) {
          const verdict = judgeDose(dose, limit, patient, active);
          if (verdict.kind === "exceeds") {
            exceeded = true;
            out.push(makeIssue(meta, `${meta.message}: ${verdict.detail}`, evidence));
          } else if (verdict.kind === "within") safe.push(verdict.detail);
          else unsure.push(verdict.detail);
        }
        if (exceeded) continue;
        // Two products that both contain the drug (a combination such as co-codamol, Percocet or a
        // cold remedy, and plain paracetamol), each within its own label, can add up past its maximum:
        // the answer's own products, and the ones the patient already takes (question or context).
        existingDoses ??= currentDoses(view, lexicon, context.strengths, medications, questionDrugs);
        const combined = combinedProducts(
          drug,
          found,
          existingDoses.filter((dose) => dose.drug === drug),
        );
        if (combined.kind !== "none") {
          const verdict =
            combined.kind === "total"
              ? judgeDose(
                  { ...combined.dose, dailyAmount: combined.total, complete: true },
                  limit,
                  patient,
                  active,
                )
              : null;
          if (combined.kind === "total" && verdict?.kind === "exceeds")
            out.push(
              makeIssue(
                meta,
                `${meta.message}: ${combined.names.join(" + ")} together: ${verdict.detail}`,
                combined.evidence,
              ),
            );
          else if (verdict?.kind !== "within")
            unsure.push(
              `${combined.names.join(" and ")} both contain ${drug}: their combined daily amount is not stated whole`,
            );
        }
      }
      if (context.defaultDrug === undefined)
        segments.forEach((segment, i) => {
          const stray = unattributedDosing(segment.text, mentions[i] ?? []);
          if (stray !== undefined) unsure.push(`a dose of a medicine without a known limit ("${stray}")`);
        });
      if (unsure.length > 0) view.check(meta.id, "unsure", unsure.join("; "));
      else if (safe.length > 0) view.check(meta.id, "safe", safe.join("; "));
    },
  };
}

function hasAmount(dose: DoseMention): boolean {
  return dose.dailyAmount !== null || dose.perDose !== null || dose.unreadable;
}

/** The patient's current medications as written in `context.patient.medications` (strings or `{name, dose}`). */
function medicationTexts(view: TraceView): string[] {
  const patient = view.trace.context?.patient as Record<string, unknown> | undefined;
  const list = patient?.medications;
  if (!Array.isArray(list)) return [];
  const texts: string[] = [];
  for (const item of list.slice(0, 50)) {
    if (typeof item === "string") texts.push(item.slice(0, 300));
    else if (typeof item === "object" && item !== null)
      texts.push(
        Object.values(item as Record<string, unknown>)
          .filter((v) => typeof v === "string" || typeof v === "number")
          .join(" ")
          .slice(0, 300),
      );
  }
  return texts;
}

/**
 * Doses the patient already takes, from the context's medication list and the question.
 * `medications`: medicationTexts(view) with their drug mentions; `questionMentions`: those of the
 * first input segment (the same as findDrugMentions would find again).
 */
function currentDoses(
  view: TraceView,
  lexicon: DrugLexicon,
  strengths: ReadonlyMap<string, number> | undefined,
  medications: readonly { text: string; mentions: readonly DrugMention[] }[],
  questionMentions: readonly DrugMention[],
): DoseMention[] {
  const texts = [
    ...medications,
    ...view.input.map((segment, i) => ({
      text: segment.text,
      mentions: i === 0 ? questionMentions : findDrugMentions(segment.text, lexicon, segment.lower),
    })),
  ];
  return texts.flatMap(({ text, mentions }) => {
    const doses = extractDoses(text, lexicon, undefined, { strengths }, mentions);
    // A product named with no dose ("I'm on co-codamol for my back"): taken, in an unknown amount.
    for (const mention of mentions) {
      const product = productName(text, mention);
      if (doses.some((dose) => dose.drug === mention.drug && dose.product === product)) continue;
      doses.push({
        drug: mention.drug,
        start: mention.start,
        end: mention.end,
        dimension: "mass",
        dailyAmount: null,
        schedule: "unspecified",
        complete: false,
        perDose: null,
        perDay: null,
        cap: null,
        product,
        unreadable: false,
        negated: false,
        aboutContents: false,
      });
    }
    return doses;
  });
}

type Combined =
  | { kind: "none" }
  | { kind: "unknown"; names: string[] }
  | { kind: "total"; names: string[]; total: number; dose: DoseMention; evidence: Evidence };

/**
 * The answer's advised products of a drug together with the products the patient already takes: two
 * names count as two products unless one is the drug's own name ("Tylenol" and "acetaminophen" are
 * one; that name is taken to restate a brand, so it is not added). Doses in sentences that warn
 * against them are not advice. `unknown` when a second product is named but a daily amount is not
 * read whole.
 */
function combinedProducts(
  drug: string,
  found: readonly { dose: DoseMention; evidence: Evidence }[],
  current: readonly DoseMention[],
): Combined {
  // A complete dose is advice even beside a negation; an amount warned about without a schedule
  // ("one more 1,000 mg dose would push you over") is not.
  const advised = found.filter(
    ({ dose }) => !(dose.negated && !dose.complete) && !dose.aboutContents && dose.product !== drug,
  );
  if (advised.length === 0) return { kind: "none" };
  const byProduct = new Map<string, number | null>();
  const note = (dose: DoseMention) => {
    const daily = dose.complete ? dose.dailyAmount : null;
    const known = byProduct.get(dose.product);
    if (known === undefined || (known !== null && (daily === null || daily > known)))
      byProduct.set(dose.product, daily);
  };
  for (const { dose } of advised) note(dose);
  const advisedNames = new Set(byProduct.keys());
  for (const dose of current) if (dose.product !== drug && !advisedNames.has(dose.product)) note(dose);
  // A complete dose under the drug's own name beside another product's may restate that product
  // ("Percocet … (acetaminophen 325 mg)") or add to it ("… plus acetaminophen 1000 mg q6h"): which
  // one the rule cannot tell, so it verifies neither.
  const ownName = found.some(
    ({ dose }) => dose.product === drug && dose.complete && !dose.negated && !dose.aboutContents,
  );
  if (ownName && byProduct.size >= 1 && found.some(({ dose }) => dose.product !== drug && dose.complete))
    return { kind: "unknown", names: [...byProduct.keys(), drug] };
  if (byProduct.size < 2) return { kind: "none" };
  const names = [...byProduct.keys()];
  const amounts = [...byProduct.values()];
  if (amounts.some((amount) => amount === null)) return { kind: "unknown", names };
  const lead = advised[0];
  if (lead === undefined) return { kind: "none" };
  const total = amounts.reduce<number>((sum, amount) => sum + (amount ?? 0), 0);
  return { kind: "total", names, total, dose: lead.dose, evidence: lead.evidence };
}

/**
 * A drug whose amount and schedule are given in different sentences ("7.5 mL (150 mg) per dose." then
 * "Give it every 6 to 8 hours."): the largest dose times the most frequent schedule, within any cap
 * the answer states; nothing when the answer never gives both.
 */
function joined(found: readonly { dose: DoseMention; evidence: Evidence }[]) {
  const first = found[0];
  // Tablets of an unknown strength: the other sentences' amounts may be unit strengths, not doses.
  if (first === undefined || found.some(({ dose }) => dose.unreadable)) return [];
  const doses = found.filter(({ dose }) => dose.perDose !== null && dose.dimension === first.dose.dimension);
  const perDose = Math.max(...doses.map(({ dose }) => dose.perDose ?? 0));
  const perDay = Math.max(...found.map(({ dose }) => dose.perDay ?? 0));
  const caps = found.flatMap(({ dose }) => (dose.cap === null ? [] : [dose.cap]));
  const cap = caps.length > 0 ? Math.min(...caps) : Number.POSITIVE_INFINITY;
  if (doses.length === 0 || perDay === 0)
    return caps.length > 0 && Number.isFinite(cap)
      ? [{ ...first, dose: { ...first.dose, dailyAmount: cap, complete: true } }]
      : [];
  const evidence = doses[0]?.evidence ?? first.evidence;
  return [
    { evidence, dose: { ...first.dose, dailyAmount: Math.min(perDose * perDay, cap), complete: true } },
  ];
}

type DoseVerdict =
  | { kind: "exceeds"; detail: string }
  | { kind: "within"; detail: string }
  | { kind: "unverifiable"; detail: string };

/**
 * A complete daily dose against the drug's limits: per kilogram for a child (with a known weight) or
 * a weight-based dose, the adult maximum otherwise, lowered by the patient's modifiers; a modifier the
 * drug marks unverifiable, or a child without a weight, leaves it to the judge.
 */
function judgeDose(
  dose: DoseMention,
  limit: DrugLimit,
  patient: Patient,
  active: ReadonlySet<string>,
): DoseVerdict {
  const amount = dose.dailyAmount ?? 0;
  const unit = limit.display.unit;
  if (dose.dimension === "per_kg") {
    if (limit.perKgBase === null)
      return { kind: "unverifiable", detail: `${dose.drug} is dosed per kg, with no per-kg limit known` };
    return amount > limit.perKgBase * (1 + 1e-9)
      ? {
          kind: "exceeds",
          detail: `${dose.drug} ${formatAmount(amount, "mg/kg")}/day exceeds the maximum of ${formatAmount(limit.perKgBase, "mg/kg")}/day`,
        }
      : {
          kind: "within",
          detail: `${dose.drug} ${formatAmount(amount, "mg/kg")}/day within ${formatAmount(limit.perKgBase, "mg/kg")}/day`,
        };
  }
  if (dose.dimension !== limit.dimension || limit.maxBase === null)
    return { kind: "unverifiable", detail: `${dose.drug} is dosed in units its limit does not use` };
  let max = limit.maxBase;
  let why = "the maximum";
  if (patient.child) {
    if (limit.perKgBase === null || patient.weightKg === undefined) {
      if (amount > max * (1 + 1e-9))
        return {
          kind: "exceeds",
          detail: `${dose.drug} ${formatAmount(amount, unit)}/day exceeds even the adult maximum of ${formatAmount(max, unit)}/day`,
        };
      return { kind: "unverifiable", detail: `a child's ${dose.drug} dose without a known weight` };
    }
    max = Math.min(max, limit.perKgBase * patient.weightKg);
    why = `${formatAmount(limit.perKgBase, "mg/kg")}/day at ${Math.round(patient.weightKg * 10) / 10} kg`;
  }
  for (const modifier of active) {
    const adjusted = limit.adjusted.get(modifier);
    if (adjusted === undefined) continue;
    if (adjusted === "unverifiable") {
      if (amount > max * (1 + 1e-9)) break;
      return {
        kind: "unverifiable",
        detail: `${dose.drug} with ${modifier.replace(/_/g, " ")} needs a clinician's check`,
      };
    }
    if (adjusted < max) {
      max = adjusted;
      why = `the maximum with ${modifier.replace(/_/g, " ")}`;
    }
  }
  return amount > max * (1 + 1e-9)
    ? {
        kind: "exceeds",
        detail: `${dose.drug} ${formatAmount(amount, unit)}/day exceeds ${why} of ${formatAmount(max, unit)}/day`,
      }
    : {
        kind: "within",
        detail: `${dose.drug} ${formatAmount(amount, unit)}/day within ${formatAmount(max, unit)}/day`,
      };
}
