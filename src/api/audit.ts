import { Hono } from "hono";
import { z } from "zod";
import { auditEventView, listAuditEvents, verifyAuditChain } from "../db/audit";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { queryParams } from "../http/validate";
import { decodeCursor, encodeCursor } from "../lib/cursor";

/** The organization's tamper-evident audit trail. */
export const auditApi = new Hono<AppEnv>();

auditApi.use("*", requireApiKey("admin"));

const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().optional(),
});

auditApi.get("/", async (c) => {
  const { limit, cursor } = queryParams(c, listQuerySchema);
  const before = cursor === undefined ? undefined : decodeCursor(cursor).t;
  const rows = await listAuditEvents(c.var.db, c.var.caller.orgId, limit + 1, before);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return c.json({
    data: page.map(auditEventView),
    next_cursor: rows.length > limit && last ? encodeCursor({ t: last.seq, i: "audit" }) : null,
  });
});

auditApi.get("/verify", async (c) => c.json(await verifyAuditChain(c.var.db, c.var.caller.orgId)));
