/** Collects load-time errors for one rule, prefixing each with the rule's path and id. */
export interface PackError {
  path: string;
  message: string;
}

export class RuleErrors {
  constructor(
    private readonly sink: PackError[],
    readonly path: string,
    readonly ruleId: string,
  ) {}

  add(subPath: string, message: string): void {
    this.sink.push({ path: `${this.path}${subPath}`, message: `rule "${this.ruleId}": ${message}` });
  }
}

const ALLOWED_FLAGS = /^[imsu]*$/;

export function isValidFlags(flags: string): boolean {
  return ALLOWED_FLAGS.test(flags) && new Set(flags).size === flags.length;
}

interface Quantifier {
  /** Characters the quantifier occupies in the source. */
  length: number;
  max: number;
}

function readQuantifier(source: string, at: number): Quantifier | null {
  const ch = source[at];
  if (ch === "*" || ch === "+") return { length: 1, max: Number.POSITIVE_INFINITY };
  if (ch === "?") return { length: 1, max: 1 };
  if (ch !== "{") return null;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at, at + 24));
  if (braces === null) return null;
  const [text, min, comma, max] = braces;
  const upper = comma === undefined ? Number(min) : max === "" || max === undefined ? Infinity : Number(max);
  return { length: text.length, max: upper };
}

/**
 * Heuristic ReDoS guard for pack-supplied patterns: rejects a repeated group that itself contains a
 * repetition when either is unbounded, e.g. `(a+)+`, `(\w+\s?)*`, `(?:x{1,3})+`. Such shapes can
 * backtrack exponentially on adversarial text; bounded spans such as `(?:\w{1,20}\s{1,3}){0,3}` pass.
 */
export function findNestedQuantifier(source: string): string | null {
  // Per open group: whether it contains a repeating quantifier, and whether one is unbounded.
  const groups: { repeats: boolean; unbounded: boolean; start: number }[] = [
    { repeats: false, unbounded: false, start: 0 },
  ];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    let atomEnd = i + 1;
    let inner: { repeats: boolean; unbounded: boolean; start: number } | null = null;
    if (ch === "\\") {
      atomEnd = i + 2;
    } else if (ch === "[") {
      let j = i + 1;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      atomEnd = j + 1;
    } else if (ch === "(") {
      groups.push({ repeats: false, unbounded: false, start: i });
      i += 1;
      continue;
    } else if (ch === ")") {
      inner = groups.length > 1 ? (groups.pop() ?? null) : null;
    }
    const quantifier = readQuantifier(source, atomEnd);
    const enclosing = groups[groups.length - 1];
    if (enclosing === undefined) return null;
    if (inner !== null) {
      if (
        quantifier !== null &&
        quantifier.max > 1 &&
        inner.repeats &&
        (inner.unbounded || quantifier.max === Infinity)
      ) {
        return source.slice(inner.start, atomEnd + quantifier.length);
      }
      enclosing.repeats ||= inner.repeats;
      enclosing.unbounded ||= inner.unbounded;
    }
    if (quantifier !== null && quantifier.max > 1) {
      enclosing.repeats = true;
      enclosing.unbounded ||= quantifier.max === Infinity;
    }
    i = atomEnd + (quantifier?.length ?? 0);
  }
  return null;
}

/**
 * A whitespace repetition of at most three (`\s{1,3}`, `\s{0,2}`) as one of at most nine. V8 writes a
 * repetition of at most three out as that many copies of everything after it, so a pattern with a
 * few of them compiles to hundreds of kilobytes of machine code; past a budget of regex code per
 * isolate V8 stops optimizing the regexes it compiles, and every pack pattern slows down severalfold.
 * Nine is as cheap as any loop and matches the same text in practice (a run of more than three
 * spaces between two words is layout, not a different sentence).
 */
function widenWhitespaceRuns(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i];
    if (ch === "\\") {
      const pair = source.slice(i, i + 2);
      const run = inClass || pair !== "\\s" ? null : /^\{(\d),[1-3]\}/.exec(source.slice(i + 2, i + 7));
      if (run === null) {
        out += pair;
        i += 1;
      } else {
        out += `\\s{${run[1]},9}`;
        i += 1 + run[0].length;
      }
      continue;
    }
    if (ch === "[") inClass = true;
    else if (ch === "]") inClass = false;
    out += ch;
  }
  return out;
}

/** A RegExp for an engine pattern, whitespace runs widened (see widenWhitespaceRuns). */
export function engineRegExp(source: string, flags: string): RegExp {
  return new RegExp(widenWhitespaceRuns(source), flags);
}

/** Compiles a pack pattern with the global flag, reporting syntax errors and nested quantifiers. */
export function compilePackRegex(
  source: string,
  flags: string,
  errors: RuleErrors,
  subPath: string,
): RegExp | null {
  const nested = findNestedQuantifier(source);
  if (nested !== null) {
    errors.add(
      subPath,
      `pattern has a nested unbounded quantifier near "${nested}" (catastrophic backtracking risk); bound the inner repetition`,
    );
    return null;
  }
  try {
    return engineRegExp(source, `${flags}g`);
  } catch (error) {
    errors.add(
      subPath,
      `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}

const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/** A literal phrase as a case-insensitive regex source: whitespace runs match any whitespace, word edges are bounded. */
export function phraseSource(phrase: string): string {
  const body = phrase.trim().replace(REGEX_SPECIALS, "\\$&").replace(/\s+/g, "\\s{1,3}");
  const head = /^\w/.test(phrase.trim()) ? "\\b" : "";
  const tail = /\w$/.test(phrase.trim()) ? "\\b" : "";
  return `${head}${body}${tail}`;
}

/** The top-level alternatives of a pattern source ("a|(b|c)" → ["a", "(b|c)"]). */
function topLevelAlternatives(source: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === "\\") i += 1;
    else if (ch === "[") {
      // Inside a class, "|" and parentheses are literal; "]" right after "[" or "[^" closes it.
      i += 1;
      while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
    } else if (ch === "(") depth += 1;
    else if (ch === ")") depth -= 1;
    else if (ch === "|" && depth === 0) {
      alternatives.push(source.slice(start, i));
      start = i + 1;
    }
    i += 1;
  }
  alternatives.push(source.slice(start));
  return alternatives;
}

const WORD_BOUNDARY = "\\b";

/**
 * One regex that matches any of the sources; null when they cannot be joined (backreferences renumber).
 * When every alternative starts with `\b`, the boundary is written once in front: `\b(?:x|y)` matches
 * exactly what `\bx|\by` does, in the same order, but V8 scans it about twice as fast.
 */
export function joinAlternatives(sources: readonly string[], flags: string): RegExp | null {
  if (sources.some((source) => /\\[1-9]|\\k</.test(source))) return null;
  const alternatives = sources.flatMap(topLevelAlternatives);
  const joined = alternatives.every((a) => a.startsWith(WORD_BOUNDARY))
    ? `${WORD_BOUNDARY}(?:${alternatives.map((a) => `(?:${a.slice(WORD_BOUNDARY.length)})`).join("|")})`
    : sources.map((source) => `(?:${source})`).join("|");
  try {
    return engineRegExp(joined, `${flags}g`);
  } catch {
    return null;
  }
}
