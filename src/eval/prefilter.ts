/**
 * Literal prefilters derived from regular expressions. For a pattern such as
 * `\bguaranteed\s{1,3}(?:returns?|profits?)\b` every match contains "guaranteed", so a text whose
 * lower-case form lacks it cannot match and the regex scan is skipped. The needles come from the
 * pattern source itself, never from a hand-kept keyword list, and the analysis is conservative:
 * whatever it does not understand (classes such as `\w`, backreferences, non-ASCII characters,
 * the `u` flag) yields no needle, so the regex always runs.
 *
 * Needles are not searched for one by one (each `includes` costs about as much as a simple regex
 * scan): the text's trigrams are hashed into a bit set once, and a needle is tested by looking up
 * its own trigrams, a few bit tests. A needle whose trigrams are all present may still be absent
 * (then the regex runs for nothing); one with a missing trigram certainly is.
 *
 * Why lower case is sound: without the `u` flag an ASCII pattern character only ever matches ASCII
 * characters (with or without `i`), and `toLowerCase` maps an ASCII run to the same run in lower case,
 * so the lower-cased text contains the lower-cased literal of every match.
 */

/** What is known about the strings a regex node matches, lower-cased. */
interface Facts {
  /** Every string the node can match, when there are few and all are known. */
  exact: readonly string[] | null;
  /** Every match contains one of these; null when nothing is known. */
  clause: readonly string[] | null;
}

const UNKNOWN: Facts = { exact: null, clause: null };
const EMPTY: Facts = { exact: [""], clause: null };
/** Bounds the cross products of concatenated alternatives ("(?:a|an|the)\s(?:x|y)"). */
const MAX_EXACT = 16;
const MAX_CLASS_CHARS = 8;

class Unsupported extends Error {}

const isPrintableAscii = (ch: string) => ch >= " " && ch <= "~";
const isAsciiAlphanumeric = (ch: string) => /^[A-Za-z0-9]$/.test(ch);

/** Shared prefixes at least this long replace their needles ("ignore", "ignoring" → "ignor"). */
const MIN_SHARED_PREFIX = 5;

/**
 * Fewer needles, each still implied by the originals: one that contains another is dropped ("prompt"
 * covers "prompts"), and two with a long common prefix give way to it (each contains the prefix).
 */
function simplify(needles: readonly string[]): string[] {
  const sorted = [...new Set(needles)].sort();
  const merged: string[] = [];
  for (const needle of sorted) {
    const last = merged[merged.length - 1];
    let shared = 0;
    while (last !== undefined && shared < last.length && last[shared] === needle[shared]) shared += 1;
    if (last !== undefined && shared >= MIN_SHARED_PREFIX) merged[merged.length - 1] = last.slice(0, shared);
    else merged.push(needle);
  }
  merged.sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const needle of merged) if (!kept.some((k) => needle.includes(k))) kept.push(needle);
  return kept;
}

/** Trigrams are the unit of the lookup, so a shorter needle cannot be tested. */
const MIN_NEEDLE = 3;

/**
 * A clause is usable when each of its needles has a trigram; longer needles filter better, fewer
 * cost less. Unusable clauses are still kept (an alternation of them may simplify into a usable one).
 */
function bestClause(candidates: readonly (readonly string[] | null)[]): string[] | null {
  let best: string[] | null = null;
  for (const candidate of candidates) {
    if (candidate === null || candidate.length === 0 || candidate.includes("")) continue;
    const clause = simplify(candidate);
    if (best === null || score(clause) > score(best)) best = clause;
  }
  return best;
}

function score(clause: readonly string[]): number {
  const shortest = Math.min(...clause.map((needle) => needle.length));
  return (shortest >= MIN_NEEDLE ? 10_000 : 0) + shortest * 100 - clause.length;
}

function withExact(exact: readonly string[] | null, clause: readonly string[] | null): Facts {
  return { exact, clause: bestClause([clause, exact]) };
}

function concat(items: readonly Facts[]): Facts {
  const candidates: (readonly string[] | null)[] = [];
  let run: string[] = [""];
  let allExact = true;
  for (const item of items) {
    candidates.push(item.clause);
    if (item.exact === null) {
      allExact = false;
      candidates.push(run);
      run = [""];
      continue;
    }
    if (run.length * item.exact.length > MAX_EXACT) {
      allExact = false;
      candidates.push(run);
      run = [...item.exact];
      continue;
    }
    const product = new Set<string>();
    for (const head of run) for (const tail of item.exact) product.add(head + tail);
    run = [...product];
  }
  candidates.push(run);
  return { exact: allExact ? run : null, clause: bestClause(candidates) };
}

