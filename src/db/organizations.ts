import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { newId } from "../lib/ids";
import type { OrganizationLimits, OrganizationSettings, Plan } from "../schema/organization";
import { withAuditChain } from "./audit";
import { chunk, D1_MAX_PARAMS, type Database, runBatch } from "./client";
import { type ApiKeyRow, apiKeys, type OrganizationRow, organizations } from "./schema";

export interface NewApiKey {
  name: string;
  scopes: string[];
  prefix: string;
  keyHash: string;
  expiresAt: number | null;
  rateLimitPerMinute: number | null;
}

export function apiKeyView(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    created_at: iso(row.createdAt),
    last_used_at: iso(row.lastUsedAt),
    expires_at: iso(row.expiresAt),
    revoked_at: iso(row.revokedAt),
    rate_limit_per_minute: row.rateLimitPerMinute,
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Creates an organization with its first key; both and their audit events land in one batch. */
export async function createOrganization(
  db: Database,
  input: { name: string; plan: Plan; settings: OrganizationSettings; limits: OrganizationLimits | null },
  firstKey: NewApiKey,
  actor: string,
): Promise<{ organization: OrganizationRow; apiKey: ApiKeyRow }> {
  const now = Date.now();
  const organization: OrganizationRow = { id: newId("org", now), ...input, createdAt: now };
  const apiKey = keyRow(organization.id, firstKey, now);
  await withAuditChain(db, organization.id, async (chain) => {
    const audit = await chain.statements(
      organization.id,
      [
        { actor, action: "organization.created", target: organization.id, payload: { ...input } },
        { actor, action: "api_key.created", target: apiKey.id, payload: auditKeyPayload(apiKey) },
      ],
      now,
    );
    await runBatch(db, [
      db.insert(organizations).values(organization),
      db.insert(apiKeys).values(apiKey),
      ...audit,
    ]);
  });
  return { organization, apiKey };
}

function keyRow(orgId: string, key: NewApiKey, now: number): ApiKeyRow {
  return {
    id: newId("key", now),
    orgId,
    name: key.name,
    prefix: key.prefix,
    keyHash: key.keyHash,
    scopes: key.scopes,
    createdAt: now,
    lastUsedAt: null,
    expiresAt: key.expiresAt,
    revokedAt: null,
    rateLimitPerMinute: key.rateLimitPerMinute,
  };
}

/** What the audit trail records of a key: never its hash. */
function auditKeyPayload(key: ApiKeyRow) {
  return {
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    expires_at: key.expiresAt,
    rate_limit_per_minute: key.rateLimitPerMinute ?? undefined,
  };
}

/**
 * Applies a change to some settings, merged with the stored ones as read inside the chain's turn, so
 * two concurrent changes to different settings both survive. Answers the organization as updated.
 */
export async function updateOrganizationSettings(
  db: Database,
  orgId: string,
  changes: Partial<OrganizationSettings>,
  actor: string,
): Promise<OrganizationRow> {
  return withAuditChain(db, orgId, async (chain) => {
    const current = await db.query.organizations.findFirst({ where: eq(organizations.id, orgId) });
    if (!current) throw new Error(`organization ${orgId} vanished`);
    const settings: OrganizationSettings = { ...current.settings, ...changes };
    const audit = await chain.statements(orgId, [
      { actor, action: "organization.settings_updated", target: orgId, payload: { changes, settings } },
    ]);
    await runBatch(db, [
      db.update(organizations).set({ settings }).where(eq(organizations.id, orgId)),
      ...audit,
    ]);
    return { ...current, settings };
  });
}

export async function createApiKey(
  db: Database,
  orgId: string,
  key: NewApiKey,
  actor: string,
): Promise<ApiKeyRow> {
  return withAuditChain(db, orgId, async (chain) => {
    const now = Date.now();
    const row = keyRow(orgId, key, now);
    const audit = await chain.statements(
      orgId,
      [{ actor, action: "api_key.created", target: row.id, payload: auditKeyPayload(row) }],
      now,
    );
    await runBatch(db, [db.insert(apiKeys).values(row), ...audit]);
    return row;
  });
}

export async function organizationExists(db: Database, orgId: string): Promise<boolean> {
  const row = await db.query.organizations.findFirst({
    columns: { id: true },
    where: eq(organizations.id, orgId),
  });
  return row !== undefined;
}

export async function listApiKeys(db: Database, orgId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(desc(apiKeys.createdAt));
}

/** Revokes a key of this organization; answers undefined for a key it does not own. */
export async function revokeApiKey(
  db: Database,
  orgId: string,
  keyId: string,
  actor: string,
): Promise<ApiKeyRow | undefined> {
  return withAuditChain(db, orgId, async (chain) => {
    const key = await db.query.apiKeys.findFirst({
      where: and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId)),
    });
    if (!key || key.revokedAt !== null) return key;
    const now = Date.now();
    const audit = await chain.statements(
      orgId,
      [{ actor, action: "api_key.revoked", target: key.id, payload: auditKeyPayload(key) }],
      now,
    );
    await runBatch(db, [
      db
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt))),
      ...audit,
    ]);
    return { ...key, revokedAt: now };
  });
}

/** Whether the organization's key may still be used: it exists, is not revoked and has not expired. */
export async function isKeyActive(db: Database, orgId: string, keyId: string, now: number): Promise<boolean> {
  const key = await db.query.apiKeys.findFirst({
    columns: { revokedAt: true, expiresAt: true },
    where: and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId)),
  });
  return key !== undefined && key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now);
}

export async function organizationsByIds(db: Database, ids: readonly string[]): Promise<OrganizationRow[]> {
  const rows: OrganizationRow[] = [];
  for (const part of chunk(ids, D1_MAX_PARAMS)) {
    rows.push(...(await db.select().from(organizations).where(inArray(organizations.id, part))));
  }
  return rows;
}

/** Candidate keys for a presented secret, with their organization, found by the public prefix. */
export async function findKeysByPrefix(db: Database, prefix: string) {
  return db
    .select({ key: apiKeys, organization: organizations })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
    .where(eq(apiKeys.prefix, prefix));
}

export async function touchApiKey(db: Database, keyId: string, now: number): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, keyId));
}

/** Every organization with its keys' public parts, for the operator. */
export async function listOrganizationsWithKeys(db: Database) {
  const [orgs, keys] = await db.batch([
    db.select().from(organizations).orderBy(desc(organizations.createdAt)),
    db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt)),
  ]);
  return orgs.map((organization) => ({
    organization,
    keys: keys.filter((key) => key.orgId === organization.id),
  }));
}
