import { jsonValueProblem, MAX_JSON_DEPTH } from "../lib/json-value";
import {
  type PhiRedactionMode,
  type PhiType,
  phiTypeSchema,
  type RedactionRecord,
  type TraceInput,
} from "../schema/trace";
import { type GateWays, gateOf, type WordBeginnings } from "./prefilter";

export interface PhiMatch {
  type: PhiType;
  start: number;
  end: number;
}

type Keyword = "ssn" | "dob" | "mrn" | "patient";

/** One case-insensitive pass tells which keyword-led detectors can match at all. */
const KEYWORDS =
  /(?<ssn>ssn|social security)|(?<dob>dob|d\.o\.b|birth|born)|(?<mrn>mrn|medical record)|(?<patient>patient)/gi;

function keywordsIn(text: string): Set<Keyword> {
  const present = new Set<Keyword>();
  KEYWORDS.lastIndex = 0;
  for (let m = KEYWORDS.exec(text); m !== null && present.size < 4; m = KEYWORDS.exec(text)) {
    const groups = m.groups ?? {};
    if (groups.ssn !== undefined) present.add("ssn");
    else if (groups.dob !== undefined) present.add("dob");
    else if (groups.mrn !== undefined) present.add("mrn");
    else present.add("patient");
  }
  return present;
}

/** A maximal run of digits, [start, end). */
interface DigitRun {
  start: number;
  end: number;
}

export interface PhiPattern {
  type: PhiType;
  regex: RegExp;
  /** When the identifier is the last capture group (the match includes its keyword, e.g. "DOB: "). */
  valueIsLastGroup: boolean;
  /** Only worth running when the text has a digit (most identifiers are numeric). */
  needsDigit: boolean;
  /** The keyword the pattern starts with must be in the text (see KEYWORDS); skipped otherwise. */
  keyword?: Keyword;
  validate?: (value: string) => boolean;
  /**
   * For patterns whose matches start at a digit run (or just before one): the positions where a
   * match can start, given a run; a necessary condition only. The pattern is then tried there alone
   * (sticky) instead of scanning the whole text, which finds the same matches: a global scan only
   * ever matches at such positions. Most texts have a few short numbers ("500 mg") that rule it out.
   */
  startsAt?: (text: string, run: DigitRun) => readonly number[];
}

const NONE: readonly number[] = [];

const isAsciiDigit = (code: number) => code >= 48 && code <= 57;
const isWordChar = (code: number) =>
  isAsciiDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
/** A superset of `\s` (every non-ASCII character counts): enough for a necessary condition. */
const maybeSpace = (code: number) => code === 32 || (code >= 9 && code <= 13) || code >= 0xa0;

