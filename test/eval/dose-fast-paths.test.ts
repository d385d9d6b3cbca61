/**
 * The dose rule's fast paths must give exactly what their plain definitions give: sentence splitting
 * from one boundary scan (and its per-text cache), end-anchored regexes tested from the end, and
 * doses read the same whatever was read before (the cache is keyed by content).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildLexicon, extractDoses } from "../../src/eval/index";
import {
  boundariesOf,
  END_ANCHORED_FORMS,
  FREQUENCY_FORMS,
  isBoundary,
  MAX_SENTENCE_SIDE,
  sentenceAround,
  sentences,
} from "../../src/eval/kinds/dose";
import { textFrom } from "../support/fast-path-references";

interface Located {
  start: number;
  end: number;
}

/** sentenceAround as a walk character by character (the definition the fast one must equal). */
function sentenceAroundReference(text: string, at: number): Located {
  let start = at;
  while (start > 0 && at - start < MAX_SENTENCE_SIDE && !isBoundary(text, start - 1)) start -= 1;
  let end = at;
  while (end < text.length && end - at < MAX_SENTENCE_SIDE && !isBoundary(text, end)) end += 1;
  return { start, end };
}

/** The text's sentences as a walk character by character (the definition `sentences` must equal). */
function sentencesReference(text: string): Located[] {
  const out: Located[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i += 1) {
    if (i === text.length || isBoundary(text, i) || i - start >= 2 * MAX_SENTENCE_SIDE) {
      if (i > start) out.push({ start, end: i });
      start = i + 1;
    }
  }
  return out;
}

/** Separators that make and break sentences. */
const SENTENCE_SEPARATORS = [" ", "  ", "\n", "\t", ". ", ".", "!", "?\t", "; ", ",", "(", ")", "'", "-", ""];
const sentenceText = (pieces: readonly string[], maxParts = 40) =>
  textFrom(pieces, { maxParts, separators: SENTENCE_SEPARATORS });

const PROSE = ["take", "500", "mg", "every", "6", "hours", "acetaminophen", "ibuprofen", "a", "day", "x"];

/** Long runs without a boundary, so that the 400- and 800-character bounds are reached. */
const longText = fc
  .array(
    fc.tuple(
      fc.constantFrom("word ", "acetaminophen 500 mg ", "x".repeat(97), "y".repeat(399), "z".repeat(800)),
      fc.constantFrom("", ". ", "\n", ";", "."),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.flat().join(""));

const anyText = fc.oneof(sentenceText(PROSE), longText);

describe("sentence splitting", () => {
  it("finds the boundaries isBoundary defines", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const expected: number[] = [];
        for (let i = 0; i < text.length; i += 1) if (isBoundary(text, i)) expected.push(i);
        expect([...boundariesOf(text)]).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("sentences equals the character walk", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(sentences(text)).toEqual(sentencesReference(text));
      }),
      { numRuns: 500 },
    );
  });

  it("sentenceAround equals the character walk at every position", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (let at = 0; at < text.length; at += Math.max(1, Math.floor(text.length / 50)))
          expect(sentenceAround(text, at)).toEqual(sentenceAroundReference(text, at));
      }),
      { numRuns: 300 },
    );
  });

  it("the per-text cache answers for the text asked, whatever came before", () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 8 }), (texts) => {
        for (const text of [...texts, ...texts.reverse()])
          expect(sentences(text)).toEqual(sentencesReference(text));
      }),
      { numRuns: 200 },
    );
  });
});

describe("end-anchored regexes tested from the end", () => {
  const BEFORE = [
    "up to",
    "no more than",
    "not to exceed",
    "not exceeding",
    "never exceed",
    "don't exceed",
    "do not exceed",
    "maximum",
    "maximum of",
    "max.",
    "max",
    "at most",
    "limit of",
    "limit to",
    "a total of",
    "total of",
    "more than",
    "exceeds",
    "over",
    "above",
    "in excess of",
    "beyond",
    "greater than",
    "higher than",
    ">",
    "a day",
    "per day",
    "each day",
    "24 hours",
    "24h",
    "24 hrs",
    "**",
    "or",
    "i.e.",
    "=",
    "that's",
    "which is",
    "about",
    "8 tablets (",
    "(",
    ",",
    "2",
    "two",
    "2 x",
    "3×",
    "six",
    "one of the",
    "four of your",
    "5 of those",
    "1",
  ];
  for (const [plain, fromTheEnd] of END_ANCHORED_FORMS)
    it(`${plain.source.slice(0, 40)}…`, () => {
      fc.assert(
        fc.property(sentenceText(BEFORE, 8), (text) => {
          expect(fromTheEnd.test(text)).toBe(plain.test(text));
          // As amountsIn uses them: the 40 characters before an amount.
          const before = text.slice(-40);
          expect(fromTheEnd.test(before)).toBe(plain.test(before));
        }),
        { numRuns: 2000 },
      );
    });
});

describe("schedules read by group number", () => {
  const SCHEDULES = [
    "every",
    "4",
    "4-6",
    "hours",
    "q6h",
    "q 4 h",
    "hourly",
    "every hour",
    "every couple of hours",
    "every few hours",
    "two",
    "twice",
    "3x",
    "times",
    "a day",
    "/day",
    "/ d",
    "per day",
    "daily",
    "in 24 hours",
    "bid",
    "b.i.d.",
    "tds",
    "od",
    "mane",
    "nocte",
    "every other day",
    "every 3 days",
    "weekly",
    "once a week",
    "/week",
    "/wk",
    "every monday",
    "on fridays",
    "within",
    "for",
    "a day or two",
    "nightly",
    "at bedtime",
  ];
  it("FREQUENCY without names matches the same and captures the same", () => {
    const { named, numbered, names } = FREQUENCY_FORMS;
    expect(names.length).toBeGreaterThan(5);
    fc.assert(
      fc.property(sentenceText(SCHEDULES, 20), (text) => {
        named.lastIndex = 0;
        numbered.lastIndex = 0;
        for (;;) {
          const a = named.exec(text);
          const b = numbered.exec(text);
          expect(b?.index).toBe(a?.index);
          expect(b?.[0]).toBe(a?.[0]);
          if (a === null || b === null) break;
          names.forEach((name, i) => {
            expect(b[i + 1]).toBe(a.groups?.[name]);
          });
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("extractDoses", () => {
  const lexicon = buildLexicon(["acetaminophen", "ibuprofen", "metformin"], {
    tylenol: "acetaminophen",
    "co-codamol": "acetaminophen",
  });
  const DOSING = [
    "take",
    "1000 mg",
    "500mg",
    "2 tablets",
    "every 4 hours",
    "twice daily",
    "a day",
    "up to",
    "no more than",
    "4 g",
    "per day",
    "now",
    "contains",
    "acetaminophen",
    "Tylenol",
    "co-codamol",
    "ibuprofen",
    "metformin",
    "- 500 mg every 6 hours",
    "**Safer option: acetaminophen**",
    "10 mL",
    "160 mg/5 mL",
  ];
  it("reads a text the same after reading others", () => {
    fc.assert(
      fc.property(
        fc.array(sentenceText(DOSING, 30), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(undefined, "acetaminophen"),
        (texts, defaultDrug) => {
          const first = texts.map((text) =>
            JSON.stringify(extractDoses(text, lexicon, undefined, { defaultDrug })),
          );
          const again = [...texts]
            .reverse()
            .map((text) => JSON.stringify(extractDoses(text, lexicon, undefined, { defaultDrug })))
            .reverse();
          expect(again).toEqual(first);
        },
      ),
      { numRuns: 200 },
    );
  });
});
