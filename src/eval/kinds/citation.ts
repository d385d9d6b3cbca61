import type { CompiledRule } from "../compiled";
import { MAX_ISSUES_PER_RULE, makeIssue, textEvidence } from "../issue";
import type { RuleOfKind } from "../pack-schema";
import type { TraceView } from "../trace-view";
import type { RuleMeta } from "../types";

export interface Citation {
  /**
   * case: "Brown v. Board of Education, 347 U.S. 483 (1954)"; reporter: "347 U.S. 483"; statute:
   * "42 U.S.C. § 1983"; case_name: "Miranda v. Arizona", "In re Gault"; database: "2022 WL 4471902";
   * state_statute: "Cal. Civ. Code § 1942"; court_rule: "Fed. R. Civ. P. 56".
   */
  kind: "case" | "reporter" | "statute" | "case_name" | "database" | "state_statute" | "court_rule";
  start: number;
  end: number;
  /** Alphanumeric, lower-case form looked for in the retrieved contexts ("347us483", "mirandavarizona"). */
  supportKey: string;
  /** Other forms the sources may use for the same authority ("rule56" for "Fed. R. Civ. P. 56"). */
  alternativeKeys?: readonly string[];
  /**
   * Authorities that sources often write another way (state codes, court rules): when the sources
   * do not show them, the support check is unsure (the judge looks) rather than raising an issue.
   */
  soft?: boolean;
  /** "10 SCC 1": volume, reporter and page as written, spaces collapsed (reporter citations only). */
  written?: string;
  /** What a format check looks at; absent parts are undefined. */
  separator?: string;
  reporter?: string;
  parenthetical?: string;
  code?: string;
  sectionMark?: string;
}

/** Reporter abbreviations: dotted ("U.S.", "F. Supp. 2d") or short capitals ("US", "F3d"), up to three tokens. */
const REPORTER_TOKEN = "(?:[A-Z][A-Za-z]{0,5}\\.|[A-Z]{1,4}|\\d(?:d|th|rd|nd))";
const REPORTER = `${REPORTER_TOKEN}(?:\\s?${REPORTER_TOKEN}){0,3}`;
const PINPOINT = "(?:,\\s{0,2}\\d{1,5}(?:[-–]\\d{1,5})?)?";
const PARENTHETICAL = "(?:\\s{0,2}\\(([^()\\n]{0,60})\\))?";
const REPORTER_CITATION = new RegExp(
  `\\b(\\d{1,4})\\s(${REPORTER})\\s(\\d{1,5})\\b${PINPOINT}${PARENTHETICAL}`,
  "g",
);
const STATUTE =
  /\b(\d{1,3})\s{1,2}(U\.?\s?S\.?\s?C\.?(?:\s?A\.?)?|C\.?\s?F\.?\s?R\.?)\s{0,2}(§{1,2}|[Ss]ec(?:tion|\.)?)?\s{0,2}(\d{1,5}[a-z]?(?:-\d{1,4})?)/g;
/** "In re Marquette Solar Litig.", "Ex parte Young": a case named after one party or subject. */
const IN_RE =
  /\b(?:In|Ex)\s{1,2}(?:re|parte)\s{1,2}([A-Z][\w.'&-]{0,30})(?:(?:\s{1,2}(?:of|the|and|&)){0,2}\s{1,2}[A-Z][\w.'&-]{0,30}){0,4}/g;
/** Westlaw and Lexis citations of unreported decisions: "2022 WL 4471902", "2019 U.S. Dist. LEXIS 1234". */
const DATABASE = /\b(\d{4})\s{1,2}(WL|U\.\s?S\.\s?(?:Dist\.|App\.)\s?LEXIS|LEXIS)\s{1,2}(\d{1,9})\b/g;
/** A state code section: the code's name ends in Code, Law, Stat. or Ann. and a section sign follows. */
const STATE_CODE =
  /\b(?:Code|Laws?|Stats?\.|Statutes|Ann\.)\s{0,2}§{1,2}\s{0,2}(\d{1,5}(?:[.:]\d{1,5}){0,2}(?:-[A-Za-z0-9]{1,6})?)/g;