/** Whether `count` ASCII digits start at `from`. */
function digitsAt(text: string, from: number, count: number): boolean {
  for (let i = from; i < from + count; i += 1) if (!isAsciiDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Whether `count` digits follow `from`, joined by single " " or "-" separators (a card number). */
function groupedDigits(text: string, from: number, count: number): boolean {
  let digits = 0;
  let i = from;
  // Bounded by `count`: a long chain of digit groups is not walked again from every group.
  while (i < text.length && digits < count) {
    const code = text.charCodeAt(i);
    if (isAsciiDigit(code)) digits += 1;
    else if (!((code === 32 || code === 45) && isAsciiDigit(text.charCodeAt(i + 1)))) break;
    i += 1;
  }
  return digits >= count;
}

/** "12 Main St": 1 to 3 whitespace characters then a capital letter. */
function capitalAfterSpace(text: string, from: number): boolean {
  for (let i = from; i < from + 3 && maybeSpace(text.charCodeAt(i)); i += 1) {
    const next = text.charCodeAt(i + 1);
    if (next >= 65 && next <= 90) return true;
  }
  return false;
}

const MONTH = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\\.?";
const DATE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2}|${MONTH}\\s{1,3}\\d{1,2}(?:st|nd|rd|th)?,?\\s{1,3}\\d{4}|\\d{1,2}\\s{1,3}${MONTH},?\\s{1,3}\\d{4})`;
const PERSON_NAME = "([A-Z][a-z'\u2019-]{1,30}(?:\\s{1,3}[A-Z][a-z'\u2019-]{1,30}){0,2})";
/**
 * `\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)` with the word boundary checked just after the capital (the
 * previous character is not a word character): the same matches, but a pattern that starts with a
 * letter lets V8 skip straight to the capitals, a third faster on every output.
 */
export const HONORIFIC = "(?:M(?<!\\wM)(?:r|rs|s|iss|x)|D(?<!\\wD)r|P(?<!\\wP)rof)";
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

/**
 * Every quantifier is bounded and no repetition nests an unbounded one: linear on adversarial text.
 * Exported for the test that checks `detectPhi` against a plain global scan of each pattern.
 */
export const PHI_PATTERNS: readonly PhiPattern[] = [
  {
    type: "ssn",
    regex: /(?<!\d)(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?!\d)/g,
    valueIsLastGroup: false,
    needsDigit: true,
    // "123-45-6789": three digits, the separator, two digits.
    startsAt: (text, { start, end }) =>
      end - start === 3 && (text[end] === "-" || text[end] === " ") && digitsAt(text, end + 1, 2)
        ? [start]
        : NONE,
  },
  {
    type: "ssn",
    regex: /\b(?:SSN|social security (?:number|no\.?|#))[\s:#-]{0,4}(\d{9}|\d{3}[- ]\d{2}[- ]\d{4})(?!\d)/gi,
    valueIsLastGroup: true,
    needsDigit: true,
    keyword: "ssn",
  },
  {
    type: "phone",
    // North American toll-free numbers (800, 833…888) belong to organisations (hotlines, poison
    // control), never to a patient.
    regex:
      /(?<![\d-])(?:\+?1[\s.-]?)?(?!\(?8(?:00|33|44|55|66|77|88)\D)(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\d-])/g,
    valueIsLastGroup: false,
    needsDigit: true,
    // "(415) 555-…" and "+1 …" start just before the run, "1 415 …" and "415-555…" at it.
    startsAt: (text, { start, end }) => {
      const length = end - start;
      const before =
        (text[start - 1] === "(" && length === 3 && text[end] === ")") ||
        (text[start - 1] === "+" && text[start] === "1");
      // With the country code the run is "1" or "1415"; without, three digits, a separator, a digit.
      const at =
        (text[start] === "1" && (length === 1 || length === 4)) ||
        (length === 3 && digitsAt(text, end + 1, 1));
      return before && at ? [start - 1, start] : before ? [start - 1] : at ? [start] : NONE;
    },
  },
  {
    type: "dob",
    regex: new RegExp(
      `\\b(?:DOB|D\\.O\\.B\\.?|date of birth|birth ?date|born)\\b[^\\n\\d]{0,24}?(${DATE})(?!\\d)`,
      "gi",
    ),
    valueIsLastGroup: true,
    needsDigit: true,
    keyword: "dob",
  },
  {
    type: "mrn",
    regex:
      /\b(?:MRN|medical record(?: number| no\.?| #)?)[\s:#.]{0,4}((?=[A-Z-]{0,19}\d)[A-Z0-9][A-Z0-9-]{3,19})\b/gi,
    valueIsLastGroup: true,
    needsDigit: true,
    keyword: "mrn",
  },
  {
    type: "address",
    regex:
      /\b\d{1,6}\s{1,3}(?:[A-Z][A-Za-z]{0,20}\.?\s{1,3}){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy|Circle|Highway|Hwy)\b\.?(?:,?\s{1,3}(?:Apt|Suite|Unit|#)\.?\s{0,2}[A-Za-z0-9-]{1,8})?/g,
    valueIsLastGroup: false,
    needsDigit: true,
    startsAt: (text, { start, end }) =>
      end - start <= 6 && !isWordChar(text.charCodeAt(start - 1)) && capitalAfterSpace(text, end)
        ? [start]
        : NONE,
  },
  {
    type: "ip",
    regex: new RegExp(`(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?!\\d|\\.\\d)`, "g"),
    valueIsLastGroup: false,
    needsDigit: true,
    startsAt: (text, { start, end }) =>
      end - start <= 3 && text[end] === "." && digitsAt(text, end + 1, 1) && text[start - 1] !== "."
        ? [start]
        : NONE,
  },
  {
    type: "card",
    regex: /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g,
    valueIsLastGroup: false,
    needsDigit: true,
    validate: isLuhnValid,
    startsAt: (text, { start }) => (groupedDigits(text, start, 13) ? [start] : NONE),
  },
  {
    type: "name",
    regex: new RegExp(`${HONORIFIC}\\.?\\s{1,3}${PERSON_NAME}`, "g"),
    valueIsLastGroup: true,
    needsDigit: false,
  },
  {
    type: "name",
    regex: new RegExp(
      `\\b(?:[Pp]atient|PATIENT)(?:\\s{1,3}[Nn]ame)?(?:\\s{0,3}:\\s{0,3}|\\s{1,3})${PERSON_NAME}`,
      "g",
    ),
    valueIsLastGroup: true,
    needsDigit: false,
    keyword: "patient",
  },
];

export function isLuhnValid(candidate: string): boolean {
  let sum = 0;
  let digits = 0;
  for (let i = candidate.length - 1; i >= 0; i -= 1) {
    const code = candidate.charCodeAt(i) - 48;
    if (code < 0 || code > 9) continue;
    const doubled = digits % 2 === 1 ? code * 2 : code;
    sum += doubled > 9 ? doubled - 9 : doubled;
    digits += 1;
  }
  return digits >= 13 && digits <= 19 && sum % 10 === 0;
}

const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}\b/y;

/** E-mail addresses are found from each '@' outwards, so a long run of address characters is scanned once. */
function findEmails(text: string, found: PhiMatch[]): void {
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && EMAIL_LOCAL.test(text.charAt(start - 1))) start -= 1;
    if (start === at) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const domain = EMAIL_DOMAIN.exec(text);
    if (domain !== null) found.push({ type: "email", start, end: at + 1 + domain[0].length });
  }
}

/** Sticky twins of the digit-anchored patterns, each tried at single positions. */
const STICKY: ReadonlyMap<PhiPattern, RegExp> = new Map(
  PHI_PATTERNS.filter((p) => p.startsAt !== undefined).map((p) => [
    p,
    new RegExp(p.regex.source, p.regex.flags.replace("g", "y")),
  ]),
);

/**
 * Numbers are tried one by one only while they are few: in a text dense with them (tables, logs,
 * adversarial digit groups) a call per number costs more than one pass of each pattern.
 */
const MAX_RUNS = 256;
const MIN_CHARS_PER_RUN = 16;

/** Finds where each digit run starts (`test` allocates no match); the run is then read to its end. */
const DIGIT = /\d/g;

/**
 * Whether some digit-anchored pattern may start at the run, tested inline: true whenever one of
 * their `startsAt` gives a position (a necessary condition only). Most numbers ("500 mg", "every 6
 * hours") fail it, and none of the patterns is asked about them.
 */
export function runMayStartIdentifier(text: string, { start, end }: DigitRun): boolean {
  const length = end - start;
  const previous = text.charCodeAt(start - 1);
  const next = text.charCodeAt(end);
  return (
    // ssn "123-45…", phone "415-555…": three digits, one character, a digit.
    (length === 3 && isAsciiDigit(text.charCodeAt(end + 1))) ||
    // phone "(415) …", "+1 …", "1 415 …", "1415…".
    previous === 40 ||
    previous === 43 ||
    (text.charCodeAt(start) === 49 && (length === 1 || length === 4)) ||
    // ip "192.168…".
    (length <= 3 && next === 46) ||
    // card: thirteen digits, maybe in groups joined by " " or "-".
    length >= 13 ||
    ((next === 32 || next === 45) && isAsciiDigit(text.charCodeAt(end + 1))) ||
    // address "12 Main St".
    (length <= 6 && capitalAfterSpace(text, end))
  );
}

/** What the digit runs of a text allow (see digitRuns). */
interface Numbers {
  /** The runs where a digit-anchored pattern may start, or "dense" when there are too many runs to try one by one. */
  runs: DigitRun[] | "dense";
  hasDigit: boolean;
  /**
   * Necessary conditions for the keyword-led patterns that need a number (always true when dense).
   * The value of `SSN: …` starts a run (what precedes it is a keyword letter or a separator) of
   * exactly nine digits or "123-45…"; a date of birth holds a four-digit year, or starts with a run
   * of one or two digits, a separator and a digit ("04/12/61").
   */
  ssnValue: boolean;
  date: boolean;
}

function digitRuns(text: string): Numbers {
  const limit = Math.min(MAX_RUNS, text.length / MIN_CHARS_PER_RUN);
  const runs: DigitRun[] = [];
  let count = 0;
  let ssnValue = false;
  let date = false;
  DIGIT.lastIndex = 0;
  while (DIGIT.test(text)) {
    if (count >= limit) return { runs: "dense", hasDigit: true, ssnValue: true, date: true };
    count += 1;
    const start = DIGIT.lastIndex - 1;
    let end = start + 1;
    while (isAsciiDigit(text.charCodeAt(end))) end += 1;
    DIGIT.lastIndex = end;
    const length = end - start;
    const next = text.charCodeAt(end);
    const digitAfterNext = isAsciiDigit(text.charCodeAt(end + 1));
    if (length === 9 || (length === 3 && (next === 45 || next === 32) && digitAfterNext)) ssnValue = true;
    if (length === 4 || (length <= 2 && (next === 47 || next === 46 || next === 45) && digitAfterNext))
      date = true;
    const run = { start, end };
    if (runMayStartIdentifier(text, run)) runs.push(run);
  }
  return { runs, hasDigit: count > 0, ssnValue, date };
}

/**
 * The word-beginning gates (src/eval/prefilter.ts) of the keyword-led patterns: every match starts
 * a word (`\bSSN`, `\bpatient`), so given a text's word beginnings a pattern is skipped when its
 * words are missing (a full scan then finds nothing).
 * A date of birth's "D.O.B" is three one-letter words, which nearly every text has: the gate is
 * read without it, and a text where it may be (with ".o." in some case) is scanned whole instead.
 */
interface KeywordGate {
  gate: GateWays;
  /** Whether the text may hold a match the gate does not cover (it is then scanned whole). */
  uncovered?: (text: string) => boolean;
}

function keywordGate(pattern: PhiPattern): KeywordGate | null {
  if (pattern.keyword === "dob") {
    const gate = gateOf("\\b(?:DOB|date of birth|birth ?date|born)\\b", pattern.regex.flags);
    const uncovered = (text: string) => text.includes(".o.") || text.includes(".O.");
    return gate === null ? null : { gate, uncovered };
  }
  const gate = pattern.keyword === undefined ? null : gateOf(pattern.regex.source, pattern.regex.flags);
  return gate === null ? null : { gate };
}

const KEYWORD_GATES: ReadonlyMap<PhiPattern, KeywordGate> = new Map(
  PHI_PATTERNS.flatMap((p) => {
    const gate = keywordGate(p);
    return gate === null ? [] : [[p, gate] as const];
  }),
);

function record(pattern: PhiPattern, m: RegExpExecArray, found: PhiMatch[]): void {
  const value = pattern.valueIsLastGroup ? (m[m.length - 1] ?? m[0]) : m[0];
  if (pattern.validate !== undefined && !pattern.validate(value)) return;
  const end = m.index + m[0].length;
  found.push({ type: pattern.type, start: end - value.length, end });
}

/**
 * The matches a global scan of the pattern would find, trying only the candidate starts: in order,
 * skipping those inside the previous match (a rejected card number still consumes its digits).
 */
function scanAnchored(
  pattern: PhiPattern,
  sticky: RegExp,
  text: string,
  runs: readonly DigitRun[],
  found: PhiMatch[],
): void {
  let resumeAt = 0;
  for (const run of runs) {
    for (const start of pattern.startsAt?.(text, run) ?? NONE) {
      if (start < resumeAt) continue;
      sticky.lastIndex = start;
      const m = sticky.exec(text);
      if (m === null) continue;
      record(pattern, m, found);
      resumeAt = start + m[0].length;
    }
  }
}

/** The matches of a gated keyword-led pattern: those of a global scan, skipped when the gate says none. */
function scanGated(
  pattern: PhiPattern,
  { gate, uncovered }: KeywordGate,
  text: string,
  beginnings: WordBeginnings,
  found: PhiMatch[],
): void {
  if (uncovered?.(text) !== true && !beginnings.passes(gate)) return;
  const { regex } = pattern;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) record(pattern, m, found);
}

/**
 * Personal identifiers in the text, overlapping matches merged, sorted by offset. `beginnings`, when
 * given, must be the text's own (a segment's `beginnings`): the keyword-led patterns are then
 * looked for only where their keywords start a word, the same matches for less work.
 */
export function detectPhi(text: string, beginnings?: WordBeginnings): PhiMatch[] {
  const found: PhiMatch[] = [];
  const numbers = digitRuns(text);
  const { runs, hasDigit } = numbers;
  let keywords: Set<Keyword> | undefined;
  for (const pattern of PHI_PATTERNS) {
    if (pattern.needsDigit && !hasDigit) continue;
    if (pattern.keyword !== undefined) {
      if (pattern.keyword === "ssn" && !numbers.ssnValue) continue;
      if (pattern.keyword === "dob" && !numbers.date) continue;
      const gated = beginnings === undefined ? undefined : KEYWORD_GATES.get(pattern);
      if (gated !== undefined && beginnings !== undefined) {
        scanGated(pattern, gated, text, beginnings, found);
        continue;
      }
      keywords ??= keywordsIn(text);
      if (!keywords.has(pattern.keyword)) continue;
    }
    const sticky = STICKY.get(pattern);
    if (sticky !== undefined && runs !== "dense") {
      scanAnchored(pattern, sticky, text, runs, found);
      continue;
    }
    const { regex } = pattern;
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) record(pattern, m, found);
  }
  if (text.includes("@")) findEmails(text, found);
  return mergeOverlapping(found);
}

function mergeOverlapping(matches: PhiMatch[]): PhiMatch[] {
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: PhiMatch[] = [];
  for (const match of matches) {
    const last = merged[merged.length - 1];
    if (last !== undefined && match.start < last.end) last.end = Math.max(last.end, match.end);
    else merged.push({ ...match });
  }
  return merged;
}

/** Placeholder shown instead of a removed value: "[EMAIL]", "[EMAIL:3fa9c1d2]" or "[REDACTED]". */
export function phiPlaceholder(type: PhiType): string {
  return `[${type.toUpperCase()}]`;
}

/**
 * Object keys whose whole value is an identifier even without a recognisable shape (a bare name, a
 * number), by the key's last dotted segment in lower case without `_`, `-` or spaces: `patient.ssn`,
 * `Date_Of_Birth`, `aegis.metadata.mrn`.
 */
const IDENTIFIER_KEYS: ReadonlyMap<string, PhiType> = new Map([
  ...["patientname", "fullname", "firstname", "lastname", "surname", "givenname", "familyname"].map(
    (k) => [k, "name"] as const,
  ),
  ...["dob", "dateofbirth", "birthdate", "birthday"].map((k) => [k, "dob"] as const),
  ...["ssn", "socialsecuritynumber", "socialsecurity"].map((k) => [k, "ssn"] as const),
  ...["mrn", "medicalrecordnumber", "medicalrecord"].map((k) => [k, "mrn"] as const),
  ...[
    "phone",
    "phonenumber",
    "mobile",
    "mobilenumber",
    "mobilephone",
    "telephone",
    "telephonenumber",
    "cell",
    "cellphone",
    "cellnumber",
  ].map((k) => [k, "phone"] as const),
  ...["email", "emailaddress"].map((k) => [k, "email"] as const),
  ...["address", "streetaddress", "homeaddress"].map((k) => [k, "address"] as const),
  ...["ip", "ipaddress"].map((k) => [k, "ip"] as const),
]);

/** `name` alone is a person's name only where a trace describes people: its context and metadata. */
const PERSON_NAME_KEYS = new Set(["name", "username"]);

function keyTypeOf(key: string, personKeys: boolean): PhiType | undefined {
  const normalized = key
    .slice(key.lastIndexOf(".") + 1)
    .toLowerCase()
    .replace(/[\s_-]/g, "");
  return (
    IDENTIFIER_KEYS.get(normalized) ?? (personKeys && PERSON_NAME_KEYS.has(normalized) ? "name" : undefined)
  );
}

/**
 * What a visited text is: a value (wholly an identifier when `keyType` says so), an object key, or a
 * field that must stay one stable value (`id`, `session_id`...), which is pseudonymized whole.
 */
type TextKind = "value" | "key" | "identifier";
type TextVisitor = (kind: TextKind, field: string, text: string, keyType: PhiType | undefined) => string;

/** Strings that hold JSON (tool arguments, OTel message lists) are redacted as the JSON they hold. */
function embeddedJson(text: string, depth: number): object | undefined {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Too deep to walk (or otherwise unstorable as data): then it is redacted as the text it is.
  if (typeof value !== "object" || value === null) return undefined;
  return jsonValueProblem(value, MAX_JSON_DEPTH - depth) === null ? value : undefined;
}

/**
 * Walks a JSON document: every string value and every object key, at any depth, goes through the
 * visitor; numbers under identifier keys are visited as text, and so are the keys of objects under
 * them (`{"ssn": {"123456789": 1}}`: the key is the identifier). Keys rewritten to the same
 * placeholder are told apart by a counter ("[EMAIL]", "[EMAIL] (2)"). Both redaction passes walk a
 * document in the same order, so a visit is identified by its position.
 */
class DocumentWalker {
  constructor(private readonly visit: TextVisitor) {}

  json(value: unknown, field: string, keyType: PhiType | undefined, personKeys: boolean, depth = 0): unknown {
    if (typeof value === "string") {
      const embedded = embeddedJson(value, depth);
      if (embedded === undefined) return this.visit("value", field, value, keyType);
      const mapped = this.json(embedded, `${field}#json`, keyType, personKeys, depth);
      return JSON.stringify(mapped) === JSON.stringify(embedded) ? value : JSON.stringify(mapped);
    }
    if (typeof value === "number" && keyType !== undefined) {
      const printed = String(value);
      const visited = this.visit("value", field, printed, keyType);
      return visited === printed ? value : visited;
    }
    if (Array.isArray(value))
      return value.map((item, i) => this.json(item, `${field}[${i}]`, keyType, personKeys, depth + 1));
    if (typeof value !== "object" || value === null) return value;
    return this.object(value as Record<string, unknown>, field, keyType, (key, path, item) =>
      this.json(item, path, keyTypeOf(key, personKeys) ?? keyType, personKeys, depth + 1),
    );
  }

  /**
   * An object with its keys visited (wholly identifiers when `keyType` says so); `mapItem` maps each
   * value, given its key and its redacted path.
   */
  object(
    value: Record<string, unknown>,
    field: string,
    keyType: PhiType | undefined,
    mapItem: (key: string, path: string, item: unknown) => unknown,
  ): Record<string, unknown> {
    const mapped: Record<string, unknown> = {};
    // Per placeholder, the next suffix to try: 10,000 keys that all become "[EMAIL]" take one probe
    // each, not one per key before them.
    const nextSuffix = new Map<string, number>();
    for (const [key, item] of Object.entries(value)) {
      // The key's own record names where it is, not what it was: `metadata#key`.
      const visited = this.visit("key", `${field}#key`, key, keyType);
      let name = visited;
      if (Object.hasOwn(mapped, name)) {
        let n = nextSuffix.get(visited) ?? 2;
        for (name = `${visited} (${n})`; Object.hasOwn(mapped, name); name = `${visited} (${n})`) n += 1;
        nextSuffix.set(visited, n + 1);
      }
      mapped[name] = mapItem(key, `${field}.${name}`, item);
    }
    return mapped;
  }
}

