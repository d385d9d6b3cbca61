/**
 * A cheap test that a regex cannot match a text, so most of the packs' hundreds of patterns are never
 * run on a trace they have nothing to say about: V8 scans a text once per pattern, and most patterns
 * need particular words (`\bI\s{1,3}(?:can't|won't)\s{1,3}(?:help|assist)`).
 *
 * A text is summarised by its word beginnings: the first one, two and three characters of each word,
 * lower-cased. A pattern's gate is read from its source: for each way it can match (a top-level
 * alternative), the words every such match contains, each as the set of beginnings it may have; the
 * text can match only if, for some way, each of those words' beginnings is in the text. What the
 * reader does not understand gives no gate (the pattern always runs): the gate costs speed when it
 * is missing, never correctness.
 */

/** Word characters as `\w` has them without the `u` flag: A-Z, a-z, 0-9, `_`; 0 for the rest. */
const WORD_CODES = new Uint8Array(128).map((_, c) => {
  if (c >= 97 && c <= 122) return c - 96;
  if (c >= 65 && c <= 90) return c - 64;
  if (c >= 48 && c <= 57) return c - 21;
  return c === 95 ? 37 : 0;
});

function wordCode(c: number): number {
  return c < 128 ? (WORD_CODES[c] as number) : 0;
}

const BASE = 38;
const OFFSET_2 = BASE;
const OFFSET_3 = BASE + BASE * BASE;

/** The key of a word beginning of one to three word characters (their wordCodes). */
function beginningKey(codes: readonly number[]): number {
  const [a = 0, b = 0, c = 0] = codes;
  if (codes.length === 1) return a;
  if (codes.length === 2) return OFFSET_2 + a * BASE + b;
  return OFFSET_3 + (a * BASE + b) * BASE + c;
}

/**
 * Keys are hashed into a bitmap of this many bits: two keys sharing a bit only let a regex run that
 * could have been skipped.
 */
const BITS = 1 << 13;
const slot = (key: number) => (Math.imul(key, 0x9e3779b1) >>> 19) & (BITS - 1);

const utf8 = new TextEncoder();
/** Reused between texts: the engine is synchronous, one text is read at a time. */
let scratch = new Uint8Array(1 << 14);

/** The beginnings (first one, two and three characters) of every word of a text, as a bitmap. */
export class WordBeginnings {
  private readonly bits = new Uint8Array(BITS >> 3);

  constructor(text: string) {
    const bits = this.bits;
    // Scanned as UTF-8 bytes (the encoder is native, and typed-array reads are cheaper than
    // charCodeAt): every byte of a non-ASCII character is >= 128, a non-word character, as for \w.
    if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
    const bytes = scratch;
    const length = utf8.encodeInto(text, bytes).written;
    const codes = WORD_CODES;
    let previous = 0;
    for (let i = 0; i < length; i += 1) {
      const byte = bytes[i] as number;
      const a = byte < 128 ? (codes[byte] as number) : 0;
      if (a !== 0 && previous === 0) {
        const second = i + 1 < length ? (bytes[i + 1] as number) : 128;
        const b = second < 128 ? (codes[second] as number) : 0;
        const third = b === 0 || i + 2 >= length ? 128 : (bytes[i + 2] as number);
        const c = third < 128 ? (codes[third] as number) : 0;
        let k = slot(a);
        bits[k >> 3] = (bits[k >> 3] ?? 0) | (1 << (k & 7));
        if (b !== 0) {
          k = slot(OFFSET_2 + a * BASE + b);
          bits[k >> 3] = (bits[k >> 3] ?? 0) | (1 << (k & 7));
          if (c !== 0) {
            k = slot(OFFSET_3 + (a * BASE + b) * BASE + c);
            bits[k >> 3] = (bits[k >> 3] ?? 0) | (1 << (k & 7));
          }
        }
      }
      previous = a;
    }
  }

  has(key: number): boolean {
    const k = slot(key);
    return (((this.bits[k >> 3] ?? 0) >> (k & 7)) & 1) === 1;
  }

