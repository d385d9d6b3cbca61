import { Hono } from "hono";
import { apiKeyView, createApiKey, listApiKeys, revokeApiKey } from "../db/organizations";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { forgetCredentials } from "../http/credential-cache";
import { logger } from "../http/logging";
import { notFound } from "../http/problem";
import { jsonBody } from "../http/validate";
import { generateApiKey } from "../lib/api-keys";
import { sleep } from "../lib/sleep";
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

/** After the first attempt to close a revoked key's connections failed, the next ones wait this long (ms). */
export const CLOSE_RETRY_DELAYS_MS = [250, 500, 1_000, 2_000];

/**
 * Closes a revoked key's live connections again after each delay of CLOSE_RETRY_DELAYS_MS (about
 * 4 s in all) until the hub answers; every failure is logged, the last as an error.
 */
async function closeWithRetries(
  close: () => Promise<number>,
  log: ReturnType<typeof logger>,
  keyId: string,
): Promise<void> {
  for (const [i, delay] of CLOSE_RETRY_DELAYS_MS.entries()) {
    await sleep(delay);
    try {
      await close();
      log({ level: "info", msg: "closed a revoked key's live connections on a retry", key_id: keyId });
      return;
    } catch (error) {
      const last = i === CLOSE_RETRY_DELAYS_MS.length - 1;
      log({
        level: last ? "error" : "warn",
        msg: `closing a revoked key's live connections failed${last ? "; giving up" : "; retrying"}`,
        key_id: keyId,
        error: String(error),
      });
    }
  }
}

keysApi.delete("/:id", async (c) => {
  const { db, caller } = c.var;
  const revoked = await revokeApiKey(db, caller.orgId, c.req.param("id"), caller.actor);
  if (!revoked) throw notFound("API key");
  forgetCredentials(({ key }) => key.id === revoked.id);
  // Open live connections of the key close now; the key itself is already refused everywhere
  // (at once here, within the credential cache's 5 s elsewhere, and its tickets at once). If the
  // hub cannot be reached, the answer does not wait: the retries go on after it.
  const close = () => closeKeyConnections(c.env.ORG_HUB, caller.orgId, revoked.id);
  const log = logger(c);
  await close().catch((error: unknown) => {
    log({
      level: "warn",
      msg: "closing a revoked key's live connections failed; retrying after the response",
      key_id: revoked.id,
      error: String(error),
    });
    c.executionCtx.waitUntil(closeWithRetries(close, log, revoked.id));
  });
  return c.json(apiKeyView(revoked));
});
