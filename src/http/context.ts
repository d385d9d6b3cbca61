import type { Database } from "../db/client";
import type { OrganizationRow } from "../db/schema";
import type { Env } from "../env";
import type { ApiKeyScope } from "../schema/organization";

export interface Caller {
  orgId: string;
  keyId: string;
  scopes: readonly ApiKeyScope[];
  organization: OrganizationRow;
  /** The key's own requests per minute, when it has one (on top of the organization's). */
  keyRateLimitPerMinute: number | null;
  /** How the audit trail names this caller. */
  actor: string;
}

/** The request's charge to the rate limiter: set once charged, with the headers to answer with. */
export interface RateLimitState {
  headers: Record<string, string>;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: Database;
    caller: Caller;
    rateLimit?: RateLimitState;
  };
}