  /** Whether some way of the gate has all its words' beginnings here. */
  passes(gate: GateWays): boolean {
    for (const way of gate) {
      let all = true;
      for (const word of way) {
        let found = false;
        for (const key of word) {
          if (this.has(key)) {
            found = true;
            break;
          }
        }
        if (!found) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }
}

/** A word every match contains: the keys of the beginnings it may have. */
type Word = readonly number[];
/** The ways a pattern can match, each with the words it needs. */
export type GateWays = readonly (readonly Word[])[];
export type Gate = GateWays | null;

/** The gate of a regex source with its flags (see the module comment). */
export function gateOf(source: string, flags: string): Gate {
  // With `u` or `v`, `\w`, `\b` and case folding reach beyond ASCII; `m` and `y` move `^` and the start.
  if (/[uvym]/.test(flags)) return null;
  let tree: Node;
  try {
    tree = new Parser(source).parse();
  } catch {
    return null;
  }
  const { ways } = analyse(tree, false);
  // A way that needs no word could match any text.
  if (ways.some((way) => way.length === 0)) return null;
  return ways.map((way) => dropLooseDuplicates(way));
}

/**
 * The way's words without those another word implies (a word that may begin "can" or "won" is
 * implied by one that must begin "can"), most selective first so a failing check stops early.
 */
function dropLooseDuplicates(way: readonly Word[]): Word[] {
  // `other` implies `word` when every beginning `other` allows, `word` allows too.
  const implies = (other: Word, word: Word) => other.every((key) => word.includes(key));
  const kept = way.filter(
    (word, i) =>
      !way.some((other, j) => j !== i && implies(other, word) && (other.length < word.length || j < i)),
  );
  return kept.sort((a, b) => looseness(a) - looseness(b));
}

// ---------------------------------------------------------------------------------------------
// A small parser for the regex syntax the packs use. Unknown syntax throws (no gate).

type CharKind = "word" | "nonword" | "any";

type Node =
  | { kind: "seq"; items: Node[] }
  | { kind: "alt"; alternatives: Node[] }
  | { kind: "group"; body: Node }
  | { kind: "zero" } // lookarounds, \B, $: they consume nothing and promise nothing here
  | { kind: "boundary" } // \b, ^: a word character right after is a word's first
  | { kind: "char"; char: CharKind; code: number } // one character; code: its wordCode when known
  | { kind: "repeat"; body: Node; min: number; max: number };

class Unsupported extends Error {}

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i !== this.s.length) throw new Unsupported("trailing input");
    return node;
  }

  private alternation(): Node {
    const alternatives = [this.sequence()];
    while (this.s[this.i] === "|") {
      this.i += 1;
      alternatives.push(this.sequence());
    }
    return alternatives.length === 1 ? (alternatives[0] as Node) : { kind: "alt", alternatives };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== "|" && this.s[this.i] !== ")") {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { kind: "seq", items };
  }

  private quantified(atom: Node): Node {
    const s = this.s;
    const ch = s[this.i];
    let min: number;
    let max: number;
    if (ch === "?" || ch === "*" || ch === "+") {
      this.i += 1;
      min = ch === "+" ? 1 : 0;
      max = ch === "?" ? 1 : Number.POSITIVE_INFINITY;
    } else if (ch === "{") {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(s.slice(this.i, this.i + 24));
      if (m === null) throw new Unsupported("brace");
      this.i += m[0].length;
      min = Number(m[1]);
      max =
        m[2] === undefined
          ? min
          : m[3] === "" || m[3] === undefined
            ? Number.POSITIVE_INFINITY
            : Number(m[3]);
    } else return atom;
    if (s[this.i] === "?") this.i += 1; // lazy: same matches for the gate's purpose
    if (atom.kind === "zero" || atom.kind === "boundary") throw new Unsupported("quantified assertion");
    return { kind: "repeat", body: atom, min, max };
  }

  private atom(): Node {
    const s = this.s;
    const ch = s[this.i] as string;
    if (ch === "(") return this.group();
    if (ch === "[") return this.charClass();
    if (ch === "\\") return this.escape();
    this.i += 1;
    if (ch === "^") return { kind: "boundary" };
    if (ch === "$") return { kind: "zero" };
    if (ch === ".") return { kind: "char", char: "any", code: 0 };
    if (ch === "*" || ch === "+" || ch === "?" || ch === "{" || ch === "}" || ch === "]")
      throw new Unsupported("stray syntax");
    return literal(ch.charCodeAt(0));
  }

  private group(): Node {
    const s = this.s;
    let zeroWidth = false;
    if (s.startsWith("(?:", this.i)) this.i += 3;
    else if (s.startsWith("(?=", this.i) || s.startsWith("(?!", this.i)) {
      this.i += 3;
      zeroWidth = true;
    } else if (s.startsWith("(?<=", this.i) || s.startsWith("(?<!", this.i)) {
      this.i += 4;
      zeroWidth = true;
    } else if (s.startsWith("(?<", this.i)) {
      const close = s.indexOf(">", this.i);
      if (close < 0 || !/^\(\?<[A-Za-z_$][\w$]*>$/.test(s.slice(this.i, close + 1)))
        throw new Unsupported("group name");
      this.i = close + 1;
    } else if (s[this.i + 1] === "?") throw new Unsupported("group syntax");
    else this.i += 1;
    const body = this.alternation();
    if (s[this.i] !== ")") throw new Unsupported("unclosed group");
    this.i += 1;
    return zeroWidth ? { kind: "zero" } : { kind: "group", body };
  }

  private escape(): Node {
    const s = this.s;
    const next = s[this.i + 1];
    if (next === undefined) throw new Unsupported("trailing backslash");
    this.i += 2;
    switch (next) {
      case "b":
        return { kind: "boundary" };
      case "B":
        return { kind: "zero" };
      case "s":
      case "W":
        return { kind: "char", char: "nonword", code: 0 };
      case "d":
      case "w":
        return { kind: "char", char: "word", code: 0 };
      case "S":
      case "D":
        return { kind: "char", char: "any", code: 0 };
      case "n":
      case "r":
      case "t":
      case "f":
      case "v":
        return { kind: "char", char: "nonword", code: 0 };
      case "u":
      case "x": {
        const digits = next === "u" ? 4 : 2;
        const hex = s.slice(this.i, this.i + digits);
        if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new Unsupported("hex escape");
        this.i += digits;
        return literal(Number.parseInt(hex, 16));
      }
      default:
        // Backreferences, \k<name>, \p{…} and control escapes are beyond this reader.
        if (/[0-9kpPcq]/.test(next)) throw new Unsupported("escape");
        return literal(next.charCodeAt(0));
    }
  }

  /** A class: certainly non-word when every member is; a letter in both cases (`[Bb]`) is that letter. */
  private charClass(): Node {
    const s = this.s;
    let j = this.i + 1;
    const negated = s[j] === "^";
    if (negated) j += 1;
    let body = "";
    // In JavaScript a "]" right after "[" or "[^" closes the class ("[]" matches nothing).
    while (j < s.length && s[j] !== "]") {
      body += s[j] === "\\" ? s.slice(j, j + 2) : s[j];
      j += s[j] === "\\" ? 2 : 1;
    }
    if (s[j] !== "]") throw new Unsupported("unclosed class");
    this.i = j + 1;
    if (negated) return { kind: "char", char: "any", code: 0 };
    const letters = /^([A-Za-z])([A-Za-z])?$/.exec(body);
    if (
      letters !== null &&
      (letters[2] === undefined || letters[1]?.toLowerCase() === letters[2].toLowerCase())
    )
      return { kind: "char", char: "word", code: wordCode(body.charCodeAt(0)) };
    return { kind: "char", char: classKind(body), code: 0 };
  }
}

