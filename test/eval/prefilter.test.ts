import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builtinPacks } from "../../src/eval/packs/index";
import { gateOf, WordBeginnings } from "../../src/eval/prefilter";
import { engineRegExp, phraseSource } from "../../src/eval/regex-tools";

/** Whether the gate lets the regex run on the text (a missing gate always does). */
function gateAllows(source: string, flags: string, text: string): boolean {
  const gate = gateOf(source, flags);
  return gate === null || new WordBeginnings(text).passes(gate);
}

describe("a regex's gate", () => {
  it.each([
    // source, text it must let through, text it may skip (no match possible)
    ["\\bI\\s{1,3}(?:can't|won't)\\s{1,3}(?:help|assist)", "Sorry, I can't  help.", "I will help you."],
    [
      "\\b(?:for\\s{1,3})?(?:general\\s{1,3})?(?:informational|educational)\\s{1,3}purposes\\b",
      "educational purposes",
      "for general use",
    ],
    ["(?:^|\\n)\\s{0,4}(?:stop|halt)\\b", "ok\n  Halt the arm", "no motion"],
    ["\\b[Bb]uy\\s{1,3}\\$?[A-Z]{1,5}\\b", "Buy $AAPL", "Sell AAPL"],
    ["\\bgrams?\\b|\\bkg\\b", "2 kg", "2 lbs"],
    ["\\bco-?codamol\\b", "co-codamol", "paracetamol"],
  ])("%s", (source, through, skipped) => {
    expect(new RegExp(source, "i").test(through)).toBe(true);
    expect(gateAllows(source, "i", through)).toBe(true);
    expect(new RegExp(source, "i").test(skipped)).toBe(false);
    expect(gateAllows(source, "i", skipped)).toBe(false);
  });

  it.each([
    ["a match may start mid-word", "(?:bypass|defeat)"],
    ["a match may start at a digit class", "\\d{1,3}\\s?mg"],
    ["an empty alternative", "\\b(?:foo|)bar"],
    ["a backreference", "\\b(\\w)\\1"],
    ["unicode mode", "\\bfoo"],
  ])("gives no gate when %s", (label, source) => {
    expect(gateOf(source, label === "unicode mode" ? "iu" : "i")).toBeNull();
  });
});

describe("engine regexes", () => {
  it.each([
    // A short whitespace run becomes a loop of at most nine (V8 writes short runs out as copies).
    ["do\\s{1,3}not", "do\\s{1,9}not", "do      not", true],
    ["a\\s{0,2}b", "a\\s{0,9}b", "ab", true],
    ["a\\s{1,4}b", "a\\s{1,4}b", "a     b", false],
    // Not inside a class, not an escaped backslash followed by "s".
    ["[\\s{1,3}]", "[\\s{1,3}]", "{", true],
    ["a\\\\s{1,3}", "a\\\\s{1,3}", "a\\ss", true],
  ])("%s compiles as %s", (source, compiled, text, matches) => {
    const regex = engineRegExp(source, "");
    expect(regex.source).toBe(compiled);
    expect(regex.test(text)).toBe(matches);
  });
});

/** Every pattern the built-in packs compile, with its flags. */
function packPatterns(): { source: string; flags: string }[] {
  const found: { source: string; flags: string }[] = [];
  const walk = (node: unknown, flags: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, flags);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    const own = typeof record.flags === "string" ? record.flags : flags;
    for (const [key, value] of Object.entries(record)) {
      const strings =
        Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : null;
      if (strings && (key === "patterns" || key === "warnings"))
        for (const source of strings) found.push({ source, flags: own });
      else if (strings && key === "except") {
        const exceptFlags = typeof record.except_flags === "string" ? record.except_flags : own;
        for (const source of strings) found.push({ source, flags: exceptFlags });
      } else if (strings && key === "phrases")
        for (const phrase of strings) found.push({ source: phraseSource(phrase), flags: "i" });
      else walk(value, own);
    }
  };
  for (const pack of builtinPacks.values()) walk(pack.definition, "i");
  return found;
}

const PATTERNS = packPatterns();

/** Texts written by people: the quality set's development half and the Tier-2 corpus. */
function realTexts(): string[] {
  const root = join(import.meta.dirname, "..", "..");
  const lines = [
    ...["healthcare", "trading", "legal", "robotics"].flatMap((domain) =>
      readFileSync(join(root, "data/quality/dev", `${domain}.jsonl`), "utf8").split("\n"),
    ),
    ...readFileSync(join(root, "data/tier2/corpus.jsonl"), "utf8").split("\n"),
  ].filter((line) => line.trim() !== "");
  return lines.flatMap((line) => {
    const record = JSON.parse(line) as {
      trace?: { input: string; output: string };
      input?: string;
      output?: string;
    };
    const trace = record.trace ?? record;
    return [trace.input ?? "", trace.output ?? ""];
  });
}

describe("the gates of the built-in packs never skip a match", () => {
  it("covers most patterns", () => {
    const gated = PATTERNS.filter(({ source, flags }) => gateOf(source, flags) !== null).length;
    expect(gated / PATTERNS.length).toBeGreaterThan(0.8);
  });

  // Every pattern over thousands of texts: seconds of work, more on a loaded machine.
  it("on real questions and answers", { timeout: 60_000 }, () => {
    const texts = realTexts().map((text) => ({ text, beginnings: new WordBeginnings(text) }));
    const missed: string[] = [];
    for (const { source, flags } of PATTERNS) {
      const gate = gateOf(source, flags);
      if (gate === null) continue;
      const regex = engineRegExp(source, flags);
      for (const { text, beginnings } of texts) {
        if (regex.test(text) && !beginnings.passes(gate))
          missed.push(`${source.slice(0, 80)} on ${JSON.stringify(text.slice(0, 80))}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it("on texts made of the patterns' own words", { timeout: 60_000 }, () => {
    for (const { source, flags } of PATTERNS) {
      const gate = gateOf(source, flags);
      if (gate === null) continue;
      const vocabulary = [...new Set(source.match(/[A-Za-z']{1,20}/g) ?? ["a"])];
      const regex = engineRegExp(source, flags);
      const piece = fc.oneof(
        fc.constantFrom(...vocabulary),
        fc.constantFrom(" ", "  ", ", ", ". ", "\n", "'", "\u2019", "-", "$", "5", "10 ", "%"),
        fc.string({ maxLength: 3 }),
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
          const text = pieces.join("");
          if (regex.test(text)) expect(new WordBeginnings(text).passes(gate)).toBe(true);
        }),
        { numRuns: 60, seed: 20261204 },
      );
    }
  });
});
