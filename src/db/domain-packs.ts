import { and, desc, eq, inArray } from "drizzle-orm";
import { type CompiledPack, loadDomainPack } from "../eval";
import { withAuditChain } from "./audit";
import { chunk, D1_MAX_PARAMS, type Database, runBatch } from "./client";
import { type DomainPackRow, domainPacks } from "./schema";

/** Compiled packs by content hash: compiling regexes once per isolate, not once per trace. */
const compiled = new Map<string, CompiledPack>();

export function compilePackRow(row: DomainPackRow): CompiledPack {
  let pack = compiled.get(row.contentHash);
  if (!pack) {
    const loaded = loadDomainPack(row.definition);
    // Stored packs were validated on upload; a failure here means the engine's schema changed.
    if (!loaded.ok)
      throw new Error(
        `stored pack ${row.name} v${row.version} no longer loads: ${loaded.errors[0]?.message}`,
      );
    pack = loaded.pack;
    compiled.set(row.contentHash, pack);
  }
  return pack;
}

/** The newest revision of each custom pack of these organizations, by organization and name. */
export async function latestPackRows(
  db: Database,
  orgIds: readonly string[],
): Promise<Map<string, Map<string, DomainPackRow>>> {
  const byOrg = new Map<string, Map<string, DomainPackRow>>();
  for (const ids of chunk(orgIds, D1_MAX_PARAMS)) {
    const rows = await db
      .select()
      .from(domainPacks)
      .where(inArray(domainPacks.orgId, ids))
      .orderBy(desc(domainPacks.version));
    for (const row of rows) {
      const packs = byOrg.get(row.orgId) ?? new Map<string, DomainPackRow>();
      if (!packs.has(row.name)) packs.set(row.name, row);
      byOrg.set(row.orgId, packs);
    }
  }
  return byOrg;
}

export async function packVersions(db: Database, orgId: string, name: string): Promise<DomainPackRow[]> {
  return db
    .select()
    .from(domainPacks)
    .where(and(eq(domainPacks.orgId, orgId), eq(domainPacks.name, name)))
    .orderBy(desc(domainPacks.version));
}

/** Stores a validated pack as the next revision of its name for this organization. */
export async function storePackRevision(
  db: Database,
  orgId: string,
  pack: CompiledPack,
  actor: string,
): Promise<DomainPackRow> {
  return withAuditChain(
    db,
    orgId,
    async (chain) => {
      const [latest] = await db
        .select({ version: domainPacks.version })
        .from(domainPacks)
        .where(and(eq(domainPacks.orgId, orgId), eq(domainPacks.name, pack.name)))
        .orderBy(desc(domainPacks.version))
        .limit(1);
      const now = Date.now();
      const row: DomainPackRow = {
        orgId,
        name: pack.name,
        version: (latest?.version ?? 0) + 1,
        packVersion: pack.version,
        definition: pack.definition,
        contentHash: pack.contentHash,
        createdBy: actor,
        createdAt: now,
      };
      const audit = await chain.statements(
        orgId,
        [
          {
            actor,
            action: "domain_pack.created",
            target: `${pack.name}@${row.version}`,
            payload: {
              name: pack.name,
              revision: row.version,
              version: pack.version,
              content_hash: pack.contentHash,
            },
          },
        ],
        now,
      );
      await runBatch(db, [db.insert(domainPacks).values(row), ...audit]);
      return row;
    },
    { alsoRetryOnTable: "domain_packs" },
  );
}