function literal(code: number): Node {
  const word = wordCode(code);
  return { kind: "char", char: word === 0 ? "nonword" : "word", code: word };
}

/** Whether every member of a class body is a non-word character (ranges and escapes understood). */
function classKind(body: string): CharKind {
  let i = 0;
  let allNonWord = true;
  while (i < body.length) {
    const ch = body[i] as string;
    if (ch === "\\") {
      const e = body[i + 1] ?? "";
      i += 2;
      if (e === "s" || e === "W" || e === "n" || e === "r" || e === "t" || e === "f" || e === "v") continue;
      if (e === "u" || e === "x") {
        const digits = e === "u" ? 4 : 2;
        const code = Number.parseInt(body.slice(i, i + digits), 16);
        i += digits;
        if (Number.isNaN(code) || wordCode(code) !== 0) allNonWord = false;
        continue;
      }
      if (/[A-Za-z0-9]/.test(e)) return "any";
      if (wordCode(e.charCodeAt(0)) !== 0) allNonWord = false;
      continue;
    }
    if (body[i + 1] === "-" && i + 2 < body.length) return "any"; // a range
    if (wordCode(ch.charCodeAt(0)) !== 0) allNonWord = false;
    i += 1;
  }
  return allNonWord ? "nonword" : "any";
}

// ---------------------------------------------------------------------------------------------
// The analysis: the ways a node can match, each with the words it needs.

/** Ways past this many are merged (one way needing one of their words each): the gate gets looser. */
const MAX_WAYS = 48;

interface Analysis {
  /** The ways the node can match, each with the words such a match contains (never empty). */
  ways: Word[][];
  /** The beginnings of the word the node's match starts with, when its first character is a word's first. */
  lead: Word | null;
  /** Whether the node's match always ends with a non-word character (or is empty after one). */
  endsNonWord: boolean;
  /** Whether the node always consumes at least one character. */
  consumes: boolean;
  /** For a literal word character: its code, to read a literal run. */
  run: number | null;
}

