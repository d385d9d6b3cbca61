import { z } from "zod";
import { phiRedactionModeSchema } from "./trace";

export const planSchema = z.enum(["free", "pro", "enterprise"]);
export type Plan = z.infer<typeof planSchema>;

export const judgeProviderSchema = z.enum(["openai", "anthropic", "workers-ai"]);
export type JudgeProvider = z.infer<typeof judgeProviderSchema>;

/**
 * The organization's LLM judge (Tier 3). Provider keys and default base URLs are deployment secrets
 * and vars; `base_url` points an `openai` judge at a compatible server (Azure OpenAI, vLLM, Ollama).
 */
export const judgeSettingsSchema = z.strictObject({
  provider: judgeProviderSchema,
  model: z.string().min(1).max(200),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  daily_budget_usd: z.number().nonnegative().max(100_000).default(10),
  /** Share of traces judged regardless of uncertainty, to calibrate the cheaper tiers. */
  calibration_sample_rate: z.number().min(0).max(1).default(0.01),
});
export type JudgeSettings = z.infer<typeof judgeSettingsSchema>;

const settingsFields = {
  phi_redaction: phiRedactionModeSchema,
  judge: judgeSettingsSchema.nullable(),
};

/** Settings an organization's admin may change; every field has a safe default. */
export const organizationSettingsSchema = z.strictObject({
  phi_redaction: settingsFields.phi_redaction.default("off"),
  judge: settingsFields.judge.default(null),
});
export type OrganizationSettings = z.infer<typeof organizationSettingsSchema>;

/** A change to some settings: no defaults, so a field left out keeps its stored value. */
export const updateOrganizationSettingsSchema = z.strictObject(settingsFields).partial();

/** An enterprise organization's negotiated limits; an absent field keeps the plan's default. */
export const organizationLimitsSchema = z.strictObject({
  requests_per_minute: z.int().min(1).max(10_000_000).optional(),
  /** null: no monthly trace quota. */
  traces_per_month: z.int().min(1).nullable().optional(),
});
export type OrganizationLimits = z.infer<typeof organizationLimitsSchema>;

export const createOrganizationSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    plan: planSchema.default("free"),
    settings: updateOrganizationSettingsSchema.optional(),
    limits: organizationLimitsSchema.optional(),
  })
  .refine((org) => org.limits === undefined || org.plan === "enterprise", {
    path: ["limits"],
    message: "only enterprise organizations have configurable limits",
  });

export const apiKeyScopes = ["traces:write", "traces:read", "reviews:write", "admin"] as const;
export const apiKeyScopeSchema = z.enum(apiKeyScopes);
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(apiKeyScopeSchema).min(1).default(["traces:write", "traces:read"]),
  expires_at: z.iso
    .datetime({ offset: true })
    .refine((s) => Date.parse(s) > Date.now(), "must be in the future")
    .optional(),
  /** The key's own limit, checked on top of the organization's (e.g. to fence off one integration). */
  rate_limit_per_minute: z.int().min(1).max(10_000_000).optional(),
});
