import { Hono } from "hono";
import { apiKeyView, createApiKey, listApiKeys, revokeApiKey } from "../db/organizations";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { forgetCredentials } from "../http/credential-cache";
import { notFound } from "../http/problem";
import { jsonBody } from "../http/validate";
import { generateApiKey } from "../lib/api-keys";
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
  return c.json(apiKeyView(revoked));
});
