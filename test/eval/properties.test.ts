import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildLexicon,
  builtinPacks,
  detectPhi,
  evaluateTier1,
  extractCitations,
  extractDoses,
  extractQuantities,
} from "../../src/eval/index";
import { ADVERSARIAL_CHARS, ADVERSARIAL_TEXT } from "../support/adversarial-text";
import { makeTrace } from "./helpers";

const lexicon = buildLexicon(["acetaminophen", "ibuprofen", "methotrexate", "isosorbide mononitrate"], {
  tylenol: "acetaminophen",
});

/** Text built from the fragments extractors look for, so generated inputs reach deep into the matchers. */
const fragment = fc.constantFrom(
  "acetaminophen",
  "Tylenol",
  "ibuprofen",
  " 1000 mg",
  "500-1000 mg",
  " every 4 hours",
  " q4h",
  " bid",
  " 3x/day",
  " daily",
  " weekly",
  " up to ",
  " more than ",
  "µg",
  " v. ",
  "Brown",
  " vs ",
  "347 U.S. 483",
  " (1954)",
  "42 U.S.C. § 1983",
  "@",
  "example.com",
  "123-45-6789",
  "DOB ",
  "01/02/1990",
  "Dr. ",
  "Patient ",
  "(415) 555-0100",
  "4111 1111 1111 1111",
  "$",
  "20,000",
  "%",
  ".",
  ",",
  ";",
  "\n",
  " ",
  '"',
  "'",
  "«",
  "»",
  "İ",
  "🙂",
  "0",
  "9",
);
const mixedText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.array(fragment, { maxLength: 80 }).map((parts) => parts.join("")),
);

describe("extractors never throw and stay within the text", () => {
  it("detectPhi", () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        for (const match of detectPhi(text)) {
          expect(match.start).toBeGreaterThanOrEqual(0);
          expect(match.end).toBeLessThanOrEqual(text.length);
          expect(match.start).toBeLessThan(match.end);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("extractDoses, extractCitations, extractQuantities", () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        for (const span of [...extractDoses(text, lexicon), ...extractCitations(text)]) {
          expect(span.start).toBeGreaterThanOrEqual(0);
          expect(span.end).toBeLessThanOrEqual(text.length);
        }
        expect(Array.isArray(extractQuantities(text))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("evaluateTier1 on every domain with arbitrary text and structure", () => {
    const domains = [...builtinPacks.keys()];
    fc.assert(
      fc.property(
        fc.constantFrom(...domains),
        mixedText,
        mixedText,
        fc.array(
          fc.record({ reward: fc.double({ noNaN: true, noDefaultInfinity: true }), action: fc.jsonValue() }),
          { maxLength: 30 },
        ),
        fc.jsonValue(),
        (domain, input, output, steps, args) => {
          const result = evaluateTier1(
            makeTrace({
              domain,
              input: `${input}.`,
              output: `${output}.`,
              rl_episode: { steps },
              tool_calls: [{ name: "tool", arguments: args }],
              agents: [{ agent: "a", content: output, to: "b" }],
              counterfactuals: [{ input, output: input }],
            }),
          );
          expect(result.issues.map((i) => i.rule)).not.toContain("engine.rule_error");
        },
      ),
      { numRuns: 200 },
    );
  });
});

/**
 * A regex that backtracks catastrophically takes seconds to hours on these inputs, not milliseconds,
 * so this bound catches one whatever else the machine is doing. The budget itself (50 ms per 100,000
 * characters) is measured by `bench/eval.ts`: timing is for benchmarks, not for tests.
 */
const CATASTROPHIC_MS = 1_000;

describe("no catastrophic backtracking", () => {
  it.each(Object.entries(ADVERSARIAL_TEXT))("100,000 chars of %s evaluate in bounded time", (_, pattern) => {
    const text = pattern.slice(0, ADVERSARIAL_CHARS);
    for (const domain of builtinPacks.keys()) {
      const trace = makeTrace({
        domain,
        input: text,
        output: text,
        retrieved_contexts: [{ content: "context" }],
      });
      const started = performance.now();
      evaluateTier1(trace);
      expect(performance.now() - started, `${domain}`).toBeLessThan(CATASTROPHIC_MS);
    }
  });
});
