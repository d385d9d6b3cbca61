import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Database } from "../db/client";
import { findKeysByPrefix, touchApiKey } from "../db/organizations";
import { rateLimitFailureMode, requireSecrets } from "../env";
import { API_KEY_PREFIX_LENGTH, looksLikeApiKey } from "../lib/api-keys";
import { sha256Hex, timingSafeEqual } from "../lib/crypto";
import { releaseOperatorAttempt, reserveOperatorAttempt } from "../live/limits";
import type { AuthAttempt } from "../live/rate-limiter";
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

/** The eight 16-bit groups of an IPv6 address in text form (a dotted IPv4 tail allowed), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((n) => n > 255)) return undefined;
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

/**
 * Who the operator-token guard counts attempts against: the client's address as Cloudflare reports
 * it (locally every client shares one), an IPv6 address by its /64, which is what one subscriber
 * or host is given (counting each of its 2^64 addresses apart would count nothing), and an
 * IPv4-mapped IPv6 address as its IPv4 address.
 */
export function attemptSource(address: string | undefined): string {
  if (address === undefined || !address.includes(":")) return address ?? "local";
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  const [a, b, c, d, e, f, g, h] = groups as [number, number, number, number, number, number, number, number];
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff)
    return [g >> 8, g & 0xff, h >> 8, h & 0xff].join(".");
  return `${[a, b, c, d].map((group) => group.toString(16)).join(":")}::/64`;
}

const clientAddress = (c: Context<AppEnv>) => attemptSource(c.req.header("CF-Connecting-IP"));

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
 * address (an IPv6 one by its /64) that fails OPERATOR_FAILURES_PER_MINUTE times within a minute
 * waits (429) before it may try again. Each attempt is reserved with the guard before the token is
 * compared, and given back when it was right, so concurrent guesses are counted too.
 */
export const requireAdminToken = createMiddleware<AppEnv>(async (c, next) => {
  const { ADMIN_TOKEN } = requireSecrets(c.env, ["ADMIN_TOKEN"]);
  const address = clientAddress(c);
  const attempt = await guarded<AuthAttempt | undefined>(
    c,
    () => reserveOperatorAttempt(c.env.RATE_LIMITER, address),
    undefined,
  );
  if (attempt !== undefined && attempt.reserved === null) {
    const wait = attempt.retryAfterSeconds;
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
  const reserved = attempt?.reserved;
  if (valid && reserved !== undefined && reserved !== null) {
    // Awaited, so the operator's next request finds it released. One that fails leaves one attempt
    // counted against the operator's own address: logged.
    await releaseOperatorAttempt(c.env.RATE_LIMITER, address, reserved).catch((error: unknown) =>
      logger(c)({ level: "warn", msg: "releasing an operator-token attempt failed", error: String(error) }),
    );
  }
  if (!valid) {
    throw unauthorized(
      presented === undefined
        ? "Send the operator token as 'Authorization: Bearer <ADMIN_TOKEN>'"
        : "The operator token is not valid",
    );
  }
  await next();
});
