/**
 * Whether the judge may call an organization-supplied base URL. An organization's admin chooses it,
 * and trace content is posted there, so by default it must name a public host: not loopback,
 * private, link-local (cloud metadata), reserved or unspecified addresses, in any spelling the URL
 * parser lets through (`localhost.`, `[::127.0.0.1]`, `[::ffff:7f00:1]`, 6to4 and NAT64 forms), nor
 * names that only resolve inside a network (`localhost`, `*.internal`, `*.local`, single labels).
 * Host names are then resolved (DNS over HTTPS, `resolve`) and every address they resolve to is
 * checked the same way. A self-hosted deployment whose judge runs on its own network opts in with
 * JUDGE_ALLOW_PRIVATE_BASE_URLS=true.
 */

/** The IPv4 and IPv6 addresses a host name resolves to. */
export type HostResolver = (host: string) => Promise<string[]>;

export interface AddressPolicy {
  allowPrivate: boolean;
  /** Absent: names are checked as written (a deployment without DNS_RESOLVER_URL). */
  resolve?: HostResolver;
}

/**
 * Whether the judge may call this base URL: null when it may, else why not, and whether that may
 * change by itself (`transient`: the resolver could not be asked, so a later try may succeed).
 */
export type AddressCheck = null | { problem: string; transient: boolean };

export async function checkJudgeAddress(baseUrl: string, policy: AddressPolicy): Promise<AddressCheck> {
  if (policy.allowPrivate) return null;
  const refused = (problem: string) => ({ problem, transient: false });
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return refused("is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return refused("must be an http or https URL");
  const host = canonicalHost(url.hostname);
  if (isPrivateHost(host)) return refused(`names a loopback, private or link-local host (${host})`);
  if (isIpLiteral(host) || policy.resolve === undefined) return null;
  let addresses: string[];
  try {
    addresses = await policy.resolve(host);
  } catch (error) {
    return {
      problem: `could not be resolved (${error instanceof Error ? error.message : String(error)})`,
      transient: true,
    };
  }
  if (addresses.length === 0) return refused(`does not resolve to any address (${host})`);
  const internal = addresses.find((address) => isPrivateHost(canonicalHost(address)));
  return internal === undefined ? null : refused(`resolves to a private address (${host} → ${internal})`);
}

/** Why the judge may not call this base URL, or null when it may (when an organization sets it). */
export async function judgeAddressProblem(baseUrl: string, policy: AddressPolicy): Promise<string | null> {
  return (await checkJudgeAddress(baseUrl, policy))?.problem ?? null;
}

/** Lower case, without IPv6 brackets or the trailing dots of a fully qualified name. */
export function canonicalHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.+$/, "");
}

const isIpLiteral = (host: string) => host.includes(":") || ipv4(host) !== undefined;

/** [base, prefix length]: every range that is not a public unicast address. */
const PRIVATE_IPV4: readonly [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10.0.0.0/8
  [0x64400000, 10], // 100.64.0.0/10 (carrier-grade NAT)
  [0x7f000000, 8], // 127.0.0.0/8
  [0xa9fe0000, 16], // 169.254.0.0/16 (link-local, cloud metadata)
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0000000, 24], // 192.0.0.0/24 (IETF protocol assignments)
  [0xc0000200, 24], // 192.0.2.0/24 (documentation)
  [0xc0a80000, 16], // 192.168.0.0/16
  [0xc6120000, 15], // 198.18.0.0/15 (benchmarking)
  [0xc6336400, 24], // 198.51.100.0/24 (documentation)
  [0xcb007100, 24], // 203.0.113.0/24 (documentation)
  [0xe0000000, 4], // 224.0.0.0/4 multicast
  [0xf0000000, 4], // 240.0.0.0/4 reserved, and the broadcast address
];

function ipv4(host: string): number | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

const privateIpv4 = (value: number) =>
  PRIVATE_IPV4.some(([base, bits]) => value >>> (32 - bits) === base >>> (32 - bits));

/** The eight 16-bit groups of an IPv6 address (with a dotted IPv4 tail), or undefined. */
function ipv6Groups(host: string): number[] | undefined {
  let text = host;
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (tail) {
    const v4 = ipv4(tail[1] ?? "");
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, tail.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...new Array(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

function privateIpv6(groups: readonly number[]): boolean {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = groups;
  const embedded = (high: number, low: number) => privateIpv4(((high << 16) | low) >>> 0);
  const leadingZeros = a === 0 && b === 0 && c === 0 && d === 0 && e === 0;
  if (leadingZeros && (f === 0 || f === 0xffff)) {
    // ::, ::1, IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks) and ::ffff:a.b.c.d.
    if (f === 0 && g === 0 && h <= 1) return true;
    return embedded(g, h);
  }
  // IPv4-translated ::ffff:0:a.b.c.d (SIIT, ::ffff:0:0/96): never a public host's own address.
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0xffff && f === 0) return true;
  if (a === 0x64 && b === 0xff9b) return embedded(g, h); // NAT64 64:ff9b::/96
  if (a === 0x2002) return embedded(b, c); // 6to4 2002:a.b.c.d::/48
  if (a === 0x2001 && b === 0) return true; // Teredo tunnels to arbitrary hosts
  if (a === 0x0100 && b === 0 && c === 0 && d === 0) return true; // discard-only 100::/64
  if ((a & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0) return true; // link- and site-local
  if ((a & 0xff00) === 0xff00) return true; // multicast
  return a === 0x2001 && b === 0x0db8; // documentation
}

/** Names only a private network (or the host itself) can resolve. */
const INTERNAL_SUFFIXES = [
  ".localhost",
  ".internal",
  ".local",
  ".localdomain",
  ".home.arpa",
  ".lan",
  ".intranet",
];

export function isPrivateHost(hostname: string): boolean {
  const host = canonicalHost(hostname);
  if (host === "" || host === "localhost" || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix)))
    return true;
  const v4 = ipv4(host);
  if (v4 !== undefined) return privateIpv4(v4);
  if (host.includes(":")) {
    const groups = ipv6Groups(host);
    return groups === undefined || privateIpv6(groups);
  }
  // A single label (`metadata`, `intranet`) is resolved through the local search domain, never publicly.
  return !host.includes(".");
}