function union(branches: readonly Facts[]): Facts {
  const exacts = branches.map((b) => b.exact);
  const allExact = exacts.every((e) => e !== null);
  const values = allExact ? [...new Set(exacts.flatMap((e) => e ?? []))] : [];
  const clauses = branches.map((b) => b.clause);
  const clause = clauses.every((c) => c !== null) ? clauses.flatMap((c) => c ?? []) : null;
  return withExact(allExact && values.length <= MAX_EXACT ? values : null, clause);
}

function repeat(item: Facts, min: number, max: number): Facts {
  if (min === 0) {
    const optional = max === 1 && item.exact !== null ? [...new Set([...item.exact, ""])] : null;
    return { exact: optional, clause: null };
  }
  // At least one copy: whatever one copy must contain, the repetition contains too.
  return withExact(min === 1 && max === 1 ? item.exact : null, item.clause);
}

const QUANTIFIER = /^\{(\d+)(?:(,)(\d*))?\}/;

/** A recursive-descent reading of regex syntax (without the `u` flag), tracking only literal facts. */
class Reader {
  private at = 0;

  constructor(private readonly source: string) {}

  read(): Facts {
    const facts = this.alternation();
    if (this.at !== this.source.length) throw new Unsupported("unbalanced parenthesis");
    return facts;
  }

  private peek(offset = 0): string {
    return this.source.charAt(this.at + offset);
  }

  private alternation(): Facts {
    const branches = [this.sequence()];
    while (this.peek() === "|") {
      this.at += 1;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? (branches[0] ?? UNKNOWN) : union(branches);
  }

  private sequence(): Facts {
    const items: Facts[] = [];
    while (this.at < this.source.length && this.peek() !== "|" && this.peek() !== ")") {
      items.push(this.quantified(this.atom()));
    }
    return concat(items);
  }

  private quantified(item: Facts): Facts {
    const ch = this.peek();
    let min: number;
    let max: number;
    if (ch === "*" || ch === "+" || ch === "?") {
      this.at += 1;
      min = ch === "+" ? 1 : 0;
      max = ch === "?" ? 1 : Number.POSITIVE_INFINITY;
    } else {
      const braces = ch === "{" ? QUANTIFIER.exec(this.source.slice(this.at)) : null;
      if (braces === null) return item;
      this.at += braces[0].length;
      min = Number(braces[1]);
      max = braces[2] === undefined ? min : braces[3] === "" ? Number.POSITIVE_INFINITY : Number(braces[3]);
    }
    if (this.peek() === "?") this.at += 1; // lazy: the same strings, in another order
    return repeat(item, min, max);
  }

  private atom(): Facts {
    const ch = this.peek();
    this.at += 1;
    switch (ch) {
      case "(":
        return this.group();
      case "[":
        return this.characterClass();
      case "\\":
        return this.escape();
      case "^":
      case "$":
        return EMPTY;
      case ".":
        return UNKNOWN;
      case "*":
      case "+":
      case "?":
        throw new Unsupported("nothing to repeat");
      case "{":
        if (QUANTIFIER.test(this.source.slice(this.at - 1))) throw new Unsupported("nothing to repeat");
        return withExact(["{"], null);
      default:
        return isPrintableAscii(ch) ? withExact([ch.toLowerCase()], null) : UNKNOWN;
    }
  }

  private group(): Facts {
    let lookaround = false;
    if (this.peek() === "?") {
      const kind = this.source.slice(this.at + 1, this.at + 3);
      if (kind.startsWith(":")) this.at += 2;
      else if (kind.startsWith("=") || kind.startsWith("!")) {
        this.at += 2;
        lookaround = true;
      } else if (kind === "<=" || kind === "<!") {
        this.at += 3;
        lookaround = true;
      } else if (kind.startsWith("<")) {
        const close = this.source.indexOf(">", this.at);
        if (close === -1) throw new Unsupported("unterminated group name");
        this.at = close + 1;
      } else throw new Unsupported("unknown group kind");
    }
    const inner = this.alternation();
    if (this.peek() !== ")") throw new Unsupported("unterminated group");
    this.at += 1;
    // A lookaround consumes nothing: the match itself need not contain what it looks at.
    return lookaround ? EMPTY : inner;
  }

  private escape(): Facts {
    const ch = this.peek();
    this.at += 1;
    if (ch === "") throw new Unsupported("trailing backslash");
    if (ch === "b" || ch === "B") return EMPTY;
    if (/[0-9]/.test(ch)) {
      // Backreference (or a legacy octal escape): its text is not known here.
      while (/[0-9]/.test(this.peek())) this.at += 1;
      return UNKNOWN;
    }
    if (ch === "k" && this.peek() === "<") {
      const close = this.source.indexOf(">", this.at);
      this.at = close === -1 ? this.source.length : close + 1;
      return UNKNOWN;
    }
    // Code points (\x41, \u2019, \cJ): their digits are part of the escape, not literals that follow.
    const digits = ch === "x" ? /^[0-9A-Fa-f]{2}/ : ch === "u" ? /^[0-9A-Fa-f]{4}/ : ch === "c" ? /^[A-Za-z]/ : null;
    const code = digits?.exec(this.source.slice(this.at, this.at + 4));
    if (code) this.at += code[0].length;
    // Other letters are classes (\d \w \s), controls (\n \t) or legacy identity escapes: no needle.
    if (isAsciiAlphanumeric(ch) || !isPrintableAscii(ch)) return UNKNOWN;
    return withExact([ch], null);
  }

  private characterClass(): Facts {
    const negated = this.peek() === "^";
    if (negated) this.at += 1;
    const chars = new Set<string>();
    let known = !negated;
    while (this.peek() !== "]") {
      const ch = this.peek();
      if (ch === "") throw new Unsupported("unterminated class");
      this.at += 1;
      let member: string | null = ch;
      if (ch === "\\") {
        const escaped = this.peek();
        this.at += 1;
        member =
          escaped !== "" && isPrintableAscii(escaped) && !isAsciiAlphanumeric(escaped) ? escaped : null;
      }
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== "") {
        // A range: its end is read as the next member and the whole class gives up.
        member = null;
      }
      if (member === null || !isPrintableAscii(member)) known = false;
      else chars.add(member.toLowerCase());
    }
    this.at += 1;
    if (!known || chars.size === 0 || chars.size > MAX_CLASS_CHARS) return UNKNOWN;
    return withExact([...chars], null);
  }
}

