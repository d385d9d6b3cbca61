import type { PhiRedactionMode, PhiType, RedactionRecord, TraceInput } from "../schema/trace";

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
    regex: /(?<![\d-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\d-])/g,
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

const DIGIT_RUN = /\d+/g;
/**
 * Numbers are tried one by one only while they are few: in a text dense with them (tables, logs,
 * adversarial digit groups) a call per number costs more than one pass of each pattern.
 */
const MAX_RUNS = 256;
const MIN_CHARS_PER_RUN = 16;

/** The digit runs of the text, or "dense" when there are too many to try one by one. */
function digitRuns(text: string): DigitRun[] | "dense" {
  const limit = Math.min(MAX_RUNS, text.length / MIN_CHARS_PER_RUN);
  const runs: DigitRun[] = [];
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m !== null; m = DIGIT_RUN.exec(text)) {
    if (runs.length >= limit) return "dense";
    runs.push({ start: m.index, end: m.index + m[0].length });
  }
  return runs;
}

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

/** Personal identifiers in the text, overlapping matches merged, sorted by offset. */
export function detectPhi(text: string): PhiMatch[] {
  const found: PhiMatch[] = [];
  const runs = digitRuns(text);
  const hasDigit = runs === "dense" || runs.length > 0;
  const keywords = keywordsIn(text);
  for (const pattern of PHI_PATTERNS) {
    if (pattern.needsDigit && !hasDigit) continue;
    if (pattern.keyword !== undefined && !keywords.has(pattern.keyword)) continue;
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

/** Context keys whose whole value is an identifier even without a recognisable shape (a bare name). */
const CONTEXT_KEY_TYPES: ReadonlyMap<string, PhiType> = new Map([
  ...["name", "full_name", "first_name", "last_name", "patient_name"].map((k) => [k, "name"] as const),
  ...["dob", "date_of_birth", "birth_date", "birthdate"].map((k) => [k, "dob"] as const),
  ...["ssn", "social_security_number"].map((k) => [k, "ssn"] as const),
  ...["mrn", "medical_record_number"].map((k) => [k, "mrn"] as const),
  ...["phone", "phone_number", "mobile", "telephone"].map((k) => [k, "phone"] as const),
  ...["email", "email_address"].map((k) => [k, "email"] as const),
  ...["address", "street_address", "home_address"].map((k) => [k, "address"] as const),
  ...["ip", "ip_address"].map((k) => [k, "ip"] as const),
]);

/** Rewrites every text of the trace that may carry identifiers; `keyType` marks a whole value as one. */
type TextVisitor = (field: string, text: string, keyType: PhiType | undefined) => string;

/** Maps string leaves of a JSON value (and numbers under identifier keys) keeping its shape. */
function mapJson<T>(
  value: T,
  field: string,
  keyType: PhiType | undefined,
  visit: TextVisitor,
  keyed: boolean,
): T {
  if (typeof value === "string") return visit(field, value, keyType) as T;
  if (typeof value === "number" && keyType !== undefined) {
    const printed = String(value);
    const visited = visit(field, printed, keyType);
    return (visited === printed ? value : visited) as T;
  }
  if (Array.isArray(value))
    return value.map((item, i) => mapJson(item, `${field}[${i}]`, keyType, visit, keyed)) as T;
  if (typeof value !== "object" || value === null) return value;
  const mapped: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const type = keyed ? (CONTEXT_KEY_TYPES.get(key.toLowerCase()) ?? keyType) : undefined;
    mapped[key] = mapJson(item, `${field}.${key}`, type, visit, keyed);
  }
  return mapped as T;
}

function mapTraceTexts(trace: TraceInput, visit: TextVisitor): TraceInput {
  const mapped: TraceInput = {
    ...trace,
    input: visit("input", trace.input, undefined),
    output: visit("output", trace.output, undefined),
  };
  if (trace.context !== undefined) mapped.context = mapJson(trace.context, "context", undefined, visit, true);
  if (trace.retrieved_contexts !== undefined) {
    mapped.retrieved_contexts = trace.retrieved_contexts.map((c, i) => ({
      ...c,
      content: visit(`retrieved_contexts[${i}].content`, c.content, undefined),
    }));
  }
  if (trace.reasoning_steps !== undefined) {
    mapped.reasoning_steps = mapJson(trace.reasoning_steps, "reasoning_steps", undefined, visit, false);
  }
  if (trace.agents !== undefined) {
    mapped.agents = trace.agents.map((m, i) => ({
      ...m,
      content: visit(`agents[${i}].content`, m.content, undefined),
    }));
  }
  if (trace.counterfactuals !== undefined) {
    mapped.counterfactuals = trace.counterfactuals.map((v, i) => ({
      input: visit(`counterfactuals[${i}].input`, v.input, undefined),
      output: visit(`counterfactuals[${i}].output`, v.output, undefined),
    }));
  }
  if (trace.tool_calls !== undefined) {
    mapped.tool_calls = trace.tool_calls.map((call, i) => ({
      ...call,
      arguments: mapJson(call.arguments, `tool_calls[${i}].arguments`, undefined, visit, false),
      result: mapJson(call.result, `tool_calls[${i}].result`, undefined, visit, false),
    }));
  }
  return mapped;
}

const encoder = new TextEncoder();

/** Stable per organisation: the same value maps to the same token, and tokens differ between organisations. */
async function pseudonymTokens(orgSecret: string, values: readonly string[]): Promise<Map<string, string>> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(orgSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const digests = await Promise.all(
    values.map((value) => crypto.subtle.sign("HMAC", key, encoder.encode(value))),
  );
  const tokens = new Map<string, string>();
  digests.forEach((digest, i) => {
    const hex = [...new Uint8Array(digest, 0, 4)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    tokens.set(values[i] ?? "", hex);
  });
  return tokens;
}

/**
 * Applies an organisation's PHI policy to a trace before it is stored: input, output, context
 * (string leaves; values under identifier keys such as `name` or `dob` entirely), retrieved contexts,
 * and also reasoning steps, agent messages, counterfactuals and tool-call arguments/results, where
 * identifiers would otherwise slip through. Offsets in the records refer to the original text.
 */
export async function redactTrace(
  trace: TraceInput,
  mode: PhiRedactionMode,
  orgSecret: string,
): Promise<{ trace: TraceInput; redactions: RedactionRecord[] }> {
  const { value, redactions } = await redactTexts(trace, mapTraceTexts, mode, orgSecret);
  return { trace: value, redactions };
}

/**
 * The same policy over every string leaf of each field of a document (for example a span's attributes
 * and events); the records' paths start at the field's name.
 */
export function redactDocument<T extends Record<string, unknown>>(
  document: T,
  mode: PhiRedactionMode,
  orgSecret: string,
): Promise<{ value: T; redactions: RedactionRecord[] }> {
  const mapFields = (doc: T, visit: TextVisitor): T => {
    const mapped: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(doc)) mapped[key] = mapJson(item, key, undefined, visit, false);
    return mapped as T;
  };
  return redactTexts(document, mapFields, mode, orgSecret);
}

/** Finds identifiers in the texts `mapTexts` visits, then rewrites those texts under the policy. */
async function redactTexts<T>(
  document: T,
  mapTexts: (value: T, visit: TextVisitor) => T,
  mode: PhiRedactionMode,
  orgSecret: string,
): Promise<{ value: T; redactions: RedactionRecord[] }> {
  if (mode === "off") return { value: document, redactions: [] };
  // Keyed by visiting order, which both passes share: two fields may print the same path ("a.b" as one
  // attribute key or as a nested one).
  const found = new Map<number, { text: string; matches: PhiMatch[] }>();
  let visited = 0;
  mapTexts(document, (_field, text, keyType) => {
    const matches = keyType === undefined ? detectPhi(text) : [{ type: keyType, start: 0, end: text.length }];
    if (text.length > 0 && matches.length > 0) found.set(visited, { text, matches });
    visited += 1;
    return text;
  });
  if (found.size === 0) return { value: document, redactions: [] };

  // The type is part of the keyed value so that equal strings of different kinds get different tokens.
  const valueKey = (type: PhiType, text: string, m: PhiMatch) => `${type}:${text.slice(m.start, m.end)}`;
  const tokens =
    mode === "pseudonymize"
      ? await pseudonymTokens(orgSecret, [
          ...new Set(
            [...found.values()].flatMap(({ text, matches }) => matches.map((m) => valueKey(m.type, text, m))),
          ),
        ])
      : null;
  const placeholder = (text: string, match: PhiMatch): string => {
    if (mode === "redact") return "[REDACTED]";
    const token = tokens?.get(valueKey(match.type, text, match));
    return token === undefined ? phiPlaceholder(match.type) : `[${match.type.toUpperCase()}:${token}]`;
  };

  const redactions: RedactionRecord[] = [];
  visited = 0;
  const redacted = mapTexts(document, (field, text) => {
    const entry = found.get(visited);
    visited += 1;
    if (entry === undefined) return text;
    let rebuilt = "";
    let cursor = 0;
    for (const match of entry.matches) {
      rebuilt += text.slice(cursor, match.start) + placeholder(text, match);
      cursor = match.end;
      redactions.push({ type: match.type, field, start: match.start, end: match.end });
    }
    return rebuilt + text.slice(cursor);
  });
  return { value: redacted, redactions };
}