/** The words naming the code before "Code §": "Cal. Civ.", "N.Y. Real Prop.", up to five tokens. */
const CODE_NAME = /(?:(?:[A-Z][A-Za-z]{0,11}|[A-Z]\.[A-Z])\.?\s{1,2}){1,5}$/;
/**
 * Statutes cited by chapter, act and section rather than with a section sign: Illinois's
 * "820 ILCS 115/5" and Massachusetts's "G.L. c. 186, § 15B" / "M.G.L. c. 93A". A volume-and-page
 * reading would take "820 ILCS 115" for a reporter citation.
 */
const CHAPTER_STATUTE =
  /\b(\d{1,4})\s{1,2}ILCS\s{1,2}(\d{1,4})\/(\d{1,4}(?:[.-]\d{1,4}){0,2})|\b(?:M\.\s?)?G\.\s?L\.\s?(?:A\.\s?)?c\.\s{0,2}(\d{1,4}[A-Z]?)(?:,?\s{0,2}§{1,2}\s{0,2}(\d{1,4}[A-Z]?))?/g;
/** Federal rules of procedure and evidence: "Fed. R. Civ. P. 56", "Fed. R. Evid. 702". */
const COURT_RULE = /\bFed\.\s?R\.\s?(Civ|Crim|Evid|App|Bankr)\.\s?(?:P\.\s?)?(\d{1,3}(?:\.\d{1,2})?)/g;
const RULE_SET_NAMES: Readonly<Record<string, readonly string[]>> = {
  civ: ["frcp", "civilprocedure", "civp"],
  crim: ["frcrp", "criminalprocedure", "crimp"],
  evid: ["fre", "evidence"],
  app: ["frap", "appellateprocedure", "appp"],
  bankr: ["frbp", "bankruptcyprocedure", "bankrp"],
};

/** What "In re" and "Ex parte" names start with: one cheap scan before the name is read. */
const IN_RE_ANCHOR = /\b(?:In|Ex)\s{1,2}(?:re|parte)\s/;

/** The " v. " between two parties: the anchor from which case names are read outwards. */
const VERSUS = /\s(v\.|vs\.?|v)\s{1,2}(?=[A-Z])/g;
/** Capitalised words, joined by short connectors only when another capitalised word follows ("Board of Education"). */
const PARTY =
  "[A-Z][\\w.'&-]{0,30}(?:(?:\\s{1,2}(?:of|the|and|&|ex|rel\\.|de|la|for)){0,2}\\s{1,2}[A-Z][\\w.'&-]{0,30}){0,5}";
const SECOND_PARTY = new RegExp(PARTY, "y");
/** A full citation continues with ", volume reporter page", an optional pinpoint and "(court year)". */
const AFTER_SECOND_PARTY = new RegExp(
  `,\\s{1,2}(\\d{1,4})\\s(${REPORTER})\\s(\\d{1,5})\\b${PINPOINT}${PARENTHETICAL}`,
  "y",
);
const CAPITALISED = /^[A-Z][\w.'&-]{0,30}$/;
/** Sentence openers and citation signals that precede a case name without being part of it. */
const NOT_A_PARTY: ReadonlySet<string> = new Set([
  "See",
  "Compare",
  "Cf.",
  "Accord",
  "But",
  "Under",
  "In",
  "As",
  "Following",
  "Per",
  "Contra",
  "Also",
  "And",
  "The",
  "With",
]);

/** Runs of other characters go at once: the same result as one by one, with far fewer replacements. */
const NOT_ALPHANUMERIC = /[^a-z0-9]+/g;

const SPACES = /\s+/g;

function collapseSpaces(text: string): string {
  return text.replace(SPACES, " ");
}

/** A digit next to a letter, or two numbers apart: where a key keeps a boundary. */
const NUMBER_EDGE = /(\d) ?(?=[a-z])|([a-z]) ?(?=\d)|(\d) (?=\d)/g;

/**
 * What a citation and its sources are compared by: lower-case letters and digits, with a `~` kept
 * where a number starts or ends ("347 U.S. 483" → "347~us~483"), so "U.S." and "US" still match but
 * "347 U.S. 483" is not found inside "1347 U.S. 4830".
 */
function supportKey(text: string): string {
  return text
    .toLowerCase()
    .replace(NOT_ALPHANUMERIC, " ")
    .replace(NUMBER_EDGE, "$1$2$3~")
    .replace(SPACES, "");
}

/** `[\w.'&-]`, the characters of a party's word, tested on the character code. */
function isPartyChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 46 ||
    code === 39 ||
    code === 38 ||
    code === 45
  );
}

