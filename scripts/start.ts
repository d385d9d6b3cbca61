// `npm start`: one command from a clean clone to a running Aegis on http://localhost:8787.
// 1. writes .dev.vars with fresh random secrets if there is none,
// 2. applies the D1 migrations to the local database under .wrangler/,
// 3. starts `wrangler dev` (local D1, Queues, R2 and Durable Objects),
// 4. creates the demo organization on first run and prints its API key (only the prefix later),
// 5. runs the scheduled handler every minute, as Cloudflare does with the cron in wrangler.toml
//    (`wrangler dev` never runs crons itself; --test-scheduled exposes /__scheduled for it).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? 8787);
const base = `http://127.0.0.1:${port}`;
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const DEMO_NAME = "Aegis Demo";
// Where local D1, Queues, R2 and Durable Objects keep their state (default .wrangler/state).
const persist = process.env.AEGIS_PERSIST_TO ? ["--persist-to", process.env.AEGIS_PERSIST_TO] : [];

function devVars(): Record<string, string> {
  const path = join(root, ".dev.vars");
  if (!existsSync(path)) {
    const secret = () => randomBytes(32).toString("base64url");
    writeFileSync(
      path,
      readFileSync(join(root, ".dev.vars.example"), "utf8")
        .replace(/^ADMIN_TOKEN=.*$/m, `ADMIN_TOKEN=${secret()}`)
        .replace(/^SIGNING_KEY=.*$/m, `SIGNING_KEY=${secret()}`),
    );
    console.log("Wrote .dev.vars with fresh random secrets.");
  }
  return Object.fromEntries(
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => /^\w+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim()]),
  );
}

function migrate() {
  const result = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", ...persist], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, CI: "true" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function waitForHealth(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`wrangler dev did not answer on ${base}/health`);
}

interface ListedKey {
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

interface ListedOrganization {
  id: string;
  name: string;
  api_keys: ListedKey[];
}

/**
 * The oldest admin key still usable (not revoked, not expired): the one printed on the first run,
 * unless it was revoked or has expired since.
 */
export function usableAdminKey(keys: readonly ListedKey[], now = Date.now()): ListedKey | undefined {
  return keys
    .filter(
      (k) =>
        k.revoked_at === null &&
        (k.expires_at === null || Date.parse(k.expires_at) > now) &&
        k.scopes.includes("admin"),
    )
    .sort((a, b) => a.created_at.localeCompare(b.created_at))[0];
}

async function ensureDemoOrganization(adminToken: string | undefined): Promise<void> {
  if (!adminToken) throw new Error("ADMIN_TOKEN is missing from .dev.vars");
  const headers = { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" };
  const listed = await fetch(`${base}/api/v1/admin/organizations`, { headers });
  if (!listed.ok) throw new Error(`listing organizations failed: ${listed.status} ${await listed.text()}`);
  const { data } = (await listed.json()) as { data: ListedOrganization[] };
  const demo = data.find((org) => org.name === DEMO_NAME);
  if (demo) {
    const admin = usableAdminKey(demo.api_keys);
    console.log(
      admin
        ? `\nDemo organization ${demo.id} exists; its admin API key starts with ${admin.prefix}`
        : `\nDemo organization ${demo.id} exists; it has no active admin key`,
    );
    console.log("(The full key was printed once, on the first run. If it is lost, mint another:");
    console.log(
      `  curl -s -X POST ${base}/api/v1/admin/organizations/${demo.id}/keys -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' -d '{}')`,
    );
    return;
  }
  const created = await fetch(`${base}/api/v1/admin/organizations`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: DEMO_NAME, plan: "pro" }),
  });
  if (created.status !== 201)
    throw new Error(`creating the demo organization failed: ${await created.text()}`);
  const body = (await created.json()) as { organization: { id: string }; api_key: { key: string } };
  console.log(`\nCreated demo organization ${body.organization.id}.`);
  console.log(`API key (shown once, keep it): ${body.api_key.key}`);
  console.log(`Try: curl -s ${base}/api/v1/traces -H "Authorization: Bearer ${body.api_key.key}"`);
}

/** The cron of wrangler.toml, locally: the scheduled handler now and then every minute. */
function runScheduleLocally(): void {
  const tick = () =>
    fetch(`${base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).catch((error: unknown) =>
      console.error(`scheduled run failed: ${String(error)}`),
    );
  void tick();
  setInterval(tick, 60_000).unref();
}

async function main(): Promise<void> {
  const vars = devVars();
  migrate();
  const dev = spawn(
    wrangler,
    ["dev", "--port", String(port), "--ip", "127.0.0.1", "--test-scheduled", ...persist],
    {
      cwd: root,
      stdio: "inherit",
      env: process.env,
    },
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
  dev.on("exit", (code) => process.exit(code ?? 0));
  try {
    await waitForHealth(Date.now() + 90_000);
    await ensureDemoOrganization(vars.ADMIN_TOKEN);
    runScheduleLocally();
    console.log(`\nAegis is running on ${base} (Ctrl-C to stop).`);
  } catch (error) {
    console.error(String(error));
    dev.kill("SIGTERM");
    process.exitCode = 1;
  }
}

// Run as a script (`npm start`); imported (by the tests, for usableAdminKey), it starts nothing.
const script = process.argv[1];
if (script !== undefined && realpathSync(resolve(script)) === realpathSync(fileURLToPath(import.meta.url)))
  await main();
