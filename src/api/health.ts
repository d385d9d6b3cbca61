import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../http/context";

export const healthApi = new Hono<AppEnv>();

/** Liveness: answers without touching any dependency. */
healthApi.get("/", (c) => c.json({ status: "ok" }));

async function check(name: string, probe: () => Promise<unknown>) {
  const started = Date.now();
  try {
    await probe();
    return { name, ok: true, latency_ms: Date.now() - started };
  } catch (error) {
    return { name, ok: false, latency_ms: Date.now() - started, error: String(error) };
  }
}

/** Readiness: a D1 query and an R2 head; 503 when either fails. */
healthApi.get("/ready", async (c) => {
  const checks = await Promise.all([
    check("d1", () => c.var.db.run(sql`select 1`)),
    check("r2", () => c.env.REPORTS.head("health/ready")),
  ]);
  const ready = checks.every((entry) => entry.ok);
  return c.json({ status: ready ? "ready" : "unavailable", checks }, ready ? 200 : 503);
});
