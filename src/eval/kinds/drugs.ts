import { engineRegExp, phraseSource } from "../regex-tools";

/** Drug names and aliases compiled into one case-insensitive scan. */
export interface DrugLexicon {
  /** Case-sensitive scan over lower-cased text (much faster than a case-insensitive alternation). */
  lowerNames: RegExp;
  /** Fallback for texts whose lower-case form changes length (offsets would shift). */
  names: RegExp;
  /** Normalised spelling (lower case, single spaces) to canonical drug name. */
  canonical: ReadonlyMap<string, string>;
}

export interface DrugMention {
  drug: string;
  start: number;
  end: number;
}

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * One alternation of the spellings, longest first so "isosorbide mononitrate" wins over a shorter
 * name at the same position, grouped by first character (`\b(?:a(?:cetaminophen\b|spirin\b)|i(?:…))`):
 * several times faster, same matches, because spellings with different first characters never match
 * at the same position and each group keeps the longest-first order. A spelling that does not start
 * with a word character ("5-htp" does; "(s)-ketamine" would not) is tried on its own after the groups.
 */
function lexiconSource(spellings: readonly string[]): string {
  if (spellings.length === 0) return "(?!)";
  const groups = new Map<string, string[]>();
  const others: string[] = [];
  for (const spelling of spellings) {
    const first = spelling.charAt(0);
    if (!/^[a-z0-9]$/.test(first)) {
      others.push(phraseSource(spelling));
      continue;
    }
    // phraseSource of the whole spelling, without its leading word boundary (written once, in front).
    const rest = phraseSource(spelling).replace(/^\\b/, "").slice(1);
    const group = groups.get(first);
    if (group === undefined) groups.set(first, [rest]);
    else group.push(rest);
  }
  const grouped = `\\b(?:${[...groups].map(([first, rests]) => `${first}(?:${rests.join("|")})`).join("|")})`;
  return [grouped, ...others].join("|");
}

/** Aliases of drugs outside `drugs` are left out, so one alias table can serve several rules. */
export function buildLexicon(
  drugs: Iterable<string>,
  aliases: Readonly<Record<string, string>>,
): DrugLexicon {
  const canonical = new Map<string, string>();
  for (const drug of drugs) canonical.set(normaliseName(drug), drug);
  const known = new Set(canonical.values());
  for (const [alias, drug] of Object.entries(aliases))
    if (known.has(drug)) canonical.set(normaliseName(alias), drug);
  // Stable sort: spellings of equal length keep their table order.
  const source = lexiconSource([...canonical.keys()].sort((a, b) => b.length - a.length));
  return { lowerNames: engineRegExp(source, "g"), names: engineRegExp(source, "gi"), canonical };
}

/** `lower`: the text in lower case, when the caller already has it. */
export function findDrugMentions(
  text: string,
  lexicon: DrugLexicon,
  lower = text.toLowerCase(),
): DrugMention[] {
  const mentions: DrugMention[] = [];
  const sameOffsets = lower.length === text.length;
  const names = sameOffsets ? lexicon.lowerNames : lexicon.names;
  const scanned = sameOffsets ? lower : text;
  names.lastIndex = 0;
  for (let m = names.exec(scanned); m !== null; m = names.exec(scanned)) {
    // Keys are normalised, so a match already spelled as a key needs no normalising (the usual case).
    const drug = lexicon.canonical.get(m[0]) ?? lexicon.canonical.get(normaliseName(m[0]));
    if (drug !== undefined) mentions.push({ drug, start: m.index, end: m.index + m[0].length });
  }
  return mentions;
}