/** The first party, read backwards from the " v. ": up to six capitalised words. */
function firstPartyStart(text: string, versusAt: number): number {
  let start = versusAt;
  for (let words = 0; words < 6; words += 1) {
    let wordStart = start;
    while (wordStart > 0 && wordStart > start - 32 && isPartyChar(text.charCodeAt(wordStart - 1)))
      wordStart -= 1;
    // A parenthetical inside the party's name ("Puttaswamy (Retd.) v. Union of India") is part of it.
    if (wordStart === start && text.charAt(start - 1) === ")") {
      const open = text.lastIndexOf("(", start - 1);
      if (open > 0 && open >= start - 24 && text.charAt(open - 1) === " ") {
        start = open - 1;
        continue;
      }
    }
    const word = text.slice(wordStart, start);
    if (wordStart === start || !CAPITALISED.test(word) || NOT_A_PARTY.has(word)) break;
    start = wordStart;
    if (start === 0 || text.charAt(start - 1) !== " ") break;
    start -= 1;
  }
  while (text.charAt(start) === " ") start += 1;
  // Nothing but a parenthetical before the " v. " is no party.
  return text.charAt(start) === "(" ? versusAt : start;
}

const PARENTHETICALS = /\([^()]{0,24}\)/g;

function lastWord(party: string): string {
  return party.trim().split(/\s+/).pop() ?? "";
}

function caseCitationAt(text: string, versus: RegExpExecArray): Citation | null {
  const start = firstPartyStart(text, versus.index);
  if (start >= versus.index) return null;
  const secondAt = versus.index + versus[0].length;
  SECOND_PARTY.lastIndex = secondAt;
  const second = SECOND_PARTY.exec(text);
  if (second === null) return null;
  const separator = versus[1] ?? "v.";
  const firstWordOfSecond = second[0].split(/\s+/)[0] ?? "";
  const firstParty = text.slice(start, versus.index);
  const nameKey = supportKey(`${lastWord(firstParty)}v${firstWordOfSecond}`);
  // Sources may write the name without its parenthetical ("Kumar (Retd.) v. Union" as "Kumar v. Union").
  const bare = firstParty.replace(PARENTHETICALS, " ");
  const bareKey = bare === firstParty ? undefined : supportKey(`${lastWord(bare)}v${firstWordOfSecond}`);
  AFTER_SECOND_PARTY.lastIndex = secondAt + second[0].length;
  const rest = AFTER_SECOND_PARTY.exec(text);
  if (rest === null) {
    const end = secondAt + second[0].length;
    const citation: Citation = { kind: "case_name", start, end, supportKey: nameKey, separator };
    if (bareKey !== undefined) citation.alternativeKeys = [bareKey];
    if (isCaption(text, start, end)) citation.soft = true;
    return citation;
  }
  const [, volume, reporter, page, parenthetical] = rest;
  return {
    kind: "case",
    start,
    end: AFTER_SECOND_PARTY.lastIndex,
    supportKey: supportKey(`${volume}${reporter}${page}`),
    written: collapseSpaces(`${volume} ${reporter} ${page}`),
    separator,
    reporter,
    parenthetical,
  };
}

