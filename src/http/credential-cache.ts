import type { ApiKeyRow, OrganizationRow } from "../db/schema";

export interface AuthenticatedKey {
  key: ApiKeyRow;
  organization: OrganizationRow;
}

/**
 * Keys this isolate authenticated recently, by the SHA-256 of the presented secret, so that a busy
 * client costs one D1 read per key every few seconds instead of one per request. Revoking a key or
 * changing its organization's settings (PHI redaction among them) drops the entries here at once;
 * other isolates see the change when their entry expires, within CREDENTIAL_TTL_MS.
 */
export const CREDENTIAL_TTL_MS = 5_000;
const MAX_ENTRIES = 1_000;

const entries = new Map<string, { value: AuthenticatedKey; expiresAt: number }>();
/** Counts forgets, so that a lookup that read D1 before one does not cache what it read. */
let generation = 0;

/** Taken before a D1 lookup and handed to rememberCredential after it. */
export function credentialGeneration(): number {
  return generation;
}

export function cachedCredential(secretHash: string, now: number): AuthenticatedKey | undefined {
  const entry = entries.get(secretHash);
  if (!entry) return undefined;
  if (entry.expiresAt > now) return entry.value;
  entries.delete(secretHash);
  return undefined;
}

export function rememberCredential(
  secretHash: string,
  value: AuthenticatedKey,
  now: number,
  readAt: number = generation,
): void {
  if (readAt !== generation) return;
  entries.delete(secretHash);
  // Maps iterate in insertion order: the first entry is the one refreshed longest ago.
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value ?? "");
  entries.set(secretHash, { value, expiresAt: now + CREDENTIAL_TTL_MS });
}

/** Forgets every cached key matching `stale` (a revoked key, or the keys of a changed organization). */
export function forgetCredentials(stale: (value: AuthenticatedKey) => boolean): void {
  generation++;
  for (const [hash, entry] of entries) if (stale(entry.value)) entries.delete(hash);
}