const NO_WORDS: Word[][] = [[]];

/**
 * `before`: whether the character before the node is certainly not a word character (or there is
 * none, or a `\b` stands right before it), so a word character it starts with begins a word.
 */
function analyse(node: Node, before: boolean): Analysis {
  switch (node.kind) {
    case "zero":
      return { ways: NO_WORDS, lead: null, endsNonWord: before, consumes: false, run: null };
    case "boundary":
      return { ways: NO_WORDS, lead: null, endsNonWord: true, consumes: false, run: null };
    case "char":
      return {
        ways: NO_WORDS,
        lead: null,
        endsNonWord: node.char === "nonword",
        consumes: true,
        run: node.char === "word" && node.code !== 0 ? node.code : null,
      };
    case "repeat": {
      const body = analyse(node.body, before);
      if (node.min === 0)
        return {
          ways: NO_WORDS,
          lead: null,
          endsNonWord: before && body.endsNonWord,
          consumes: false,
          run: null,
        };
      return { ...body, run: null };
    }
    case "group":
      return analyse(node.body, before);
    case "alt": {
      const parts = node.alternatives.map((alternative) => analyse(alternative, before));
      const leads = parts.map((part) => part.lead);
      return {
        ways: capped(parts.flatMap((part) => part.ways)),
        lead: leads.every((lead) => lead !== null) ? [...new Set(leads.flat() as number[])] : null,
        endsNonWord: parts.every((part) => part.endsNonWord),
        consumes: parts.every((part) => part.consumes),
        run: null,
      };
    }
    case "seq":
      return analyseSequence(node.items, before);
  }
}

function analyseSequence(items: readonly Node[], startBefore: boolean): Analysis {
  let ways: Word[][] = NO_WORDS;
  let lead: Word | null = null;
  // Until the first character is certainly consumed, whether the match's start is still known.
  let leadKnown = true;
  let before = startBefore;
  let consumedYet = false;
  for (let k = 0; k < items.length; k += 1) {
    const item = items[k] as Node;
    const part = analyse(item, before);
    let itemLead = part.lead;
    // A run of literal word characters starting a word: its first (up to three) characters.
    if (part.run !== null && before) {
      const codes = [part.run];
      for (let j = k + 1; codes.length < 3 && j < items.length; j += 1) {
        const next = items[j] as Node;
        if (next.kind !== "char" || next.char !== "word" || next.code === 0) break;
        codes.push(next.code);
      }
      itemLead = [beginningKey(codes)];
    }
    const needed = itemLead !== null && before && part.consumes ? [itemLead] : [];
    ways = product(ways, part.ways, needed);
    if (!consumedYet) {
      if (part.consumes) lead = leadKnown && before ? itemLead : null;
      // Something optional first (`(?:the\s)?word`): the match may start with it, or not.
      else if (item.kind !== "boundary" && item.kind !== "zero") leadKnown = false;
    }
    if (part.consumes) consumedYet = true;
    before = part.endsNonWord;
  }
  return { ways, lead, endsNonWord: before, consumes: consumedYet, run: null };
}

/** Each way of `left` followed by each way of `right`, with `needed` words added to all. */
function product(left: Word[][], right: Word[][], needed: Word[]): Word[][] {
  if (left.length * right.length > MAX_WAYS) return product(left, merged(right), needed);
  const ways: Word[][] = [];
  for (const a of left) for (const b of right) ways.push([...a, ...b, ...needed]);
  return ways.length > MAX_WAYS ? merged(ways) : ways;
}

function capped(ways: Word[][]): Word[][] {
  return ways.length > MAX_WAYS ? merged(ways) : ways;
}

/**
 * One way for many: a match takes one of them, so it contains one of their words; the union of one
 * selective word from each is a word every match contains. Nothing, when some way needs no word.
 */
function merged(ways: readonly Word[][]): Word[][] {
  if (ways.some((way) => way.length === 0)) return NO_WORDS;
  return [[[...new Set(ways.flatMap((way) => selective(way)))]]];
}

/** A word's cost as a filter: short beginnings are in almost every text. */
function looseness(word: Word): number {
  let cost = 0;
  for (const key of word) cost += key < OFFSET_2 ? 100 : key < OFFSET_3 ? 10 : 1;
  return cost;
}

function selective(words: readonly Word[]): Word {
  let best = words[0] as Word;
  for (const word of words) if (looseness(word) < looseness(best)) best = word;
  return best;
}
