import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONTEXT_GATES,
  literals,
  mayHold,
  parseNumber,
  readTelemetry,
  sentenceLetters,
} from "../../src/eval/kinds/robot-telemetry";
import { TraceView } from "../../src/eval/trace-view";
import { makeTrace } from "./helpers";

/** Words and signs the context regexes look for, in any case, with the characters case folding trips on. */
const fragment = fc.constantFrom(
  "can't",
  "cant",
  "can’t",
  "cannot",
  "won't",
  "will  not",
  "not",
  "never",
  "don’t",
  "do not",
  "shouldn't",
  "no longer",
  "instead of",
  "rather  than",
  "refuse to",
  "avoid",
  "used to be",
  "previously",
  "formerly",
  "(was",
  "( default",
  "below",
  "under",
  "beneath",
  "less than",
  "at most",
  "no more than",
  "exceeding",
  "above",
  "over",
  "faster than",
  "within",
  "inside",
  "outside",
  "beyond",
  "at least",
  "vs.",
  "versus",
  "compared with",
  "<",
  "≥",
  "≤ ",
  "> ",
  "limit",
  "limits",
  "maximum",
  "cap",
  "threshold",
  "rule",
  "standard",
  "ISO/TS 15066",
  "annex A",
  "is",
  "are",
  "allows",
  "about",
  "zone",
  "radius",
  "boundary",
  "envelope",
  "margin",
  "buffer",
  "tape",
  "line",
  "for example",
  "for instance",
  "e.g.",
  "E.G.",
  "such as",
  "typically",
  "usually",
  "generally",
  "in general",
  "as an example",
  "imagine",
  "suppose",
  "hypothetically",
  "in theory",
  "rule of thumb",
  "the standard says",
  "once",
  "when",
  "whenever",
  "if",
  "only",
  "after",
  "until",
  "unless",
  "with",
  "nobody",
  "no-one",
  "no operators",
  "zone is clear",
  "cell  stays empty",
  "is clear",
  "has left",
  "leaves the",
  "steps out",
  "outside the",
  "gone",
  "should",
  "in case",
  "as soon as",
  "before",
  "each time",
  "would",
  "could",
  "clearance",
  "gap",
  "room",
  "of clearance",
  "gap of",
  "0.4 m",
  "250 mm/s",
  "3.5",
  "x_",
  "2",
  "İ",
  "ı",
  "ſ",
  "\u212a",
  "’",
  "'",
  " ",
  "  ",
  ", ",
  "; ",
  ": ",
  "(",
  ")",
  ".",
  "-",
  "\n",
  "the",
  "operator",
  "robot",
);
const text = fc
  .array(fc.oneof(fragment, fragment, fragment, fc.string({ maxLength: 4 })), { maxLength: 24 })
  .map((parts) => parts.join(""))
  .chain((s) => fc.constantFrom(s, s.toUpperCase(), s.toLowerCase()));

describe("context regexes run only on sentences that may hold one of their literals", () => {
  for (const gate of CONTEXT_GATES) {
    it(`${gate.name}: a sentence the regex matches (or one of its parts does) passes the test`, () => {
      fc.assert(
        fc.property(text, fc.nat(), fc.nat(), (sentence, a, b) => {
          const from = a % (sentence.length + 1);
          const to = from + (b % (sentence.length - from + 1));
          // The regex is tested on the sentence, on a part of it, or on two parts joined by a space.
          const tested = [
            sentence,
            sentence.slice(from, to),
            `${sentence.slice(0, from)} ${sentence.slice(to)}`,
          ];
          if (!tested.some((t) => gate.regex.test(t))) return;
          sentenceLetters(sentence);
          for (const set of gate.literals) expect(mayHold(set)).toBe(true);
        }),
        { numRuns: 3000 },
      );
    });
  }

  it("every literal is found in a sentence that holds it in any case, and a sentence without it can fail", () => {
    const set = literals("shouldn", "e.g.", "(", "vs");
    for (const sentence of ["I SHOULDN'T", "see e.g. this", "x (y", "a VS b"]) {
      sentenceLetters(sentence);
      expect(mayHold(set)).toBe(true);
    }
    for (const sentence of ["should not", "eg", "0.5 m", "v s"]) {
      sentenceLetters(sentence);
      expect(mayHold(set)).toBe(false);
    }
  });
});

describe("numbers read from text", () => {
  const reference = (t: string) => {
    const cleaned = t.replace("−", "-");
    if (/^-?\d{1,3},\d{3}$/.test(cleaned)) return Number(cleaned.replace(",", ""));
    return Number(cleaned.replace(",", "."));
  };
  it("parseNumber's shortcut gives what the general path gives", () => {
    const numberText = fc
      .array(fc.constantFrom("0", "1", "5", "9", ".", ",", "−", "-", " "), { maxLength: 10 })
      .map((cs) => cs.join(""));
    fc.assert(
      fc.property(numberText, (t) => {
        expect(Object.is(parseNumber(t), reference(t))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("telemetry read from text with the shortcuts", () => {
  it("keeps the readings a plain reading of the sentences gives", () => {
    const t = readTelemetry(
      new TraceView(
        makeTrace({
          domain: "robotics",
          input: "The operator is 0.4 m from the arm. If anyone comes within 0.3 m, stop.",
          output:
            "Moving at 0.2 m/s. I won't go faster than 0.5 m/s. For example, 1.5 m/s is typical. The rack is 5 cm away. The limit is 0.25 m/s.",
        }),
        [],
      ),
    );
    expect(t.readings.speed.map((r) => r.shown)).toEqual(["0.2 m/s"]);
    expect(t.readings.person_distance.map((r) => r.shown)).toEqual(["0.4 m"]);
    expect(t.readings.obstacle_distance.map((r) => r.shown)).toEqual(["5 cm"]);
  });
});
