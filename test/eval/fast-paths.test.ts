/**
 * The engine's fast paths must find exactly what their plain definitions find: each property runs
 * the optimised code and a straightforward reference on generated text and compares every match.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILTIN_PACK_DEFINITIONS, buildLexicon, detectPhi, domainPackSchema } from "../../src/eval/index";
import type { Rule } from "../../src/eval/pack-schema";
import { HONORIFIC } from "../../src/eval/phi";
import { joinAlternatives, phraseSource } from "../../src/eval/regex-tools";
import { plainPhi, textFrom } from "../support/fast-path-references";

/** Every match of a global regex as [index, text] pairs. */
function allMatches(regex: RegExp, text: string): [number, string][] {
  const found: [number, string][] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    found.push([m.index, m[0]]);
    if (m[0].length === 0) regex.lastIndex += 1;
  }
  return found;
}

const PROSE = [
  "the",
  "patient",
  "was",
  "seen",
  "today",
  "and",
  "reports",
  "feeling",
  "better",
  "after",
  "rest",
];

describe("PHI detection", () => {
  const pieces = [
    "123-45-6789",
    "123 45 6789",
    "SSN",
    "social security number",
    "(415) 555-0100",
    "+1 415 555 0100",
    "1-800-555-1234",
    "1415 555 0100",
    "555.201.7788",
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "4111111111111111",
    "4222222222222",
    "4222 2222 22222",
    "192.168.0.1",
    "10.0.0.256",
    "1.2.3.4.5",
    "12 Main Street",
    "123456 Elm Street",
    "1234567 Oak Road",
    "1600 Pennsylvania Avenue, Apt 4",
    "DOB",
    "born",
    "01/02/1990",
    "March 3, 1990",
    "MRN",
    "AB12345",
    "Dr.",
    "Patient",
    "John Smith",
    "500 mg",
    "every 6 hours",
    "1000",
    "42",
    "0.5",
    "1",
    "12",
    "123",
  ];

  // Numbers are tried one by one only when they are sparse; prose around them keeps it that way.
  const prose = fc
    .array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom(...PROSE), fc.constantFrom(...PROSE)), {
      maxLength: 80,
    })
    .map((words) => words.join(" "));

  it("finds what a plain global scan of every pattern finds", () => {
    fc.assert(
      fc.property(fc.oneof(textFrom(pieces), prose), (generated) => {
        // E-mail detection is not a regex scan; its part is unchanged and left out here.
        const text = generated.replaceAll("@", " ");
        expect(detectPhi(text)).toEqual(plainPhi(text));
      }),
      { numRuns: 3_000 },
    );
  });
});

describe("honorifics", () => {
  it("match like a word boundary followed by the plain alternation", () => {
    const plain = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)/g;
    const rewritten = new RegExp(HONORIFIC, "g");
    const pieces = [
      "Mr",
      "Mrs",
      "Ms",
      "Miss",
      "Mx",
      "Dr",
      "Prof",
      "M",
      "D",
      "P",
      "x",
      "_",
      "1",
      "é",
      "Smith",
    ];
    fc.assert(
      fc.property(textFrom(pieces), (text) => {
        expect(allMatches(rewritten, text)).toEqual(allMatches(plain, text));
      }),
      { numRuns: 3_000 },
    );
  });
});

