import type { DecisionAxis } from "../pack-schema";
import { phraseSource } from "../regex-tools";

export interface CompiledAxis {
  name: string;
  a: RegExp;
  b: RegExp;
  labels: { a: string; b: string };
}

export type Side = "a" | "b";

export function compileAxes(axes: readonly DecisionAxis[]): CompiledAxis[] {
  const joined = (phrases: readonly string[]) => new RegExp(phrases.map(phraseSource).join("|"), "gi");
  return axes.map((axis) => ({
    name: axis.name,
    a: joined(axis.a),
    b: joined(axis.b),
    labels: { a: axis.a[0] ?? "a", b: axis.b[0] ?? "b" },
  }));
}

/** "do not approve", "I wouldn't buy": a negated decision word is no decision. */
const NEGATED_BEFORE =
  /\b(?:not|never|no|cannot|can't|won't|don't|wouldn't|shouldn't|n't)\s{1,3}(?:\w{1,15}\s{1,3}){0,2}$/i;

function takesSide(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (!NEGATED_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) return true;
  }
  return false;
}

/** The side a text takes on an axis; undefined when it takes neither or both (ambiguous). */
export function decisionOf(text: string, axis: CompiledAxis): Side | undefined {
  const a = takesSide(axis.a, text);
  const b = takesSide(axis.b, text);
  return a === b ? undefined : a ? "a" : "b";
}

const MASS_TO_MG: Readonly<Record<string, number>> = { mg: 1, g: 1000, gram: 1000, mcg: 0.001, µg: 0.001 };
/** Physical quantities a motion plan commits to, in SI: a speed, a distance, a force. */
const PHYSICAL: Readonly<Record<string, readonly [string, number]>> = {
  "m/s": ["m/s", 1],
  "mm/s": ["m/s", 0.001],
  "cm/s": ["m/s", 0.01],
  "km/h": ["m/s", 1 / 3.6],
  m: ["m", 1],
  cm: ["m", 0.01],
  mm: ["m", 0.001],
  n: ["N", 1],
  kn: ["N", 1000],
};
const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  million: 1e6,
  bn: 1e9,
  billion: 1e9,
};
const NUMBER = "(\\d{1,3}(?:,\\d{3}){1,4}|\\d{1,9}(?:\\.\\d{1,4})?)";
const MONEY = new RegExp(
  `(?:\\$|\\bUSD\\s?)\\s?${NUMBER}(?:\\s?(k|m|bn|thousand|million|billion)\\b)?`,
  "gi",
);
const WITH_UNIT = new RegExp(
  `\\b${NUMBER}\\s?(mg|mcg|µg|g|grams?|ml|units?|iu|%|percent|shares?|contracts?|tablets?|capsules?|days?|weeks?|months?|mm\\/s|cm\\/s|m\\/s|km\\/h|kn|n|mm|cm|m)(?![\\w/])`,
  "gi",
);

/**
 * The quantities an answer commits to (doses, amounts of money, percentages, counts of shares or
 * days) in a canonical form ("mg:1000", "$:25000"), sorted, so two answers can be compared.
 */
export function extractQuantities(text: string): string[] {
  const quantities: string[] = [];
  MONEY.lastIndex = 0;
  for (let m = MONEY.exec(text); m !== null; m = MONEY.exec(text)) {
    const value = Number((m[1] ?? "").replace(/,/g, "")) * (MULTIPLIERS[(m[2] ?? "").toLowerCase()] ?? 1);
    quantities.push(`$:${value}`);
  }
  WITH_UNIT.lastIndex = 0;
  for (let m = WITH_UNIT.exec(text); m !== null; m = WITH_UNIT.exec(text)) {
    const unit = (m[2] ?? "").toLowerCase().replace(/(?<=[a-z]{2})s$/, "");
    const value = Number((m[1] ?? "").replace(/,/g, ""));
    const scale = MASS_TO_MG[unit];
    const physical = PHYSICAL[unit];
    if (scale !== undefined) quantities.push(`mg:${value * scale}`);
    else if (physical !== undefined)
      quantities.push(`${physical[0]}:${+(value * physical[1]).toPrecision(6)}`);
    else quantities.push(`${unit === "percent" ? "%" : unit}:${value}`);
  }
  return quantities.sort();
}
