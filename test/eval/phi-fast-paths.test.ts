/**
 * detectPhi's shortcuts (the digit-run gates, the word-beginning gates of the keyword-led patterns,
 * the inline test of which numbers a digit-anchored pattern may start at) must find exactly what a
 * plain global scan of every pattern finds, with or without the text's word beginnings.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectPhi, PHI_PATTERNS, runMayStartIdentifier } from "../../src/eval/phi";
import { WordBeginnings } from "../../src/eval/prefilter";
import { plainPhi } from "../support/fast-path-references";

/** Keywords in assorted cases, dates and numbers of every shape the gates look at, and filler. */
const PIECES = [
  "SSN",
  "ssn:",
  "sSn #",
  "Social Security No.",
  "social security number",
  "123456789",
  "12345678",
  "1234567890",
  "123-45-6789",
  "123 45 6789",
  "DOB",
  "dob:",
  "D.O.B.",
  "d.o.b",
  "D.o.B",
  ".o.",
  "Date of Birth",
  "date of birth:",
  "birthdate",
  "Birth Date",
  "born",
  "BORN on",
  "04/12/1961",
  "4.5.61",
  "1-2-90",
  "1990-01-02",
  "March 3, 1990",
  "3 Mar 1990",
  "12 Sept. 2001",
  "MRN",
  "mRn",
  "Medical Record #",
  "medical record no.",
  "AB12345",
  "00-1234",
  "Patient",
  "PATIENT",
  "patient name:",
  "pAtient",
  "John Smith",
  "Mary O'Neil",
  "Dr.",
  "Mrs",
  "(415) 555-0100",
  "+1 415 555 0100",
  "1415 555 0100",
  "555.201.7788",
  "4111 1111 1111 1111",
  "4111111111111111",
  "192.168.0.1",
  "12 Main Street",
  "500 mg",
  "1000",
  "1",
  "12",
  "İ",
  "\u00a0",
  "was",
  "seen",
  "today",
];

const separator = fc.constantFrom(" ", "  ", "\n", "\t", ". ", ", ", ": ", "-", "/", "#", "");
const text = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...PIECES),
        fc.constantFrom(...PIECES).map((p) => p.toUpperCase()),
      ),
      separator,
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.map(([piece, sep]) => piece + sep).join(""))
  // E-mail detection is not a regex scan; it has its own tests.
  .map((t) => t.replaceAll("@", " "));

describe("detectPhi shortcuts", () => {
  it("find what a plain scan of every pattern finds, with and without word beginnings", () => {
    fc.assert(
      fc.property(text, (t) => {
        const expected = plainPhi(t);
        expect(detectPhi(t)).toEqual(expected);
        expect(detectPhi(t, new WordBeginnings(t))).toEqual(expected);
      }),
      { numRuns: 4_000 },
    );
  });

  it("skip only numbers no digit-anchored pattern may start at", () => {
    const anyText = fc.oneof(
      text,
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^[0-9 .()+\-A-Za-z\u00a0]{0,40}$/),
    );
    fc.assert(
      fc.property(anyText, (t) => {
        for (const m of t.matchAll(/\d+/g)) {
          const run = { start: m.index, end: m.index + m[0].length };
          if (runMayStartIdentifier(t, run)) continue;
          for (const pattern of PHI_PATTERNS) expect(pattern.startsAt?.(t, run) ?? []).toEqual([]);
        }
      }),
      { numRuns: 4_000 },
    );
  });
});