/** Trace fields that must stay one stable value, for lookups, dedupe and grouping. */
const TRACE_IDENTIFIERS: ReadonlySet<string> = new Set([
  "id",
  "session_id",
  "user_id",
  "application_id",
  "model",
  "domain",
]);
/** Trace fields that describe people, where a bare `name` key holds a person's name. */
const PERSON_FIELDS: ReadonlySet<string> = new Set(["context", "metadata"]);

function mapTrace(trace: TraceInput, visit: TextVisitor): TraceInput {
  const walker = new DocumentWalker(visit);
  const mapped: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(trace)) {
    mapped[field] =
      TRACE_IDENTIFIERS.has(field) && typeof value === "string"
        ? visit("identifier", field, value, undefined)
        : walker.json(value, field, undefined, PERSON_FIELDS.has(field));
  }
  return mapped as TraceInput;
}

/**
 * Span attributes whose values Aegis copies into trace identifiers (src/otlp/genai.ts): they are
 * pseudonymized as identifiers, so the span and its trace carry the same token.
 */
const SPAN_IDENTIFIER_ATTRIBUTES: ReadonlySet<string> = new Set([
  "session.id",
  "gen_ai.conversation.id",
  "user.id",
  "enduser.id",
  "gen_ai.request.model",
  "gen_ai.response.model",
  "llm.model_name",
  "ai.model.id",
  "ai.response.model",
  "aegis.domain",
  "aegis.model",
  "aegis.session_id",
  "aegis.user_id",
  "aegis.application_id",
]);

