import { Hono } from "hono";
import { z } from "zod";
import {
  apiKeyView,
  createApiKey,
  createOrganization,
  listOrganizationsWithKeys,
  organizationExists,
} from "../db/organizations";
import { requireAdminToken } from "../http/auth";
import type { AppEnv } from "../http/context";
import { notFound } from "../http/problem";
import { jsonBody } from "../http/validate";
import { generateApiKey } from "../lib/api-keys";
import { limitsView } from "../live/limits";
import {
  apiKeyScopeSchema,
  apiKeyScopes,
  createApiKeySchema,
  createOrganizationSchema,
  organizationSettingsSchema,
} from "../schema/organization";

/** Operator endpoints, authenticated by ADMIN_TOKEN rather than an organization's key. */
export const adminApi = new Hono<AppEnv>();

adminApi.post("/organizations", requireAdminToken, async (c) => {
  const input = await jsonBody(c, createOrganizationSchema);
  const generated = await generateApiKey();
  const { organization, apiKey } = await createOrganization(
    c.var.db,
    {
      name: input.name,
      plan: input.plan,
      settings: organizationSettingsSchema.parse(input.settings ?? {}),
      limits: input.limits ?? null,
    },
    {
      name: "Initial admin key",
      scopes: [...apiKeyScopes],
      prefix: generated.prefix,
      keyHash: generated.keyHash,
      expiresAt: null,
      rateLimitPerMinute: null,
    },
    "admin",
  );
  return c.json(
    {
      organization: {
        id: organization.id,
        name: organization.name,
        plan: organization.plan,
        limits: limitsView(organization),
      },
      api_key: { id: apiKey.id, key: generated.key, prefix: apiKey.prefix, scopes: apiKey.scopes },
    },
    201,
  );
});

adminApi.get("/organizations", requireAdminToken, async (c) => {
  const rows = await listOrganizationsWithKeys(c.var.db);
  return c.json({
    data: rows.map(({ organization, keys }) => ({
      id: organization.id,
      name: organization.name,
      plan: organization.plan,
      created_at: new Date(organization.createdAt).toISOString(),
      api_keys: keys.map(apiKeyView),
    })),
  });
});

const operatorKeySchema = createApiKeySchema.extend({
  name: createApiKeySchema.shape.name.optional(),
  scopes: z.array(apiKeyScopeSchema).min(1).optional(),
});

/**
 * A new key for an organization, minted by the operator: how an organization whose admin key was
 * lost gets one again (every scope unless others are asked for). Audited as the operator's act.
 */
adminApi.post("/organizations/:id/keys", requireAdminToken, async (c) => {
  const orgId = c.req.param("id");
  const input = await jsonBody(c, operatorKeySchema);
  if (!(await organizationExists(c.var.db, orgId))) throw notFound("Organization");
  const generated = await generateApiKey();
  const row = await createApiKey(
    c.var.db,
    orgId,
    {
      name: input.name ?? "Admin key minted by the operator",
      scopes: [...new Set(input.scopes ?? apiKeyScopes)],
      prefix: generated.prefix,
      keyHash: generated.keyHash,
      expiresAt: input.expires_at === undefined ? null : Date.parse(input.expires_at),
      rateLimitPerMinute: input.rate_limit_per_minute ?? null,
    },
    "admin",
  );
  return c.json({ ...apiKeyView(row), key: generated.key }, 201);
});
