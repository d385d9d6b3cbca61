import { Hono } from "hono";
import { updateOrganizationSettings } from "../db/organizations";
import type { OrganizationRow } from "../db/schema";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { forgetCredentials } from "../http/credential-cache";
import { badRequest } from "../http/problem";
import { jsonBody } from "../http/validate";
import { judgeAddressProblem } from "../judge/address";
import { judgeAddressPolicy } from "../judge/dns";
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
  const baseUrl = changes.judge?.base_url;
  const problem =
    baseUrl === undefined
      ? null
      : await judgeAddressProblem(
          baseUrl,
          judgeAddressPolicy(c.env, (url, init) => fetch(url, init)),
        );
  if (problem !== null) {
    throw badRequest("The judge's base_url must be a public address", [
      {
        path: "judge.base_url",
        message: `${problem}: loopback, private and link-local hosts are refused (set JUDGE_ALLOW_PRIVATE_BASE_URLS=true for a self-hosted deployment)`,
      },
    ]);
  }
  const { db, caller } = c.var;
  const updated = await updateOrganizationSettings(db, caller.orgId, changes, caller.actor);
  forgetCredentials(({ organization }) => organization.id === updated.id);
  return c.json(organizationView(updated));
});
