/**
 * What the fast-path properties compare against: generated texts, and plain scans without shortcuts.
 */
import fc from "fast-check";
import { PHI_PATTERNS, type PhiMatch } from "../../src/eval/phi";

const SEPARATORS = [" ", "  ", "\n", "\t", ". ", ", ", "; ", "-", "/", "(", ")", "'", ""];

/** Text from the given pieces joined by the separators, or arbitrary characters. */
export function textFrom(
  pieces: readonly string[],
  { maxParts = 40, separators = SEPARATORS }: { maxParts?: number; separators?: readonly string[] } = {},
): fc.Arbitrary<string> {
  const separator = fc.constantFrom(...separators);
  const piece = fc.oneof(
    fc.constantFrom(...pieces),
    fc.constantFrom(...pieces).map((p) => p.toUpperCase()),
    fc.string({ maxLength: 6 }),
  );
  return fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.array(fc.tuple(piece, separator), { maxLength: maxParts }).map((parts) => parts.flat().join("")),
  );
}

/** Every PHI pattern scanned over the whole text, no shortcut, matches merged as detectPhi merges them. */
export function plainPhi(text: string): PhiMatch[] {
  const found: PhiMatch[] = [];
  for (const pattern of PHI_PATTERNS) {
    const regex = new RegExp(pattern.regex.source, pattern.regex.flags);
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      const value = pattern.valueIsLastGroup ? (m[m.length - 1] ?? m[0]) : m[0];
      if (pattern.validate !== undefined && !pattern.validate(value)) continue;
      const end = m.index + m[0].length;
      found.push({ type: pattern.type, start: end - value.length, end });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: PhiMatch[] = [];
  for (const match of found) {
    const last = merged[merged.length - 1];
    if (last !== undefined && match.start < last.end) last.end = Math.max(last.end, match.end);
    else merged.push({ ...match });
  }
  return merged;
}
