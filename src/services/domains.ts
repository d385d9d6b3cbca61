import type { Database } from "../db/client";
import { compilePackRow, latestPackRows, packVersions } from "../db/domain-packs";
import type { DomainPackRow } from "../db/schema";
import { builtinPacks, type CompiledPack } from "../eval";

export type PackSource = "builtin" | "custom";

export interface ResolvedPack {
  pack: CompiledPack;
  source: PackSource;
  /** The organization's revisions of this name, newest first (empty for a built-in). */
  revisions: DomainPackRow[];
}

export function packSummary(pack: CompiledPack, source: PackSource, revision: number | null) {
  const { definition } = pack;
  return {
    name: pack.name,
    version: pack.version,
    revision,
    source,
    display_name: definition.display_name,
    description: definition.description,
    risk_level: definition.risk_level,
    regulatory_frameworks: definition.regulatory_frameworks,
    rules: definition.rules.length,
    content_hash: pack.contentHash,
  };
}

/** Built-in packs and the organization's own; a custom pack of a built-in's name replaces it. */
export async function listPacks(db: Database, orgId: string) {
  const custom = (await latestPackRows(db, [orgId])).get(orgId) ?? new Map<string, DomainPackRow>();
  const names = [...new Set([...builtinPacks.keys(), ...custom.keys()])].sort();
  return names.flatMap((name) => {
    const own = custom.get(name);
    if (own) return [packSummary(compilePackRow(own), "custom", own.version)];
    const builtin = builtinPacks.get(name);
    return builtin ? [packSummary(builtin, "builtin", null)] : [];
  });
}

/** The pack an organization's traces of this domain are judged by, or undefined. */
export async function resolvePack(
  db: Database,
  orgId: string,
  name: string,
): Promise<ResolvedPack | undefined> {
  const revisions = await packVersions(db, orgId, name);
  const [latest] = revisions;
  if (latest) return { pack: compilePackRow(latest), source: "custom", revisions };
  const builtin = builtinPacks.get(name);
  return builtin ? { pack: builtin, source: "builtin", revisions: [] } : undefined;
}
