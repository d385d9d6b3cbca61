/**
 * Near-duplicate outputs with MinHash and LSH banding.
 *
 * An output is normalized (NFKC, lower case, runs of anything but letters and digits become one
 * space) and cut into overlapping 5-character shingles. Its signature keeps, for each of 32 hash
 * permutations, the smallest hash of any shingle; two signatures agree at a position with
 * probability equal to the Jaccard similarity of the shingle sets, so the share of equal positions
 * estimates it. Character shingles suit short answers: "every 4 hours" → "every 6 hours" changes 5 of
 * ~80 shingles of a typical sentence, while a word-level change would move a SimHash by many bits.
 *
 * The 32 values form 8 bands of 4. Two outputs are candidates when a whole band is equal: likely at
 * high similarity (0.8 → 98.5%, 0.7 → 89%, 0.5 → 40%), rare at low. Each band key is one row in
 * `trace_similarity_buckets` (written by triggers from `traces.minhash`), so finding siblings is a
 * few index seeks whatever the size of the organization, and unrelated traces almost never share a
 * bucket (keys are 128 bits).
 */

export const MINHASH_SIZE = 32;
export const LSH_BANDS = 8;
const HEX_PER_VALUE = 8;
/** Hex characters per band; migrations/0003_search.sql cuts `minhash` at the same width. */
export const BAND_HEX = (MINHASH_SIZE / LSH_BANDS) * HEX_PER_VALUE;
const SHINGLE_CHARS = 5;

/** murmur3's 32-bit finalizer: a bijection that spreads every input bit over the output. */
function mix32(value: number): number {
  let x = value;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** XOR with a seed, then mix: a different permutation of the 32-bit space per seed. */
const SEEDS = Array.from({ length: MINHASH_SIZE }, (_, i) => mix32(Math.imul(0x9e3779b9, i + 1)));

function fnv1a32(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function normalizeForSimilarity(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The MinHash signature of a text as 256 hex characters, or null when it has no letters or digits. */
export function minhashSignature(text: string): string | null {
  const normalized = normalizeForSimilarity(text);
  if (normalized.length === 0) return null;
  const shingles = new Set<number>();
  const last = Math.max(0, normalized.length - SHINGLE_CHARS);
  for (let i = 0; i <= last; i++) {
    shingles.add(fnv1a32(normalized, i, Math.min(normalized.length, i + SHINGLE_CHARS)));
  }
  const minimums = new Array<number>(MINHASH_SIZE).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let k = 0; k < MINHASH_SIZE; k++) {
      const value = mix32(shingle ^ (SEEDS[k] ?? 0));
      if (value < (minimums[k] ?? 0)) minimums[k] = value;
    }
  }
  return minimums.map((value) => value.toString(16).padStart(HEX_PER_VALUE, "0")).join("");
}

/** The LSH bucket of each band: `<band>:<its 4 values in hex>`. */
export function lshBuckets(signature: string): string[] {
  return Array.from(
    { length: LSH_BANDS },
    (_, band) => `${band}:${signature.slice(band * BAND_HEX, (band + 1) * BAND_HEX)}`,
  );
}

/** A stored signature's 32 values, parsed once so that comparing two is 32 integer comparisons. */
export function signatureValues(signature: string): Uint32Array {
  const values = new Uint32Array(MINHASH_SIZE);
  for (let k = 0; k < MINHASH_SIZE; k++) {
    values[k] = Number.parseInt(signature.slice(k * HEX_PER_VALUE, (k + 1) * HEX_PER_VALUE), 16);
  }
  return values;
}

/** Estimated Jaccard similarity of the shingle sets: the share of positions where the signatures agree. */
export function estimatedSimilarity(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let k = 0; k < MINHASH_SIZE; k++) if (a[k] === b[k]) equal++;
  return equal / MINHASH_SIZE;
}
