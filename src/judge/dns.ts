import { z } from "zod";
import type { AddressPolicy, HostResolver } from "./address";
import type { FetchFn } from "./http";

/** DNS record types asked for: A and AAAA. */
const RECORD_TYPES = [1, 28] as const;
/** Answers are kept at most this long (and at least MIN_CACHE_S), whatever their TTL. */
const MAX_CACHE_S = 300;
const MIN_CACHE_S = 30;
const RESOLVE_TIMEOUT_MS = 3_000;
/** DNS response codes: NOERROR, and NXDOMAIN (a name that does not exist: no addresses). */
const NOERROR = 0;
const NXDOMAIN = 3;

/** The JSON form of DNS over HTTPS (application/dns-json), as Cloudflare's and Google's resolvers answer. */
const dnsJsonSchema = z.object({
  Status: z.number().int(),
  Answer: z
    .array(z.object({ type: z.number().int(), TTL: z.number().optional(), data: z.string() }))
    .optional(),
});

const cache = new Map<string, { addresses: string[]; until: number }>();

/**
 * Resolves host names with a DNS-over-HTTPS resolver's JSON API (DNS_RESOLVER_URL, for example
 * https://cloudflare-dns.com/dns-query): Workers have no resolver of their own. Answers are cached
 * per isolate for their TTL, within [MIN_CACHE_S, MAX_CACHE_S].
 */
export function dohResolver(resolverUrl: string, fetch: FetchFn, now: () => number = Date.now): HostResolver {
  return async (host) => {
    const cached = cache.get(host);
    if (cached && cached.until > now()) return cached.addresses;
    let ttl = MAX_CACHE_S;
    const answers = await Promise.all(
      RECORD_TYPES.map(async (type) => {
        const url = new URL(resolverUrl);
        url.searchParams.set("name", host);
        url.searchParams.set("type", String(type));
        const response = await fetch(url.toString(), {
          headers: { Accept: "application/dns-json" },
          signal: AbortSignal.timeout(RESOLVE_TIMEOUT_MS),
        });
        if (!response.ok) throw new Error(`the DNS resolver answered ${response.status}`);
        const body = dnsJsonSchema.parse(await response.json());
        if (body.Status !== NOERROR && body.Status !== NXDOMAIN)
          throw new Error(`the DNS resolver answered with response code ${body.Status}`);
        const records = (body.Answer ?? []).filter((answer) => answer.type === type);
        for (const record of records) ttl = Math.min(ttl, record.TTL ?? MAX_CACHE_S);
        return records.map((record) => record.data);
      }),
    );
    const addresses = answers.flat();
    cache.set(host, { addresses, until: now() + Math.max(MIN_CACHE_S, ttl) * 1000 });
    return addresses;
  };
}

/** The deployment's rule for organization-supplied judge URLs (see src/judge/address.ts). */
export function judgeAddressPolicy(
  env: { JUDGE_ALLOW_PRIVATE_BASE_URLS?: string; DNS_RESOLVER_URL?: string },
  fetch: FetchFn,
): AddressPolicy {
  return {
    allowPrivate: env.JUDGE_ALLOW_PRIVATE_BASE_URLS === "true",
    resolve: env.DNS_RESOLVER_URL ? dohResolver(env.DNS_RESOLVER_URL, fetch) : undefined,
  };
}
