import { Hono } from "hono";
import { apiKeyView, createOrganization, listOrganizationsWithKeys } from "../db/organizations";
import { requireAdminToken } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody } from "../http/validate";
import { generateApiKey } from "../lib/api-keys";
import { limitsView } from "../live/limits";
import { apiKeyScopes, createOrganizationSchema, organizationSettingsSchema } from "../schema/organization";

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