/** The parts of an OpenTelemetry span that carry content: everything but its ids, kind and times. */
export interface SpanContent {
  name: string;
  statusMessage: string | null;
  attributes: Record<string, unknown>;
  events: { name: string; timeMs: number; attributes: Record<string, unknown> }[];
  resource: Record<string, unknown>;
}

/**
 * Attributes Aegis copies into a trace's `metadata` and `context` (`aegis.metadata`, as an object or
 * JSON, `aegis.metadata.<key>`, and the same for `aegis.context`): they describe people as those
 * fields do, so a bare `name` under them is a person's name in the span as in the trace.
 */
const PERSON_ATTRIBUTE = /^aegis\.(?:metadata|context)(?:\.|$)/;

/** OpenTelemetry attributes: identifier attributes pseudonymized whole, the others walked as JSON. */
function mapAttributes(
  walker: DocumentWalker,
  visit: TextVisitor,
  field: string,
  values: Record<string, unknown>,
) {
  return walker.object(values, field, undefined, (key, path, value) => {
    if (SPAN_IDENTIFIER_ATTRIBUTES.has(key) && typeof value === "string")
      return visit("identifier", path, value, undefined);
    const personKeys = PERSON_ATTRIBUTE.test(key);
    return walker.json(value, path, keyTypeOf(key, personKeys), personKeys, 1);
  });
}