const HASH_MASK = (1 << 15) - 1;

/**
 * Rolling hash of the last three characters: `(c[i-2] << 10 ^ c[i-1] << 5 ^ c[i]) & 0x7fff`, which
 * depends on those three only (older bits are shifted out by the mask) and is one-to-one on
 * lower-case letter trigrams.
 */
function roll(hash: number, code: number): number {
  return ((hash << 5) ^ code) & HASH_MASK;
}

/** The trigrams of a lower-cased text as a 32 768-bit set, built in one pass. */
export class Trigrams {
  readonly bits = new Int32Array((HASH_MASK + 1) >>> 5);

  constructor(lower: string) {
    const bits = this.bits;
    let hash = 0;
    for (let i = 0; i < lower.length; i += 1) {
      hash = roll(hash, lower.charCodeAt(i));
      const word = hash >>> 5;
      bits[word] = (bits[word] ?? 0) | (1 << (hash & 31));
    }
  }
}

/** Lower-case needles, one of which every match contains, with their trigram hashes. */
export class Needles {
  /** Trigram hashes of all needles, back to back; needle n's end at `ends[n]`. */
  private readonly hashes: Uint16Array;
  private readonly ends: Uint16Array;

  constructor(readonly values: readonly string[]) {
    const hashes: number[] = [];
    const ends: number[] = [];
    for (const needle of values) {
      let hash = 0;
      for (let i = 0; i < needle.length; i += 1) {
        hash = roll(hash, needle.charCodeAt(i));
        if (i >= MIN_NEEDLE - 1) hashes.push(hash);
      }
      ends.push(hashes.length);
    }
    this.hashes = Uint16Array.from(hashes);
    this.ends = Uint16Array.from(ends);
  }

  /** False only when the text certainly contains none of the needles: one of each's trigrams is missing. */
  mayOccurIn(trigrams: Trigrams): boolean {
    const { hashes, ends } = this;
    const bits = trigrams.bits;
    let i = 0;
    for (let n = 0; n < ends.length; n += 1) {
      const end = ends[n] ?? 0;
      while (i < end) {
        const hash = hashes[i] ?? 0;
        if (((bits[hash >>> 5] ?? 0) & (1 << (hash & 31))) === 0) break;
        i += 1;
      }
      if (i === end) return true;
      i = end;
    }
    return false;
  }
}

function toNeedles(clause: readonly string[] | null): Needles | null {
  return clause === null || clause.some((needle) => needle.length < MIN_NEEDLE) ? null : new Needles(clause);
}

/**
 * Needles one of which every match of the pattern contains, or null when no usable set is known
 * (then the pattern must always be run).
 */
export function requiredNeedles(source: string, flags: string): Needles | null {
  if (flags.includes("u")) return null;
  try {
    return toNeedles(new Reader(source).read().clause);
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

/** Needles for a pattern that matches wherever one of several patterns does (a joined alternation). */
export function anyNeedles(parts: readonly (Needles | null)[]): Needles | null {
  return parts.every((p) => p !== null) ? toNeedles(simplify(parts.flatMap((p) => p?.values ?? []))) : null;
}

