import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeAddressProblem } from "../../src/judge/address";
import { dohResolver } from "../../src/judge/dns";

const asWritten = { allowPrivate: false } as const;

describe("which judge base URLs an organization may set", () => {
  it.each([
    ["https://api.openai.com/v1", true],
    ["https://my-vllm.example.com/v1", true],
    ["http://8.8.8.8/v1", true],
    ["http://172.32.0.1/v1", true],
    ["http://[2606:4700::1111]/v1", true],
    ["http://api.openai.com./v1", true],
    ["http://localhost:11434/v1", false],
    ["http://localhost./v1", false],
    ["http://LOCALHOST.../v1", false],
    ["http://ollama.localhost/v1", false],
    ["http://127.0.0.1:8000/v1", false],
    ["http://2130706433/v1", false],
    ["http://0x7f.0.0.1/v1", false],
    ["http://0177.0.0.1/v1", false],
    ["http://127.1/v1", false],
    ["http://10.1.2.3/v1", false],
    ["http://172.16.0.5/v1", false],
    ["http://172.31.255.255/v1", false],
    ["http://192.168.1.20/v1", false],
    ["http://169.254.169.254/latest/meta-data", false],
    ["http://100.64.1.1/v1", false],
    ["http://198.18.0.1/v1", false],
    ["http://224.0.0.1/v1", false],
    ["http://255.255.255.255/v1", false],
    ["http://0.0.0.0:8080/v1", false],
    ["http://[::1]:8080/v1", false],
    ["http://[::]/v1", false],
    ["http://[0:0:0:0:0:0:0:1]/v1", false],
    ["http://[::127.0.0.1]/v1", false],
    ["http://[::ffff:127.0.0.1]/v1", false],
    ["http://[::ffff:7f00:1]/v1", false],
    ["http://[::ffff:10.0.0.1]/v1", false],
    ["http://[::ffff:169.254.169.254]/v1", false],
    ["http://[64:ff9b::a9fe:a9fe]/v1", false],
    ["http://[2002:a00:1::]/v1", false],
    ["http://[2001:0:4136:e378::1]/v1", false],
    ["http://[fd12:3456::1]/v1", false],
    ["http://[fe80::1]/v1", false],
    ["http://[fec0::1]/v1", false],
    ["http://[ff02::1]/v1", false],
    ["http://metadata.google.internal/v1", false],
    ["http://metadata.google.internal./v1", false],
    ["http://metadata/computeMetadata/v1", false],
    ["http://printer.local/v1", false],
    ["http://router.home.arpa/v1", false],
    ["ftp://api.openai.com/v1", false],
    ["file:///etc/passwd", false],
    ["not a url", false],
  ])("%s → %s", async (url, allowed) => {
    expect(await judgeAddressProblem(url, asWritten)).toSatisfy((problem) =>
      allowed ? problem === null : typeof problem === "string",
    );
  });

  it("allows private hosts when the deployment opts in", async () => {
    expect(await judgeAddressProblem("http://localhost:11434/v1", { allowPrivate: true })).toBeNull();
  });

  it.each([
    [["93.184.216.34"], null],
    [["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"], null],
    [["10.0.0.7"], /resolves to a private address \(judge\.example\.com → 10\.0\.0\.7\)/],
    [["93.184.216.34", "127.0.0.1"], /private address/],
    [["::ffff:a9fe:a9fe"], /private address/],
    [["fd00::5"], /private address/],
    [[], /does not resolve/],
  ])("checks every address a name resolves to: %j", async (addresses, expected) => {
    const problem = await judgeAddressProblem("https://judge.example.com/v1", {
      allowPrivate: false,
      resolve: async () => addresses,
    });
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it("refuses a name that cannot be resolved", async () => {
    const problem = await judgeAddressProblem("https://judge.example.com/v1", {
      allowPrivate: false,
      resolve: async () => {
        throw new Error("the DNS resolver answered 502");
      },
    });
    expect(problem).toMatch(/could not be resolved \(the DNS resolver answered 502\)/);
  });
});

describe("DNS over HTTPS", () => {
  // A local resolver speaking the JSON API of Cloudflare's and Google's (application/dns-json).
  const zone: Record<string, { A?: string[]; AAAA?: string[]; status?: number }> = {
    "judge.example.com": { A: ["93.184.216.34"], AAAA: ["2606:2800:220:1:248:1893:25c8:1946"] },
    "rebind.example.com": { A: ["169.254.169.254"] },
    "broken.example.com": { status: 2 },
  };
  const asked: { name: string; type: string; accept: string | undefined }[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://resolver");
    const name = url.searchParams.get("name") ?? "";
    const type = url.searchParams.get("type") ?? "";
    asked.push({ name, type, accept: request.headers.accept });
    const entry = zone[name];
    const records = (type === "1" ? entry?.A : type === "28" ? entry?.AAAA : undefined) ?? [];
    response.setHeader("Content-Type", "application/dns-json");
    response.end(
      JSON.stringify({
        Status: entry === undefined ? 3 : (entry.status ?? 0),
        Question: [{ name, type: Number(type) }],
        Answer: [
          // Resolvers list the CNAME chain first; only the requested type counts.
          { name, type: 5, TTL: 60, data: "alias.example.net." },
          ...records.map((data) => ({ name, type: Number(type), TTL: 120, data })),
        ],
      }),
    );
  });
  let resolverUrl = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    resolverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dns-query`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const resolver = () => dohResolver(resolverUrl, (url, init) => fetch(url, init));

  it("asks for A and AAAA records with the dns-json media type and returns the addresses", async () => {
    expect(await resolver()("judge.example.com")).toEqual([
      "93.184.216.34",
      "2606:2800:220:1:248:1893:25c8:1946",
    ]);
    expect(asked.filter((q) => q.name === "judge.example.com")).toEqual([
      { name: "judge.example.com", type: "1", accept: "application/dns-json" },
      { name: "judge.example.com", type: "28", accept: "application/dns-json" },
    ]);
  });

  it("refuses a public-looking name that resolves to cloud metadata", async () => {
    const problem = await judgeAddressProblem("https://rebind.example.com/v1", {
      allowPrivate: false,
      resolve: resolver(),
    });
    expect(problem).toMatch(/rebind\.example\.com → 169\.254\.169\.254/);
  });

  it("treats NXDOMAIN as no addresses and a server failure as an error", async () => {
    expect(await resolver()("missing.example.com")).toEqual([]);
    await expect(resolver()("broken.example.com")).rejects.toThrow(/response code 2/);
  });
});