function mapSpan<S extends SpanContent>(span: S, visit: TextVisitor): S {
  const walker = new DocumentWalker(visit);
  const attributes = (field: string, values: Record<string, unknown>) =>
    mapAttributes(walker, visit, field, values);
  return {
    ...span,
    name: visit("value", "name", span.name, undefined),
    statusMessage:
      span.statusMessage === null ? null : visit("value", "status_message", span.statusMessage, undefined),
    attributes: attributes("attributes", span.attributes),
    events: span.events.map((event, i) => ({
      ...event,
      name: visit("value", `events[${i}].name`, event.name, undefined),
      attributes: attributes(`events[${i}].attributes`, event.attributes),
    })),
    resource: attributes("resource", span.resource),
  };
}

/** The content of a GenAI log record: its event name, body and attributes. */
export interface LogContent {
  eventName: string;
  body: unknown;
  attributes: Record<string, unknown>;
}

function mapLog<L extends LogContent>(log: L, visit: TextVisitor): L {
  const walker = new DocumentWalker(visit);
  return {
    ...log,
    eventName: visit("value", "event_name", log.eventName, undefined),
    body: walker.json(log.body, "body", undefined, false),
    attributes: mapAttributes(walker, visit, "attributes", log.attributes),
  };
}

const encoder = new TextEncoder();