/** Every set of patterns the built-in packs join into one alternation, with its flags. */
function builtinPatternSets(): { sources: string[]; flags: string }[] {
  const sets: { sources: string[]; flags: string }[] = [];
  const rules: Rule[] = BUILTIN_PACK_DEFINITIONS.flatMap((d) => domainPackSchema.parse(d).rules);
  for (const rule of rules) {
    if (rule.kind === "pattern") sets.push({ sources: rule.patterns, flags: rule.flags });
    if (rule.kind === "phrases") sets.push({ sources: rule.phrases.map(phraseSource), flags: "i" });
    if (rule.kind === "pattern" || rule.kind === "phrases") {
      for (const condition of [rule.when, rule.unless]) {
        if (condition?.patterns !== undefined)
          sets.push({ sources: condition.patterns, flags: condition.flags });
        if (condition?.phrases !== undefined)
          sets.push({ sources: condition.phrases.map(phraseSource), flags: "i" });
      }
      if (rule.except !== undefined) sets.push({ sources: rule.except, flags: rule.except_flags });
    }
    if (rule.kind === "interaction") sets.push({ sources: rule.warnings, flags: rule.warning_flags });
  }
  return sets.filter((set) => set.sources.length > 1);
}

describe("joined alternations", () => {
  const sets = [
    ...builtinPatternSets(),
    // Top-level "|" that must not be split inside classes, escapes or groups; a part without \b.
    { sources: ["\\bred|[|]blue", "\\b(?:a|b)c\\b", "\\bx\\|y"], flags: "i" },
    { sources: ["\\bgreen\\b", "yellow"], flags: "" },
  ];
  const words = [...new Set(sets.flatMap((s) => s.sources.join(" ").match(/[A-Za-z']{2,}/g) ?? []))];

  it("keep the boundary on each part when not every part starts with one", () => {
    const text = "greenyellow xyellow yellow green; x|blue red [|]blue |blue ac bc c x|y";
    for (const sources of [
      ["\\bgreen\\b", "yellow"],
      ["\\bred|[|]blue", "\\b(?:a|b)c\\b", "\\bx\\|y"],
    ]) {
      const joined = joinAlternatives(sources, "");
      const plain = new RegExp(sources.map((s) => `(?:${s})`).join("|"), "g");
      expect(joined && allMatches(joined, text)).toEqual(allMatches(plain, text));
    }
  });

  it("match exactly where the alternation of the unchanged patterns matches", () => {
    fc.assert(
      fc.property(fc.constantFrom(...sets), textFrom(words), ({ sources, flags }, text) => {
        const plain = new RegExp(sources.map((s) => `(?:${s})`).join("|"), `${flags}g`);
        const joined = joinAlternatives(sources, flags);
        expect(joined).not.toBeNull();
        if (joined !== null) expect(allMatches(joined, text)).toEqual(allMatches(plain, text));
      }),
      { numRuns: 3_000 },
    );
  });
});

describe("drug-name scan", () => {
  const rules: Rule[] = BUILTIN_PACK_DEFINITIONS.flatMap((d) => domainPackSchema.parse(d).rules);
  const lexicons = rules.flatMap((rule) => {
    if (rule.kind === "dose_limit") return [buildLexicon(Object.keys(rule.drugs), rule.aliases)];
    if (rule.kind === "interaction") {
      const drugs = rule.pairs.flatMap((p) => [
        ...(rule.classes[p.a] ?? [p.a]),
        ...(rule.classes[p.b] ?? [p.b]),
      ]);
      return [buildLexicon(drugs, rule.aliases)];
    }
    return [];
  });
  lexicons.push(buildLexicon(["vitamin d", "vitamin d3", "aspirin", "a", "ab"], { "ab c": "ab" }));
  const names = [...new Set(lexicons.flatMap((l) => [...l.canonical.keys()]))];

  it("grouped by first letter, matches like the plain longest-first alternation", () => {
    fc.assert(
      fc.property(fc.constantFrom(...lexicons), textFrom(names), (lexicon, text) => {
        const spellings = [...lexicon.canonical.keys()].sort((a, b) => b.length - a.length);
        const plain = spellings.map(phraseSource).join("|");
        const lower = text.toLowerCase();
        expect(allMatches(lexicon.lowerNames, lower)).toEqual(allMatches(new RegExp(plain, "g"), lower));
        expect(allMatches(lexicon.names, text)).toEqual(allMatches(new RegExp(plain, "gi"), text));
      }),
      { numRuns: 3_000 },
    );
  });
});
