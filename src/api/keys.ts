import { Hono } from "hono";
import { apiKeyView, createApiKey, listApiKeys, revokeApiKey } from "../db/organizations";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { forgetCredentials } from "../http/credential-cache";
import { logger } from "../http/logging";
import { notFound } from "../http/problem";
import { jsonBody } from "../http/validate";
import { generateApiKey } from "../lib/api-keys";
import { closeKeyConnections } from "../live/feed";
import { createApiKeySchema } from "../schema/organization";

/** An organization's admin manages its own keys. */
export const keysApi = new Hono<AppEnv>();

keysApi.use("*", requireApiKey("admin"));

keysApi.post("/", async (c) => {
  const input = await jsonBody(c, createApiKeySchema);
  const generated = await generateApiKey();
  const { db, caller } = c.var;
  const row = await createApiKey(
    db,
    caller.orgId,
    {
      name: input.name,
      scopes: [...new Set(input.scopes)],
      prefix: generated.prefix,
      keyHash: generated.keyHash,
      expiresAt: input.expires_at === undefined ? null : Date.parse(input.expires_at),
      rateLimitPerMinute: input.rate_limit_per_minute ?? null,
    },
    caller.actor,
  );
  const view = apiKeyView(row);
  return c.json(
    {
      id: view.id,
      key: generated.key,
      prefix: view.prefix,
      name: view.name,
      scopes: view.scopes,
      expires_at: view.expires_at,
      rate_limit_per_minute: view.rate_limit_per_minute,
    },
    201,
  );
});

keysApi.get("/", async (c) => {
  const rows = await listApiKeys(c.var.db, c.var.caller.orgId);
  return c.json({ data: rows.map(apiKeyView) });
});

keysApi.delete("/:id", async (c) => {
  const { db, caller } = c.var;
  const revoked = await revokeApiKey(db, caller.orgId, c.req.param("id"), caller.actor);
  if (!revoked) throw notFound("API key");
  forgetCredentials(({ key }) => key.id === revoked.id);
  // Open live connections of the key close now; the key itself is already refused everywhere
  // (at once here, within the credential cache's 5 s elsewhere, and its tickets at once).
  await closeKeyConnections(c.env.ORG_HUB, caller.orgId, revoked.id).catch((error: unknown) =>
    logger(c)({
      level: "warn",
      msg: "closing a revoked key's live connections failed",
      error: String(error),
    }),
  );
  return c.json(apiKeyView(revoked));
});