const CAPTION_BEFORE =
  /(?:\b[Rr][Ee]\s{0,2}:\s{0,3}|\b(?:the|our|your|this)\s{1,3}|\b(?:[Ss]ubject|[Tt]itled|[Ee]ntitled|[Cc]aptioned)\s{0,2}:?\s{0,3}["“']?)[*_]{0,2}$/;
const CAPTION_AFTER =
  /^[*_]{0,2}\s{0,2}(?:\(?(?:matter|case|litigation|lawsuit|dispute|action|file|proceedings?|docket)s?\b|,?\s{0,2}(?:matter|case)\s{1,2}(?:no\.|number|#))/i;

/**
 * A case named as the matter at hand ("Re: Smith v. Jones", "the Smith v. Jones matter") rather than
 * cited as authority: the sources need not hold it, so it is only ever unchecked, never unsupported.
 */
function isCaption(text: string, start: number, end: number): boolean {
  return (
    CAPTION_BEFORE.test(text.slice(Math.max(0, start - 16), start)) ||
    CAPTION_AFTER.test(text.slice(end, end + 24))
  );
}

/** Whether a full case citation already spans `start` (its reporter part is not reported twice). */
function insideCase(found: readonly Citation[], start: number): boolean {
  for (const c of found) if (c.kind === "case" && start >= c.start && start < c.end) return true;
  return false;
}

/** Citations read from one text: past this many it is no brief but a flood, and the rest is ignored. */
const MAX_CITATIONS = 500;

/** Whether a citation already found covers `start` ("In re X v. Y" is read once, from the " v. "). */
function covered(found: readonly Citation[], start: number): boolean {
  for (const c of found) if (start >= c.start && start < c.end) return true;
  return false;
}

/** Case names without a " v. ", unreported decisions, state code sections and federal rules. */
function extractOtherAuthorities(text: string, found: Citation[]): void {
  // Each kind is read only when a literal it cannot do without is there (a substring search is
  // far cheaper than a regex scan): most texts have none of them, and most others only one.
  if ((text.includes("In") || text.includes("Ex")) && IN_RE_ANCHOR.test(text)) readInRe(text, found);
  if (text.includes("WL") || text.includes("LEXIS")) readDatabases(text, found);
  if (namedCodeSection(text)) readStateCodes(text, found);
  if (text.includes("Fed.")) readCourtRules(text, found);
  if (text.includes("ILCS") || text.includes("L. c.") || text.includes("L.c."))
    readChapterStatutes(text, found);
}

function readChapterStatutes(text: string, found: Citation[]): void {
  CHAPTER_STATUTE.lastIndex = 0;
  for (
    let m = CHAPTER_STATUTE.exec(text);
    m !== null && found.length < MAX_CITATIONS;
    m = CHAPTER_STATUTE.exec(text)
  ) {
    const [, chapter, act, section, glChapter, glSection] = m;
    const key =
      chapter !== undefined
        ? supportKey(`${chapter} ilcs ${act} ${section}`)
        : supportKey(`c ${glChapter} ${glSection ?? ""}`);
    // Sources write these many ways ("820 ILCS 115/5", "Wage Payment and Collection Act § 5",
    // "chapter 186, section 15B"): when they do not show the form used, the judge looks.
    const alternativeKeys =
      chapter !== undefined
        ? [supportKey(`${chapter} ilcs ${act}`)]
        : glSection !== undefined
          ? [supportKey(`chapter ${glChapter} section ${glSection}`), supportKey(`${glChapter} ${glSection}`)]
          : [];
    found.push({
      kind: "state_statute",
      start: m.index,
      end: m.index + m[0].length,
      supportKey: key,
      alternativeKeys,
      soft: true,
    });
  }
}

/** What a state code's name ends with, just before its section sign. */
const CODE_NAME_END = /(?:Code|Laws?|Stats?\.|Statutes|Ann\.)\s{0,2}$/;

/** Whether some section sign follows a code's name: "42 U.S.C. § 1983" alone needs no state-code scan. */
function namedCodeSection(text: string): boolean {
  for (let at = text.indexOf("§"); at !== -1; at = text.indexOf("§", at + 1)) {
    if (CODE_NAME_END.test(text.slice(Math.max(0, at - 12), at))) return true;
  }
  return false;
}

function readInRe(text: string, found: Citation[]): void {
  IN_RE.lastIndex = 0;
  for (let m = IN_RE.exec(text); m !== null && found.length < MAX_CITATIONS; m = IN_RE.exec(text)) {
    if (covered(found, m.index)) continue;
    const name = m[0].replace(/[.,]$/, "");
    // "In re X Litigation" is as often the matter's own caption as an authority: never an issue alone.
    found.push({
      kind: "case_name",
      start: m.index,
      end: m.index + name.length,
      supportKey: supportKey(`${name.slice(0, 2)}${name.split(/\s+/)[1] ?? ""}${m[1] ?? ""}`),
      soft: true,
    });
  }
}

function readDatabases(text: string, found: Citation[]): void {
  DATABASE.lastIndex = 0;
  for (let m = DATABASE.exec(text); m !== null && found.length < MAX_CITATIONS; m = DATABASE.exec(text)) {
    const [, year, database, number] = m;
    found.push({
      kind: "database",
      start: m.index,
      end: m.index + m[0].length,
      supportKey: supportKey(`${year}${database}${number}`),
    });
  }
}

function readStateCodes(text: string, found: Citation[]): void {
  STATE_CODE.lastIndex = 0;
  for (let m = STATE_CODE.exec(text); m !== null && found.length < MAX_CITATIONS; m = STATE_CODE.exec(text)) {
    const name = CODE_NAME.exec(text.slice(Math.max(0, m.index - 64), m.index));
    const start = m.index - (name?.[0].length ?? 0);
    if (covered(found, start)) continue;
    // The section number alone: sources write the code's name many ways ("Civil Code section 1942").
    found.push({
      kind: "state_statute",
      start,
      end: m.index + m[0].length,
      supportKey: supportKey(m[1] ?? ""),
      soft: true,
    });
  }
}

function readCourtRules(text: string, found: Citation[]): void {
  COURT_RULE.lastIndex = 0;
  for (let m = COURT_RULE.exec(text); m !== null && found.length < MAX_CITATIONS; m = COURT_RULE.exec(text)) {
    const set = (m[1] ?? "").toLowerCase();
    const number = m[2] ?? "";
    found.push({
      kind: "court_rule",
      start: m.index,
      end: m.index + m[0].length,
      supportKey: supportKey(m[0]),
      alternativeKeys: [
        supportKey(`rule ${number}`),
        ...(RULE_SET_NAMES[set] ?? []).map((name) => supportKey(`${name} ${number}`)),
      ],
      soft: true,
    });
  }
}

/**
 * Legal citations in a text: full case citations, case names, bare reporter citations, U.S.C. /
 * C.F.R. sections, Westlaw / Lexis cites, state code sections and federal rules. Matching is
 * anchored on " v. ", "In re", section signs and digits, every span is bounded: linear time.
 */
export function extractCitations(text: string): Citation[] {
  const found: Citation[] = [];
  VERSUS.lastIndex = 0;
  for (let m = VERSUS.exec(text); m !== null && found.length < MAX_CITATIONS; m = VERSUS.exec(text)) {
    const citation = caseCitationAt(text, m);
    if (citation !== null) found.push(citation);
  }
  extractOtherAuthorities(text, found);
  REPORTER_CITATION.lastIndex = 0;
  for (
    let m = REPORTER_CITATION.exec(text);
    m !== null && found.length < MAX_CITATIONS;
    m = REPORTER_CITATION.exec(text)
  ) {
    if (insideCase(found, m.index) || covered(found, m.index)) continue;
    const [, volume, reporter, page, parenthetical] = m;
    const start = m.index;
    found.push({
      kind: "reporter",
      start,
      end: start + m[0].length,
      supportKey: supportKey(`${volume}${reporter}${page}`),
      written: collapseSpaces(`${volume} ${reporter} ${page}`),
      reporter,
      parenthetical,
    });
  }
  STATUTE.lastIndex = 0;
  for (let m = STATUTE.exec(text); m !== null && found.length < MAX_CITATIONS; m = STATUTE.exec(text)) {
    const [, title, code, sectionMark, section] = m;
    found.push({
      kind: "statute",
      start: m.index,
      end: m.index + m[0].length,
      supportKey: supportKey(`${title}${code}${section}`),
      code,
      sectionMark,
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

const YEAR = /\b(1[6-9]\d\d|20\d\d)\b/;

/**
 * What is wrong with a citation's form, given the reporter abbreviations the pack accepts.
 * `inSources`: the citation is found in the retrieved sources as written, so a reporter the list
 * does not know (a foreign one: "SCC", "AIR ... SC", "UKSC") is the source's form, not a misspelling.
 */
export function formatProblems(
  citation: Citation,
  reporters: ReadonlySet<string>,
  inSources = false,
): string[] {
  const problems: string[] = [];
  if (citation.separator !== undefined && citation.separator !== "v." && citation.kind === "case") {
    problems.push(`"${citation.separator}" between the parties should be "v."`);
  }
  if (
    citation.reporter !== undefined &&
    !inSources &&
    !reporters.has(citation.reporter.replace(/\s+/g, " "))
  ) {
    problems.push(`unknown or misspelled reporter "${citation.reporter}"`);
  }
  if (
    citation.kind === "case" &&
    (citation.parenthetical === undefined || !YEAR.test(citation.parenthetical))
  ) {
    problems.push("missing the (court year) parenthetical");
  }
  if (citation.kind === "statute") {
    const code = citation.code?.replace(/\s+/g, "") ?? "";
    if (code !== "U.S.C." && code !== "C.F.R." && code !== "U.S.C.A.")
      problems.push(`"${citation.code}" should be written "U.S.C." or "C.F.R."`);
    if (citation.sectionMark !== "§") problems.push('the section needs a "§" sign');
  }
  return problems;
}

/** The output's citations, extracted once per trace for both the format and the support rule. */
const outputCitations = new WeakMap<TraceView, readonly Citation[]>();
const unreadNames = new WeakMap<TraceView, readonly string[]>();

function citationsOf(view: TraceView): readonly Citation[] {
  let citations = outputCitations.get(view);
  if (citations === undefined) {
    citations = extractCitations(view.trace.output);
    outputCitations.set(view, citations);
    unreadNames.set(view, unreadCaseNames(view.trace.output, citations));
  }
  return citations;
}

/**
 * Whether what ends just before a " v. " looks like a party's name: a capitalised word or a closing
 * parenthetical. "plaintiff v. defendant" in a parenthetical and a caption's "Plaintiff,\nv." are not.
 */
function looksLikeParty(text: string, versusAt: number): boolean {
  const before = text.charAt(versusAt - 1);
  if (before === ")" || before === "]") return true;
  let wordStart = versusAt;
  while (wordStart > 0 && wordStart > versusAt - 32 && isPartyChar(text.charCodeAt(wordStart - 1)))
    wordStart -= 1;
  return wordStart < versusAt && CAPITALISED.test(text.slice(wordStart, versusAt));
}

/** How much of an unread case name a message quotes. */
const UNREAD_EXCERPT = 40;

/**
 * The " v. " anchors no citation was read from ("the court in smith v. Jones", a party name the
 * reader does not follow): a case cited there went unchecked, so no check may call the text safe.
 */
function unreadCaseNames(text: string, citations: readonly Citation[]): string[] {
  const unread: string[] = [];
  VERSUS.lastIndex = 0;
  for (let m = VERSUS.exec(text); m !== null && unread.length < MAX_CITATIONS; m = VERSUS.exec(text)) {
    if (covered(citations, m.index) || !looksLikeParty(text, m.index)) continue;
    const from = Math.max(0, m.index - UNREAD_EXCERPT / 2);
    unread.push(`"${text.slice(from, m.index + UNREAD_EXCERPT / 2).trim()}"`);
  }
  return unread;
}

/**
 * The texts a citation may be checked against: the retrieved contexts and what the tools returned
 * (a case-law search), as alphanumeric keys. Empty when the trace carries no sources.
 */
const sourceTextOf = new WeakMap<TraceView, string>();

/** The retrieved contexts (labels and text) as written, spaces collapsed: where a reporter's form is looked up. */
function sourceText(view: TraceView): string {
  let text = sourceTextOf.get(view);
  if (text === undefined) {
    const parts: string[] = [];
    for (const c of view.trace.retrieved_contexts ?? []) {
      if (c.source !== undefined) parts.push(c.source);
      parts.push(c.content);
    }
    text = collapseSpaces(parts.join(" | "));
    sourceTextOf.set(view, text);
  }
  return text;
}

const sourceKeysOf = new WeakMap<TraceView, string>();

function sourceKeys(view: TraceView): string {
  let keys = sourceKeysOf.get(view);
  if (keys === undefined) {
    keys = readSourceKeys(view);
    sourceKeysOf.set(view, keys);
  }
  return keys;
}

function readSourceKeys(view: TraceView): string {
  // A context's source label ("Strickland v. Washington, 466 U.S. 668 (1984)") names the authority
  // the retrieved text is from: an excerpt rarely repeats its own citation.
  const parts = (view.trace.retrieved_contexts ?? []).map((c) =>
    c.source === undefined ? supportKey(c.content) : `${supportKey(c.source)}|${supportKey(c.content)}`,
  );
  for (const call of view.trace.tool_calls ?? []) {
    if (call.result !== undefined) parts.push(supportKey(JSON.stringify(call.result) ?? ""));
  }
  return parts.join("|");
}

const isDigit = (text: string, at: number) => {
  const code = text.charCodeAt(at); // NaN outside the text
  return code >= 48 && code <= 57;
};

/** Whether the key (or text) is in the haystack whole: a number it starts or ends with is not part of a longer one. */
function containsKey(haystack: string, key: string): boolean {
  if (key === "") return false;
  const startsWithDigit = isDigit(key, 0);
  const endsWithDigit = isDigit(key, key.length - 1);
  for (let at = haystack.indexOf(key); at !== -1; at = haystack.indexOf(key, at + 1)) {
    if (startsWithDigit && isDigit(haystack, at - 1)) continue;
    if (endsWithDigit && isDigit(haystack, at + key.length)) continue;
    return true;
  }
  return false;
}

function isSupported(citation: Citation, haystack: string): boolean {
  if (containsKey(haystack, citation.supportKey)) return true;
  return (citation.alternativeKeys ?? []).some((key) => containsKey(haystack, key));
}

export function compileCitationRule(rule: RuleOfKind<"citation">, meta: RuleMeta): CompiledRule {
  const reporters: ReadonlySet<string> = new Set(rule.reporters.map((r) => r.replace(/\s+/g, " ")));
  return {
    meta,
    evaluate(view, out) {
      const output = view.trace.output;
      const citations = citationsOf(view);
      if (citations.length === 0) return;
      let emitted = 0;
      const emit = (citation: Citation, detail: string) => {
        if (emitted === MAX_ISSUES_PER_RULE) return;
        emitted += 1;
        out.push(
          makeIssue(
            meta,
            `${meta.message}: ${detail}`,
            textEvidence("output", output, citation.start, citation.end),
          ),
        );
      };
      if (rule.check === "format") {
        for (const citation of citations) {
          const unknown =
            citation.reporter !== undefined && !reporters.has(citation.reporter.replace(/\s+/g, " "));
          const problems = formatProblems(
            citation,
            reporters,
            unknown && citation.written !== undefined && containsKey(sourceText(view), citation.written),
          );
          if (problems.length > 0) emit(citation, problems.join("; "));
        }
        if (emitted > 0) return;
        const unread = unreadNames.get(view) ?? [];
        if (unread.length > 0)
          view.check(
            meta.id,
            "unsure",
            `case name(s) that could not be read: ${unread.slice(0, 3).join(", ")}`,
          );
        else view.check(meta.id, "safe", `${citations.length} citation(s) well formed`);
        return;
      }
      const sources = sourceKeys(view);
      // What the user cited in the request was not made up by the assistant.
      const haystack = `${sources}|${supportKey(view.trace.input)}`;
      const unchecked: string[] = [];
      // The same authority cited again is looked up once: a text of repeated cites stays linear.
      const known = new Map<string, boolean>();
      for (const citation of citations) {
        let supported = known.get(citation.supportKey);
        if (supported === undefined) {
          supported = isSupported(citation, haystack);
          known.set(citation.supportKey, supported);
        }
        if (supported) continue;
        const text = output.slice(citation.start, citation.end);
        if (sources === "" || citation.soft === true) unchecked.push(`"${text}"`);
        else emit(citation, `"${text}" appears in none of the retrieved contexts`);
      }
      if (emitted > 0) return;
      for (const name of unreadNames.get(view) ?? []) unchecked.push(name);
      if (unchecked.length === 0) {
        view.check(meta.id, "safe", `${citations.length} citation(s) found in the retrieved sources`);
      } else if (sources === "") {
        view.check(
          meta.id,
          "unsure",
          `${unchecked.length} citation(s) and no retrieved sources to check them against: ${unchecked.slice(0, 3).join(", ")}`,
        );
      } else {
        view.check(
          meta.id,
          "unsure",
          `${unchecked.slice(0, 3).join(", ")} not found in the sources as written (codes and rules are often cited another way)`,
        );
      }
    },
  };
}
