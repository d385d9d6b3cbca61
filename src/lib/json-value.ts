/**
 * What every JSON document Aegis accepts must be, beyond its schema: nested at most
 * MAX_JSON_DEPTH levels (deeper documents overflow recursive code and SQLite's JSON functions), text
 * that is well-formed Unicode (a lone surrogate cannot be stored faithfully: D1 would write U+FFFD),
 * finite numbers (JSON.parse reads 1e309 as Infinity, which would be stored as null), and no
 * `__proto__` key (JavaScript objects cannot hold one as plain data, so it would be dropped).
 * Checked iteratively, so a hostile document cannot overflow the check itself.
 */
export const MAX_JSON_DEPTH = 64;

export interface JsonValueProblem {
  /** Segments from the document's root to the offending value or key. */
  path: (string | number)[];
  message: string;
}

export function jsonValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonValueProblem | null {
  // Segments are kept per frame, so a path is only built for the one problem reported.
  const stack: { value: unknown; depth: number; path: (string | number)[] }[] = [
    { value, depth: 0, path: [] },
  ];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value: current, depth, path } = frame;
    if (typeof current === "string") {
      if (!current.isWellFormed()) return { path, message: "contains a lone surrogate (invalid Unicode)" };
      continue;
    }
    if (typeof current === "number" && !Number.isFinite(current))
      return { path, message: "is a number too large to store (beyond the range of a double)" };
    if (typeof current !== "object" || current === null) continue;
    if (depth >= maxDepth)
      return { path, message: `nests objects and arrays deeper than ${maxDepth} levels` };
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1)
        stack.push({ value: current[i], depth: depth + 1, path: [...path, i] });
      continue;
    }
    for (const key of Object.keys(current)) {
      if (key === "__proto__") return { path: [...path, key], message: "the key __proto__ is not accepted" };
      if (!key.isWellFormed())
        return { path: [...path, key], message: "the key contains a lone surrogate (invalid Unicode)" };
      stack.push({
        value: (current as Record<string, unknown>)[key],
        depth: depth + 1,
        path: [...path, key],
      });
    }
  }
  return null;
}