async function hmacKey(orgSecret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(orgSecret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
}

async function hmacHex(key: CryptoKey, value: string, bytes: number): Promise<string> {
  const digest = await crypto.subtle.sign("HMAC", key, encoder.encode(value));
  return [...new Uint8Array(digest, 0, bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Stable per organisation: the same value maps to the same token, and tokens differ between organisations. */
async function pseudonymTokens(
  key: CryptoKey,
  values: readonly string[],
  bytes: number,
): Promise<Map<string, string>> {
  const digests = await Promise.all(values.map((value) => hmacHex(key, value, bytes)));
  return new Map(values.map((value, i) => [value, digests[i] ?? ""]));
}

/**
 * Hex strings (OpenTelemetry trace and span ids, digests, request ids) and UUIDs: random
 * identifiers, never PHI in an identifier field, although their digit groups can pass for a card
 * number (about 0.2% of them do). A bare run of 13 to 19 digits is not one of them: it may be a card.
 */
const HEX_ID = /^[0-9a-f]{16,}$/i;
const BARE_CARD_LENGTH = /^\d{13,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isRandomIdentifier(text: string): boolean {
  return UUID.test(text) || (HEX_ID.test(text) && !BARE_CARD_LENGTH.test(text));
}

/** The personal identifiers an identifier field's value holds (see isRandomIdentifier). */
function identifierPhi(text: string): PhiMatch[] {
  return isRandomIdentifier(text) ? [] : detectPhi(text);
}

/** Whether an identifier field's value is stored as its token (in every redaction mode but off). */
export function identifierHoldsPhi(raw: string): boolean {
  return identifierPhi(raw).length > 0;
}

/**
 * An identifier field's token: lower-case letters, digits and `_`, so it fits every identifier field.
 * The one derivation that ingestion (redactTexts) and lookups (storedIdentifier) share.
 */
async function identifierToken(key: CryptoKey, raw: string): Promise<string> {
  return `phi_${await hmacHex(key, `id:${raw}`, 12)}`;
}

/**
 * How an identifier field is stored, given the raw value a client sends: itself, or, when it holds
 * PHI, the organization's stable token for it. Lookups by a client's own id, session or model go
 * through this, so they find what ingestion stored whatever the redaction mode was.
 */
export async function storedIdentifier(raw: string, orgSecret: string): Promise<string> {
  return identifierHoldsPhi(raw) ? identifierToken(await hmacKey(orgSecret), raw) : raw;
}

/**
 * Redaction records kept per document (a trace, a span, a log record): the first ones in the order
 * the document is walked, within a budget for their paths, so that a document dense with identifiers
 * (300,000 numbers under `ssn`) still stores a bounded list. The others are counted, per type, in
 * one summary record each whose `field` is OMITTED_REDACTIONS and whose `omitted` is the count.
 */
export const MAX_REDACTION_RECORDS = 1_000;
const MAX_REDACTION_PATH_CHARS = 100_000;
export const OMITTED_REDACTIONS = "(omitted)";

class RedactionLog {
  private readonly records: RedactionRecord[] = [];
  private pathChars = 0;
  private full = false;
  private readonly omitted = new Map<PhiType, number>();

  add(type: PhiType, field: string, start: number, end: number): void {
    this.full ||=
      this.records.length >= MAX_REDACTION_RECORDS ||
      this.pathChars + field.length > MAX_REDACTION_PATH_CHARS;
    if (this.full) {
      this.omitted.set(type, (this.omitted.get(type) ?? 0) + 1);
      return;
    }
    this.records.push({ type, field, start, end });
    this.pathChars += field.length;
  }

  list(): RedactionRecord[] {
    const summaries = [...this.omitted].map(
      ([type, omitted]): RedactionRecord => ({ type, field: OMITTED_REDACTIONS, start: 0, end: 0, omitted }),
    );
    return [...this.records, ...summaries];
  }
}

/**
 * Applies an organization's PHI policy to a whole trace before anything stores, indexes, publishes or
 * audits it: every string and every object key, at any depth, in every field (numbers under
 * identifier keys such as `ssn` included). Identifier fields (`id`, `session_id`, `user_id`,
 * `application_id`, `model`, `domain`) that hold PHI are replaced whole by the organization's stable
 * token in every mode, so that lookups and dedupe still work. Offsets in the records refer to the
 * original text; paths name redacted keys.
 */
export async function redactTrace(
  trace: TraceInput,
  mode: PhiRedactionMode,
  orgSecret: string,
): Promise<{ trace: TraceInput; redactions: RedactionRecord[] }> {
  const { value, redactions } = await redactTexts(trace, mapTrace, mode, orgSecret);
  return { trace: value, redactions };
}

/** The same policy over an OpenTelemetry span: its name, status message, attributes (keys too), events and resource. */
export function redactSpan<S extends SpanContent>(
  span: S,
  mode: PhiRedactionMode,
  orgSecret: string,
): Promise<{ value: S; redactions: RedactionRecord[] }> {
  return redactTexts(span, mapSpan, mode, orgSecret);
}

/** The same policy over a GenAI log record: its event name, body and attributes (keys too). */
export function redactLogRecord<L extends LogContent>(
  log: L,
  mode: PhiRedactionMode,
  orgSecret: string,
): Promise<{ value: L; redactions: RedactionRecord[] }> {
  return redactTexts(log, mapLog, mode, orgSecret);
}

/** A visited text that holds identifiers, and what it is. */
interface Found {
  kind: TextKind;
  text: string;
  matches: PhiMatch[];
}

/** Finds identifiers in the texts `mapTexts` visits, then rewrites those texts under the policy. */
async function redactTexts<T>(
  document: T,
  mapTexts: (value: T, visit: TextVisitor) => T,
  mode: PhiRedactionMode,
  orgSecret: string,
): Promise<{ value: T; redactions: RedactionRecord[] }> {
  if (mode === "off") return { value: document, redactions: [] };
  const found = new Map<number, Found>();
  let visited = 0;
  mapTexts(document, (kind, _field, text, keyType) => {
    if (text.length > 0) {
      const matches =
        keyType !== undefined
          ? [{ type: keyType, start: 0, end: text.length }]
          : kind === "identifier"
            ? identifierPhi(text)
            : detectPhi(text);
      if (matches.length > 0) found.set(visited, { kind, text, matches });
    }
    visited += 1;
    return text;
  });
  if (found.size === 0) return { value: document, redactions: [] };

  // The type is part of the keyed value so that equal strings of different kinds get different tokens.
  const valueKey = (type: PhiType, text: string, m: PhiMatch) => `${type}:${text.slice(m.start, m.end)}`;
  const key = await hmacKey(orgSecret);
  const entries = [...found.values()];
  // Identifier fields are replaced whole by their own token: only they need one, and no pseudonym.
  const texts = entries.filter((entry) => entry.kind !== "identifier");
  const rawIdentifiers = [...new Set(entries.flatMap((e) => (e.kind === "identifier" ? [e.text] : [])))];
  const [tokens, identifiers] = await Promise.all([
    pseudonymTokens(
      key,
      mode === "pseudonymize"
        ? [...new Set(texts.flatMap(({ text, matches }) => matches.map((m) => valueKey(m.type, text, m))))]
        : [],
      4,
    ),
    Promise.all(rawIdentifiers.map(async (raw) => [raw, await identifierToken(key, raw)] as const)),
  ]);
  const identifierTokens = new Map(identifiers);
  const placeholder = (text: string, match: PhiMatch): string => {
    if (mode === "redact") return "[REDACTED]";
    const token = tokens.get(valueKey(match.type, text, match));
    return token === undefined ? phiPlaceholder(match.type) : `[${match.type.toUpperCase()}:${token}]`;
  };

  const log = new RedactionLog();
  visited = 0;
  const redacted = mapTexts(document, (kind, field, text) => {
    const entry = found.get(visited);
    visited += 1;
    if (entry === undefined) return text;
    for (const match of entry.matches) log.add(match.type, field, match.start, match.end);
    // Never the raw value: every identifier that holds PHI got its token above.
    if (kind === "identifier") return identifierTokens.get(text) ?? "phi_";
    let rebuilt = "";
    let cursor = 0;
    for (const match of entry.matches) {
      rebuilt += text.slice(cursor, match.start) + placeholder(text, match);
      cursor = match.end;
    }
    return rebuilt + text.slice(cursor);
  });
  return { value: redacted, redactions: log.list() };
}

/** "[EMAIL]", "[EMAIL:3fa9c1d2]" (see phiPlaceholder and the pseudonyms above) or "[REDACTED]" (untyped). */
const PLACEHOLDER = new RegExp(
  `\\[(?:(${phiTypeSchema.options.map((type) => type.toUpperCase()).join("|")})(?::[0-9a-f]{8})?|REDACTED)\\]`,
  "g",
);

/** A placeholder redaction left in a text: its type, or null for "[REDACTED]", and where it is. */
export interface PlaceholderMatch {
  type: PhiType | null;
  start: number;
  end: number;
  text: string;
}

/**
 * Redaction records for a trace made from content that was stored redacted (OpenTelemetry spans and
 * log records that arrived before the trace could be made): its texts hold placeholders where its
 * sources held identifiers, and redacting the trace finds nothing more. `sources` are the records of
 * those sources; a placeholder counts only when a source recorded an identifier of its type (an
 * untyped "[REDACTED]" takes the sources' most common type), so placeholders a model wrote itself (a
 * de-identified summary's "[NAME]") are not taken for identifiers.
 */
export function sourceRedactionRecords(
  trace: Pick<TraceInput, "input" | "output">,
  sources: readonly RedactionRecord[],
): RedactionRecord[] {
  const counts = new Map<PhiType, number>();
  for (const record of sources) counts.set(record.type, (counts.get(record.type) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (common === undefined) return [];
  const records: RedactionRecord[] = [];
  for (const field of ["input", "output"] as const) {
    for (const placeholder of redactionPlaceholders(trace[field])) {
      const type = placeholder.type ?? common;
      if (counts.has(type)) records.push({ type, field, start: placeholder.start, end: placeholder.end });
    }
  }
  return records;
}

/** The redaction placeholders in a text, in order: where an identifier was before it was stored. */
export function redactionPlaceholders(text: string): PlaceholderMatch[] {
  if (!text.includes("[")) return [];
  const found: PlaceholderMatch[] = [];
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(text); m !== null; m = PLACEHOLDER.exec(text)) {
    const type = m[1] === undefined ? null : (m[1].toLowerCase() as PhiType);
    found.push({ type, start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return found;
}
