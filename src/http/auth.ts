import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Database } from "../db/client";
import { findKeysByPrefix, touchApiKey } from "../db/organizations";
import { rateLimitFailureMode, requireSecrets } from "../env";
import { API_KEY_PREFIX_LENGTH, looksLikeApiKey } from "../lib/api-keys";
import { sha256Hex, timingSafeEqual } from "../lib/crypto";
import { operatorLockout, recordOperatorFailure } from "../live/limits";
import type { ApiKeyScope } from "../schema/organization";
import type { AppEnv } from "./context";
import {
  type AuthenticatedKey,
  cachedCredential,
  credentialGeneration,
  rememberCredential,
} from "./credential-cache";
import { logger } from "./logging";
import { ApiError } from "./problem";
import { chargeRateLimit } from "./rate-limit";

const unauthorized = (detail: string) =>
  new ApiError(401, "unauthorized", "Unauthorized", detail, undefined, {
    "WWW-Authenticate": 'Bearer realm="aegis"',
  });

/** `last_used_at` is refreshed at most this often, so reads do not turn into a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export function presentedCredential(headers: Headers): string | undefined {
  const authorization = headers.get("Authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  return headers.get("X-API-Key")?.trim() || undefined;
}

/**
 * Authenticates an organization's API key, checks it carries `scope` (or `admin`), and charges the
 * request to the organization's rate limits. An ingestion route passes `deferRateLimit` and calls
 * chargeRateLimit itself once it knows how many traces the request carries, so the charge stays a
 * single round trip; a request it rejects before that is still charged here, afterwards.
 */
export function requireApiKey(scope: ApiKeyScope, options: { deferRateLimit?: boolean } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const presented = presentedCredential(c.req.raw.headers);
    if (!presented)
      throw unauthorized("Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
    if (!looksLikeApiKey(presented)) throw unauthorized("The API key is not valid");
    const hash = await sha256Hex(presented);
    const now = Date.now();
    const match = cachedCredential(hash, now) ?? (await lookUpKey(c.var.db, presented, hash, now));
    if (!match) throw unauthorized("The API key is not valid");
    if (match.key.revokedAt !== null) throw unauthorized("The API key has been revoked");
    if (match.key.expiresAt !== null && match.key.expiresAt <= now)
      throw unauthorized("The API key has expired");
    const scopes = match.key.scopes as ApiKeyScope[];
    if (!scopes.includes(scope) && !scopes.includes("admin")) {
      throw new ApiError(403, "forbidden", "Forbidden", `This API key lacks the '${scope}' scope`);
    }
    if (match.key.lastUsedAt === null || now - match.key.lastUsedAt > TOUCH_INTERVAL_MS) {
      match.key.lastUsedAt = now;
      c.executionCtx.waitUntil(touchApiKey(c.var.db, match.key.id, now).catch(() => undefined));
    }
    c.set("caller", {
      orgId: match.organization.id,
      keyId: match.key.id,
      scopes,
      organization: match.organization,
      keyRateLimitPerMinute: match.key.rateLimitPerMinute,
      actor: `key:${match.key.id}`,
    });
    if (!options.deferRateLimit) await chargeRateLimit(c, 0);
    await next();
    if (!c.var.rateLimit) await chargeRateLimit(c, 0);
    if (c.res.status < 400) {
      for (const [name, value] of Object.entries(c.var.rateLimit?.headers ?? {}))
        c.res.headers.set(name, value);
    }
  });
}

async function lookUpKey(
  db: Database,
  presented: string,
  hash: string,
  now: number,
): Promise<AuthenticatedKey | undefined> {
  const readAt = credentialGeneration();
  const candidates = await findKeysByPrefix(db, presented.slice(0, API_KEY_PREFIX_LENGTH));
  const match = candidates.find((row) => timingSafeEqual(row.key.keyHash, hash));
  if (match) rememberCredential(hash, match, now, readAt);
  return match;
}

/** The client's address as Cloudflare reports it; locally every client shares one. */
const clientAddress = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? "local";

/**
 * Runs a call to the operator-token guard; when the limiter cannot be reached, the request goes on
 * (failing open, logged) or is refused with 503 (failing closed), as RATE_LIMIT_FAILURE_MODE says.
 */
async function guarded<T>(c: Context<AppEnv>, call: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const mode = rateLimitFailureMode(c.env);
    logger(c)({
      level: "warn",
      msg: `operator-token guard unreachable; failing ${mode}`,
      error: String(error),
    });
    if (mode === "open") return fallback;
    throw new ApiError(503, "rate-limiter-unavailable", "Service unavailable", "Retry shortly", undefined, {
      "Retry-After": "1",
    });
  }
}

/**
 * The operator's bootstrap token (ADMIN_TOKEN), for creating organizations. Compared as SHA-256
 * digests in constant time, so neither its content nor its length shows in the timing; a client
 * address that fails OPERATOR_FAILURES_PER_MINUTE times within a minute waits (429) before it may
 * try again.
 */
export const requireAdminToken = createMiddleware<AppEnv>(async (c, next) => {
  const { ADMIN_TOKEN } = requireSecrets(c.env, ["ADMIN_TOKEN"]);
  const address = clientAddress(c);
  const wait = await guarded(c, () => operatorLockout(c.env.RATE_LIMITER, address), 0);
  if (wait > 0) {
    throw new ApiError(
      429,
      "rate-limited",
      "Too many requests",
      `Too many failed operator-token attempts from this address; retry in ${wait} s`,
      undefined,
      { "Retry-After": String(wait) },
    );
  }
  const presented = presentedCredential(c.req.raw.headers);
  const valid =
    presented !== undefined && timingSafeEqual(await sha256Hex(presented), await sha256Hex(ADMIN_TOKEN));
  if (!valid) {
    await guarded(c, () => recordOperatorFailure(c.env.RATE_LIMITER, address), undefined);
    throw unauthorized(
      presented === undefined
        ? "Send the operator token as 'Authorization: Bearer <ADMIN_TOKEN>'"
        : "The operator token is not valid",
    );
  }
  await next();
});
