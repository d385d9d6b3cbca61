import type { CompiledPack } from "./compiled";

/** Version of the evaluation code; with the packs' content hash it identifies what produced a result. */
export const ENGINE_VERSION = "1.0.0";

/** JSON with object keys sorted, so equal content always prints (and hashes) the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** 64-bit FNV-1a-style digest as two 32-bit lanes (fast and sync; identifies content, not a security hash). */
export function fnv1a64(text: string): string {
  let low = 0x811c9dc5;
  let high = 0xcbf29ce4;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code ^ (low >>> 24), 0x01000197);
  }
  return (high >>> 0).toString(16).padStart(8, "0") + (low >>> 0).toString(16).padStart(8, "0");
}

/** One digest for a set of packs, independent of their order: changes when any pack's content does. */
export function packsContentHash(packs: ReadonlyMap<string, CompiledPack> | readonly CompiledPack[]): string {
  const list = Array.isArray(packs) ? packs : [...packs.values()];
  const lines = list.map((pack) => `${pack.name}@${pack.version}:${pack.contentHash}`).sort();
  return fnv1a64(`${ENGINE_VERSION}\n${lines.join("\n")}`);
}
