import { Hono } from "hono";
import { updateOrganizationSettings } from "../db/organizations";
import type { OrganizationRow } from "../db/schema";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody } from "../http/validate";
import { limitsView } from "../live/limits";
import { updateOrganizationSettingsSchema } from "../schema/organization";

/** The caller's own organization and its settings (PHI redaction mode, ...). */
export const organizationApi = new Hono<AppEnv>();

const organizationView = (org: OrganizationRow) => ({
  id: org.id,
  name: org.name,
  plan: org.plan,
  settings: org.settings,
  limits: limitsView(org),
  created_at: new Date(org.createdAt).toISOString(),
});

organizationApi.get("/", requireApiKey("traces:read"), (c) =>
  c.json(organizationView(c.var.caller.organization)),
);

organizationApi.patch("/settings", requireApiKey("admin"), async (c) => {
  const changes = await jsonBody(c, updateOrganizationSettingsSchema);
  const { db, caller } = c.var;
  const settings = { ...caller.organization.settings, ...changes };
  await updateOrganizationSettings(db, caller.orgId, settings, caller.actor);
  return c.json(organizationView({ ...caller.organization, settings }));
});
