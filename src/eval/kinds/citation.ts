import type { CompiledRule } from "../compiled";
import { MAX_ISSUES_PER_RULE, makeIssue, textEvidence } from "../issue";
import type { RuleOfKind } from "../pack-schema";
import type { TraceView } from "../trace-view";
import type { RuleMeta } from "../types";

export interface Citation {
  /** case: "Brown v. Board of Education, 347 U.S. 483 (1954)"; reporter: "347 U.S. 483"; statute: "42 U.S.C. § 1983"; case_name: "Miranda v. Arizona". */
  kind: "case" | "reporter" | "statute" | "case_name";
  start: number;
  end: number;
  /** Alphanumeric, lower-case form looked for in the retrieved contexts ("347us483", "mirandavarizona"). */
  supportKey: string;
  /** What a format check looks at; absent parts are undefined. */
  separator?: string;
  reporter?: string;
  parenthetical?: string;
  code?: string;
  sectionMark?: string;
}

/** Reporter abbreviations: dotted ("U.S.", "F. Supp. 2d") or short capitals ("US", "F3d"), up to three tokens. */
const REPORTER_TOKEN = "(?:[A-Z][A-Za-z]{0,5}\\.|[A-Z]{1,4}|\\d(?:d|th))";
const REPORTER = `${REPORTER_TOKEN}(?:\\s?${REPORTER_TOKEN}){0,3}`;
const PINPOINT = "(?:,\\s{0,2}\\d{1,5}(?:[-–]\\d{1,5})?)?";
const PARENTHETICAL = "(?:\\s{0,2}\\(([^()\\n]{0,60})\\))?";
const REPORTER_CITATION = new RegExp(
  `\\b(\\d{1,4})\\s(${REPORTER})\\s(\\d{1,5})\\b${PINPOINT}${PARENTHETICAL}`,
  "g",
);
const STATUTE =
  /\b(\d{1,3})\s{1,2}(U\.?\s?S\.?\s?C\.?(?:\s?A\.?)?|C\.?\s?F\.?\s?R\.?)\s{0,2}(§{1,2}|[Ss]ec(?:tion|\.)?)?\s{0,2}(\d{1,5}[a-z]?(?:-\d{1,4})?)/g;
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

function supportKey(text: string): string {
  return text.toLowerCase().replace(NOT_ALPHANUMERIC, "");
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
    const word = text.slice(wordStart, start);
    if (wordStart === start || !CAPITALISED.test(word) || NOT_A_PARTY.has(word)) break;
    start = wordStart;
    if (start === 0 || text.charAt(start - 1) !== " ") break;
    start -= 1;
  }
  return text.charAt(start) === " " ? start + 1 : start;
}

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
  const nameKey = supportKey(`${lastWord(text.slice(start, versus.index))}v${firstWordOfSecond}`);
  AFTER_SECOND_PARTY.lastIndex = secondAt + second[0].length;
  const rest = AFTER_SECOND_PARTY.exec(text);
  if (rest === null) {
    return { kind: "case_name", start, end: secondAt + second[0].length, supportKey: nameKey, separator };
  }
  const [, volume, reporter, page, parenthetical] = rest;
  return {
    kind: "case",
    start,
    end: AFTER_SECOND_PARTY.lastIndex,
    supportKey: supportKey(`${volume}${reporter}${page}`),
    separator,
    reporter,
    parenthetical,
  };
}

/** Whether a full case citation already spans `start` (its reporter part is not reported twice). */
function insideCase(found: readonly Citation[], start: number): boolean {
  for (const c of found) if (c.kind === "case" && start >= c.start && start < c.end) return true;
  return false;
}

/**
 * Legal citations in a text: full case citations, case names, bare reporter citations and U.S.C. /
 * C.F.R. sections. Matching is anchored on " v. " and on digits, every span is bounded: linear time.
 */
export function extractCitations(text: string): Citation[] {
  const found: Citation[] = [];
  VERSUS.lastIndex = 0;
  for (let m = VERSUS.exec(text); m !== null; m = VERSUS.exec(text)) {
    const citation = caseCitationAt(text, m);
    if (citation !== null) found.push(citation);
  }
  REPORTER_CITATION.lastIndex = 0;
  for (let m = REPORTER_CITATION.exec(text); m !== null; m = REPORTER_CITATION.exec(text)) {
    if (insideCase(found, m.index)) continue;
    const [, volume, reporter, page, parenthetical] = m;
    const start = m.index;
    found.push({
      kind: "reporter",
      start,
      end: start + m[0].length,
      supportKey: supportKey(`${volume}${reporter}${page}`),
      reporter,
      parenthetical,
    });
  }
  STATUTE.lastIndex = 0;
  for (let m = STATUTE.exec(text); m !== null; m = STATUTE.exec(text)) {
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

/** What is wrong with a citation's form, given the reporter abbreviations the pack accepts. */
export function formatProblems(citation: Citation, reporters: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (citation.separator !== undefined && citation.separator !== "v." && citation.kind === "case") {
    problems.push(`"${citation.separator}" between the parties should be "v."`);
  }
  if (citation.reporter !== undefined && !reporters.has(citation.reporter.replace(/\s+/g, " "))) {
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

function citationsOf(view: TraceView): readonly Citation[] {
  let citations = outputCitations.get(view);
  if (citations === undefined) {
    citations = extractCitations(view.trace.output);
    outputCitations.set(view, citations);
  }
  return citations;
}

export function compileCitationRule(rule: RuleOfKind<"citation">, meta: RuleMeta): CompiledRule {
  const reporters: ReadonlySet<string> = new Set(rule.reporters.map((r) => r.replace(/\s+/g, " ")));
  return {
    meta,
    evaluate(view, out) {
      const contexts = view.trace.retrieved_contexts ?? [];
      if (rule.check === "support" && contexts.length === 0) return;
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
          const problems = formatProblems(citation, reporters);
          if (problems.length > 0) emit(citation, problems.join("; "));
        }
        return;
      }
      const haystack = contexts.map((c) => supportKey(c.content)).join("|");
      for (const citation of citations) {
        if (!haystack.includes(citation.supportKey)) {
          emit(
            citation,
            `"${output.slice(citation.start, citation.end)}" appears in none of the retrieved contexts`,
          );
        }
      }
    },
  };
}
