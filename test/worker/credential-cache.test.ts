import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ApiKeyRow, OrganizationRow } from "../../src/db/schema";
import {
  type AuthenticatedKey,
  CREDENTIAL_TTL_MS,
  cachedCredential,
  credentialGeneration,
  forgetCredentials,
  rememberCredential,
} from "../../src/http/credential-cache";
import { sha256Hex } from "../../src/lib/crypto";
import { call, createKey, createOrg, expectProblem } from "./helpers";

/** Organization ids of the unit tests' entries, which never match a real organization. */
const UNIT_ORG = "org_unit_";

function credential(orgSuffix: string, keyId: string): AuthenticatedKey {
  const organization: OrganizationRow = {
    id: `${UNIT_ORG}${orgSuffix}`,
    name: `Unit ${orgSuffix}`,
    plan: "free",
    settings: { phi_redaction: "off", judge: null },
    limits: null,
    createdAt: 0,
  };
  const key: ApiKeyRow = {
    id: keyId,
    orgId: organization.id,
    name: keyId,
    prefix: "aeg_live_xxx",
    keyHash: "0".repeat(64),
    scopes: ["traces:read"],
    createdAt: 0,
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    rateLimitPerMinute: null,
  };
  return { key, organization };
}

/** A cache key no other test uses (the cache is the isolate's, shared by every test). */
const freshHash = () => `unit-${crypto.randomUUID()}`;

const T0 = 1_000_000;

describe("credential cache", () => {
  afterEach(() => {
    forgetCredentials(({ organization }) => organization.id.startsWith(UNIT_ORG));
  });

  it("keeps a credential a few seconds at most, so that other isolates see a revocation soon", () => {
    expect(CREDENTIAL_TTL_MS).toBeGreaterThanOrEqual(1_000);
    expect(CREDENTIAL_TTL_MS).toBeLessThanOrEqual(10_000);
  });

  it.each([
    ["at once", 0, true],
    ["1 ms later", 1, true],
    ["1 ms before the TTL is up", CREDENTIAL_TTL_MS - 1, true],
    ["when the TTL is up", CREDENTIAL_TTL_MS, false],
    ["long after", 6 * CREDENTIAL_TTL_MS, false],
  ])("finds an entry %s: %s", (_label, elapsed, found) => {
    const hash = freshHash();
    const value = credential("ttl", "key_ttl");
    rememberCredential(hash, value, T0);
    expect(cachedCredential(hash, T0 + elapsed)).toBe(found ? value : undefined);
  });

  it("drops an entry once found expired, and counts the TTL from the last time it was remembered", () => {
    const hash = freshHash();
    const value = credential("ttl", "key_ttl");
    const again = T0 + Math.floor(CREDENTIAL_TTL_MS / 2);
    rememberCredential(hash, value, T0);
    rememberCredential(hash, value, again);
    expect(cachedCredential(hash, again + CREDENTIAL_TTL_MS - 1)).toBe(value);
    expect(cachedCredential(hash, again + CREDENTIAL_TTL_MS)).toBeUndefined();
    // Gone, not merely hidden: an earlier clock does not bring it back.
    expect(cachedCredential(hash, T0)).toBeUndefined();
  });

  it.each([
    ["caches what a lookup read when nothing was forgotten meanwhile", false, true],
    ["does not cache what a lookup read before a forget, which it may predate", true, false],
  ])("%s", (_label, forgetMeanwhile, cached) => {
    const hash = freshHash();
    const value = credential("race", "key_race");
    const readAt = credentialGeneration();
    // Any forget counts, even of other keys: the lookup cannot tell what it read.
    if (forgetMeanwhile) forgetCredentials(({ key }) => key.id === "key_other");
    rememberCredential(hash, value, T0, readAt);
    expect(cachedCredential(hash, T0 + 1)).toBe(cached ? value : undefined);
    // A lookup that starts afterwards is cached again.
    rememberCredential(hash, value, T0, credentialGeneration());
    expect(cachedCredential(hash, T0 + 1)).toBe(value);
  });

  /** Empties the cache: 1,000 fillers push out whatever is in it, then they are forgotten. */
  function emptyCache() {
    for (let i = 0; i < 1_000; i++) rememberCredential(freshHash(), credential("filler", `key_${i}`), T0);
    forgetCredentials(({ organization }) => organization.id === `${UNIT_ORG}filler`);
  }

  it("keeps at most 1,000 entries, evicting the one remembered longest ago", () => {
    emptyCache();
    const oldest = freshHash();
    rememberCredential(oldest, credential("evict", "key_oldest"), T0);
    const others = Array.from({ length: 1_000 }, freshHash);
    for (const hash of others.slice(0, 999)) rememberCredential(hash, credential("evict", hash), T0 + 1);
    expect(cachedCredential(oldest, T0 + 2)?.key.id).toBe("key_oldest");

    rememberCredential(others[999] as string, credential("evict", "key_last"), T0 + 1);
    expect(cachedCredential(oldest, T0 + 2)).toBeUndefined();
    for (const hash of others) expect(cachedCredential(hash, T0 + 2)).toBeDefined();
  });

  it("evicts by when an entry was last remembered, not when it was first", () => {
    emptyCache();
    const first = freshHash();
    rememberCredential(first, credential("evict", "key_first"), T0);
    const others = Array.from({ length: 998 }, freshHash);
    for (const hash of others) rememberCredential(hash, credential("evict", hash), T0 + 1);
    // Remembered again (999 entries, none evicted): now the newest, so the 1,001st entry evicts the
    // oldest of the others.
    rememberCredential(first, credential("evict", "key_first"), T0 + 2);
    rememberCredential(freshHash(), credential("evict", "key_new1"), T0 + 2);
    rememberCredential(freshHash(), credential("evict", "key_new2"), T0 + 2);
    expect(cachedCredential(first, T0 + 3)?.key.id).toBe("key_first");
    expect(cachedCredential(others[0] as string, T0 + 3)).toBeUndefined();
    expect(cachedCredential(others[1] as string, T0 + 3)).toBeDefined();
  });

  it.each<[string, (value: AuthenticatedKey) => boolean, string[]]>([
    ["one key", ({ key }) => key.id === "key_a1", ["key_a2", "key_b1"]],
    ["an organization's keys", ({ organization }) => organization.id === `${UNIT_ORG}a`, ["key_b1"]],
    ["nothing that matches nothing", () => false, ["key_a1", "key_a2", "key_b1"]],
  ])("forgets %s, and keeps every other entry", (_label, stale, kept) => {
    const hashes = { key_a1: freshHash(), key_a2: freshHash(), key_b1: freshHash() };
    rememberCredential(hashes.key_a1, credential("a", "key_a1"), T0);
    rememberCredential(hashes.key_a2, credential("a", "key_a2"), T0);
    rememberCredential(hashes.key_b1, credential("b", "key_b1"), T0);
    forgetCredentials(stale);
    const found = Object.entries(hashes)
      .filter(([, hash]) => cachedCredential(hash, T0 + 1) !== undefined)
      .map(([id]) => id);
    expect(found).toEqual(kept);
  });
});

