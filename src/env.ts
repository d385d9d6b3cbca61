import { z } from "zod";
import { ApiError } from "./http/problem";
import type { WorkersAiBinding } from "./judge/providers";
import type { OrgHub } from "./live/org-hub";
import type { RateLimiter } from "./live/rate-limiter";
import type { EvaluationMessage } from "./queue/messages";

/** The Worker's bindings, as declared in wrangler.toml, and its secrets and vars. */
export interface Env {
  DB: D1Database;
  EVAL_QUEUE: Queue<EvaluationMessage>;
  REPORTS: R2Bucket;
  ORG_HUB: DurableObjectNamespace<OrgHub>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  ENVIRONMENT?: string;
  CORS_ORIGINS?: string;
  /** `open` (default): serve requests when the rate limiter is unreachable; `closed`: refuse them. */
  RATE_LIMIT_FAILURE_MODE?: string;
  ADMIN_TOKEN?: string;
  SIGNING_KEY?: string;
  /** LLM judge providers: keys are secrets; base URLs point at any compatible server. */
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  /** Milliseconds a judge call may take before the trace degrades to human review (default 30000). */
  JUDGE_TIMEOUT_MS?: string;
  /** "true" lets organizations point their judge at loopback or private hosts (self-hosted only). */
  JUDGE_ALLOW_PRIVATE_BASE_URLS?: string;
  /**
   * A DNS-over-HTTPS resolver's JSON endpoint: the host names of organizations' judge URLs are
   * resolved through it and refused when they point at private addresses. Unset: names are checked
   * as written.
   */
  DNS_RESOLVER_URL?: string;
  /** Workers AI, bound only where the account has it (see wrangler.toml). */
  AI?: WorkersAiBinding;
}

const secretSchemas = {
  ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters"),
  SIGNING_KEY: z.string().min(32, "must be at least 32 characters"),
} as const;
type SecretName = keyof typeof secretSchemas;

/**
 * Reads secrets a request path needs. A missing or weak secret is an operator error: it answers a
 * clear 500 problem naming the secret (never its value) instead of failing somewhere later.
 */
export function requireSecrets<const N extends SecretName>(env: Env, names: readonly N[]): Record<N, string> {
  const out = {} as Record<N, string>;
  const problems: { path: string; message: string }[] = [];
  for (const name of names) {
    const parsed = secretSchemas[name].safeParse(env[name]);
    if (parsed.success) out[name] = parsed.data;
    else
      problems.push({
        path: name,
        message: env[name] === undefined ? "is not set" : (parsed.error.issues[0]?.message ?? "is invalid"),
      });
  }
  if (problems.length > 0) {
    throw new ApiError(
      500,
      "server-misconfigured",
      "Server misconfigured",
      `Required secret(s) missing or invalid: ${problems.map((p) => p.path).join(", ")}. See .dev.vars.example.`,
      problems,
    );
  }
  return out;
}

export function corsOrigins(env: Env): string[] {
  return (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

const failureModeSchema = z.enum(["open", "closed"]).default("open");

/** What to do when the rate limiter cannot be reached; a misspelt value is an operator error. */
export function rateLimitFailureMode(env: Env): "open" | "closed" {
  const parsed = failureModeSchema.safeParse(env.RATE_LIMIT_FAILURE_MODE || undefined);
  if (parsed.success) return parsed.data;
  throw new ApiError(
    500,
    "server-misconfigured",
    "Server misconfigured",
    "RATE_LIMIT_FAILURE_MODE must be 'open' or 'closed'. See wrangler.toml.",
    [{ path: "RATE_LIMIT_FAILURE_MODE", message: "must be 'open' or 'closed'" }],
  );
}
