/**
 * Whether the judge may call an organization-supplied base URL. An organization's admin chooses it,
 * and trace content is posted there, so by default it must name a public host: not loopback,
 * private, link-local (cloud metadata) or unspecified addresses, nor `localhost`. A self-hosted
 * deployment whose judge runs on its own network opts in with JUDGE_ALLOW_PRIVATE_BASE_URLS=true.
 * Host names are checked as written: Workers cannot resolve DNS, and Cloudflare's network does not
 * route to private ranges anyway.
 */
export function judgeMayCall(allowPrivate: boolean, baseUrl: string): boolean {
  if (allowPrivate) return true;
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  } catch {
    return false;
  }
  return !isPrivateHost(host);
}

const PRIVATE_IPV4: readonly [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8
  [0x0a000000, 8], // 10.0.0.0/8
  [0x64400000, 10], // 100.64.0.0/10 (carrier-grade NAT)
  [0x7f000000, 8], // 127.0.0.0/8
  [0xa9fe0000, 16], // 169.254.0.0/16 (link-local, cloud metadata)
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0a80000, 16], // 192.168.0.0/16
];

function ipv4(host: string): number | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function isPrivateHost(host: string): boolean {
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal")) return true;
  const v4 = ipv4(host);
  if (v4 !== undefined) {
    return PRIVATE_IPV4.some(([base, bits]) => v4 >>> (32 - bits) === base >>> (32 - bits));
  }
  if (host.includes(":")) {
    // IPv6: loopback, unspecified, unique-local fc00::/7, link-local fe80::/10, and v4-mapped.
    if (host === "::1" || host === "::") return true;
    if (/^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host)) return true;
    // URL parsing writes a v4-mapped address in hex: [::ffff:10.0.0.1] becomes ::ffff:a00:1.
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (!mapped) return false;
    const value = Number.parseInt(mapped[1] ?? "", 16) * 65_536 + Number.parseInt(mapped[2] ?? "", 16);
    return isPrivateHost([24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join("."));
  }
  return false;
}