/** What this isolate has cached for a presented key (requests in these tests run in the same isolate). */
async function cachedFor(key: string): Promise<AuthenticatedKey | undefined> {
  return cachedCredential(await sha256Hex(key), Date.now());
}

describe("cached credentials over the API", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("remembers a key by the SHA-256 of its secret once it authenticates", async () => {
    const org = await createOrg();
    expect(await cachedFor(org.key)).toBeUndefined();
    expect((await call("GET", "/api/v1/organization", { key: org.key })).status).toBe(200);
    const cached = await cachedFor(org.key);
    expect(cached?.key.id).toBe(org.keyId);
    expect(cached?.organization.id).toBe(org.orgId);
    // A presented secret that is not a key leaves nothing behind.
    const unknown = `aeg_live_${"B".repeat(32)}`;
    await expectProblem(await call("GET", "/api/v1/organization", { key: unknown }), 401, /not valid/);
    expect(await cachedFor(unknown)).toBeUndefined();
  });

  it("serves a key from the cache: a revocation made elsewhere shows once its entry expires", async () => {
    const org = await createOrg();
    const used = Date.now();
    expect((await call("GET", "/api/v1/organization", { key: org.key })).status).toBe(200);
    // As another isolate would: straight in D1, so this isolate's cache does not hear of it.
    await env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?").bind(used, org.keyId).run();

    vi.setSystemTime(used + CREDENTIAL_TTL_MS - 1);
    expect((await call("GET", "/api/v1/organization", { key: org.key })).status).toBe(200);
    vi.setSystemTime(used + CREDENTIAL_TTL_MS);
    await expectProblem(await call("GET", "/api/v1/organization", { key: org.key }), 401, /revoked/);
  });

  it("refuses a key revoked through the API on the very next request, though it was just used", async () => {
    const org = await createOrg();
    const other = await createKey(org, ["traces:read"]);
    expect((await call("GET", "/api/v1/traces", { key: other.key })).status).toBe(200);
    expect((await cachedFor(other.key))?.key.id).toBe(other.id);

    expect((await call("DELETE", `/api/v1/keys/${other.id}`, { key: org.key })).status).toBe(200);
    expect(await cachedFor(other.key)).toBeUndefined();
    // The revoking key itself stays cached.
    expect((await cachedFor(org.key))?.key.id).toBe(org.keyId);
    await expectProblem(await call("GET", "/api/v1/traces", { key: other.key }), 401, /revoked/);
    expect((await call("GET", "/api/v1/traces", { key: org.key })).status).toBe(200);
  });

  it("shows a settings change on the very next request, to every key of the organization", async () => {
    const org = await createOrg();
    const reader = await createKey(org, ["traces:read"]);
    const elsewhere = await createOrg();
    for (const key of [org.key, reader.key, elsewhere.key]) {
      const response = await call("GET", "/api/v1/organization", { key });
      expect((await response.json<{ settings: { phi_redaction: string } }>()).settings.phi_redaction).toBe(
        "off",
      );
    }

    const patched = await call("PATCH", "/api/v1/organization/settings", {
      key: org.key,
      body: { phi_redaction: "mask" },
    });
    expect(patched.status).toBe(200);
    expect(await cachedFor(org.key)).toBeUndefined();
    expect(await cachedFor(reader.key)).toBeUndefined();
    // Another organization's keys are left alone.
    expect((await cachedFor(elsewhere.key))?.organization.id).toBe(elsewhere.orgId);

    for (const [key, mode] of [
      [reader.key, "mask"],
      [org.key, "mask"],
      [elsewhere.key, "off"],
    ] as const) {
      const response = await call("GET", "/api/v1/organization", { key });
      expect(response.status).toBe(200);
      expect((await response.json<{ settings: { phi_redaction: string } }>()).settings.phi_redaction).toBe(
        mode,
      );
    }
  });
});
