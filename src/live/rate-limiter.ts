import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/** One request's charge, with the limits that apply to it (resolved by the Worker from D1 rows). */
export interface LimitCheck {
  /** The organization's requests per minute, which is also its burst. */
  requestsPerMinute: number;
  /** The API key's own requests per minute, when it has one; checked on top of the organization's. */
  key: { id: string; requestsPerMinute: number } | null;
  /** Traces the organization may ingest per calendar month (UTC); null for no quota. */
  tracesPerMonth: number | null;
  /** Traces this request ingests: 0 for anything but ingestion. */
  traces: number;
  /**
   * Charged beyond this request, as far as the limits allow, for the caller to spend locally without
   * asking again (a lease): requests and traces.
   */
  lease?: Allowance;
  /** What the caller's previous lease left unspent, credited back before anything is charged. */
  returned?: Allowance;
  /**
   * Work no request asked for (the scheduled sweep making traces): only the traces are charged, to
   * the monthly quota; the request buckets are neither charged nor checked.
   */
  system?: boolean;
}

export interface Allowance {
  requests: number;
  traces: number;
}

/** An operator-token attempt: reserved (to release if it succeeds), or refused for this long. */
export interface AuthAttempt {
  /** The reservation; null when the attempt is refused. */
  reserved: number | null;
  /** Seconds until another attempt is allowed; 0 when this one was reserved. */
  retryAfterSeconds: number;
}

export type PolicyName = "requests" | "key-requests" | "traces-monthly";

/** A policy's state after the charge, as the RateLimit headers report it. */
export interface PolicyStatus {
  name: PolicyName;
  quota: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until the policy's quota is whole again (bucket full, or the month over). */
  resetSeconds: number;
}

export type LimitDecision =
  | { outcome: "allowed"; policies: PolicyStatus[]; leased: Allowance }
  | { outcome: "rate-limited"; policies: PolicyStatus[]; policy: PolicyName; retryAfterSeconds: number }
  | {
      outcome: "quota-exceeded";
      policies: PolicyStatus[];
      quota: number;
      used: number;
      requested: number;
      /** Start of the next month (UTC), in ms since the epoch. */
      resetsAt: number;
    };

const MINUTE_MS = 60_000;

interface BucketRow {
  tokens: number;
  updated_at: number;
}

interface BucketState {
  name: string;
  policy: "requests" | "key-requests";
  capacity: number;
  tokens: number;
}

/** Tokens after lazily refilling `capacity` per minute since the last charge; a new bucket is full. */
function refilledTokens(row: BucketRow | undefined, capacity: number, now: number): number {
  if (!row) return capacity;
  const elapsed = Math.max(0, now - row.updated_at);
  return Math.min(capacity, row.tokens + (elapsed * capacity) / MINUTE_MS);
}

/** Whole seconds until a bucket holds `wanted` tokens. */
function secondsUntil(tokens: number, wanted: number, capacity: number): number {
  return Math.max(0, Math.ceil(((wanted - tokens) * MINUTE_MS) / capacity / 1000));
}

function monthBounds(now: number): { month: string; start: number; end: number } {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return {
    month: `${year}-${String(month + 1).padStart(2, "0")}`,
    start: Date.UTC(year, month, 1),
    end: Date.UTC(year, month + 1, 1),
  };
}

/**
 * An organization's request buckets (its own, and one per API key that has a limit) and its monthly
 * trace count, in the object's SQLite storage. One `check` call is the whole decision for a request,
 * so the Worker pays a single round trip.
 */
export class RateLimiter extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS buckets (name TEXT PRIMARY KEY, tokens REAL NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS trace_usage (month TEXT PRIMARY KEY, used INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS auth_failures (at INTEGER NOT NULL);
    `);
  }

  /**
   * For an instance that guards a credential rather than an organization (one per client address):
   * reserves one attempt, counted as a failure until `releaseAuthAttempt` gives it back (the
   * credential was right). The check and the reservation are one call, which the object runs alone,
   * so concurrent attempts cannot all pass a check made before any of them failed. Answers the
   * reservation, or, when `limit` attempts failed (or are under way) within the last minute, the
   * seconds until another is allowed.
   */
  reserveAuthAttempt(limit: number): AuthAttempt {
    const now = Date.now();
    this.sql.exec("DELETE FROM auth_failures WHERE at <= ?", now - MINUTE_MS);
    const recent = this.sql
      .exec<{ at: number }>("SELECT at FROM auth_failures ORDER BY at DESC LIMIT 1 OFFSET ?", limit - 1)
      .toArray()[0];
    if (recent !== undefined)
      return {
        reserved: null,
        retryAfterSeconds: Math.max(1, Math.ceil((recent.at + MINUTE_MS - now) / 1000)),
      };
    const row = this.sql
      .exec<{ id: number }>("INSERT INTO auth_failures (at) VALUES (?) RETURNING rowid AS id", now)
      .one();
    return { reserved: row.id, retryAfterSeconds: 0 };
  }

  /** Gives back an attempt reserveAuthAttempt counted: it succeeded. */
  releaseAuthAttempt(reserved: number): void {
    this.sql.exec("DELETE FROM auth_failures WHERE rowid = ?", reserved);
  }

  check(request: LimitCheck): LimitDecision {
    const now = Date.now();
    const returned = request.returned ?? { requests: 0, traces: 0 };
    const buckets: BucketState[] = request.system
      ? []
      : [this.bucket("org", "requests", request.requestsPerMinute, now, returned.requests)];
    if (request.key && !request.system) {
      buckets.push(
        this.bucket(
          `key:${request.key.id}`,
          "key-requests",
          request.key.requestsPerMinute,
          now,
          returned.requests,
        ),
      );
    }
    const { month, start, end } = monthBounds(now);
    const counted =
      this.sql.exec<{ used: number }>("SELECT used FROM trace_usage WHERE month = ?", month).toArray()[0]
        ?.used ?? 0;
    const used = Math.max(0, counted - returned.traces);
    const quotaStatus = (usedAfter: number): PolicyStatus[] =>
      request.tracesPerMonth === null
        ? []
        : [
            {
              name: "traces-monthly",
              quota: request.tracesPerMonth,
              windowSeconds: Math.round((end - start) / 1000),
              remaining: Math.max(0, request.tracesPerMonth - usedAfter),
              resetSeconds: Math.ceil((end - now) / 1000),
            },
          ];

    // A denied request charges nothing (the refill is a pure function of the stored state and time);
    // only the traces a previous lease gave back are recorded. Requests given back leave no bucket empty.
    const empty = buckets.filter((b) => b.tokens < 1);
    if (empty.length > 0) {
      if (returned.traces > 0) this.countTraces(month, used);
      const waits = empty.map((b) => ({ b, wait: Math.max(1, secondsUntil(b.tokens, 1, b.capacity)) }));
      const longest = waits.reduce((a, b) => (b.wait > a.wait ? b : a));
      return {
        outcome: "rate-limited",
        policies: [...buckets.map(bucketStatus), ...quotaStatus(used)],
        policy: longest.b.policy,
        retryAfterSeconds: longest.wait,
      };
    }

    const quotaLeft =
      request.tracesPerMonth === null ? Number.POSITIVE_INFINITY : request.tracesPerMonth - used;
    const overQuota = request.traces > 0 && request.traces > quotaLeft;
    const leased: Allowance = overQuota
      ? { requests: 0, traces: 0 }
      : {
          requests: Math.max(
            0,
            Math.min(request.lease?.requests ?? 0, ...buckets.map((b) => Math.floor(b.tokens - 1))),
          ),
          traces: Math.max(0, Math.min(request.lease?.traces ?? 0, quotaLeft - request.traces)),
        };
    for (const b of buckets) {
      b.tokens -= 1 + leased.requests;
      this.sql.exec(
        "INSERT INTO buckets (name, tokens, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at",
        b.name,
        b.tokens,
        now,
      );
    }
    const statuses = buckets.map(bucketStatus);
    // The request was made, so it costs a token even when its traces are over the quota.
    if (overQuota && request.tracesPerMonth !== null) {
      if (returned.traces > 0) this.countTraces(month, used);
      return {
        outcome: "quota-exceeded",
        policies: [...statuses, ...quotaStatus(used)],
        quota: request.tracesPerMonth,
        used,
        requested: request.traces,
        resetsAt: end,
      };
    }
    const usedAfter = used + request.traces + leased.traces;
    if (usedAfter !== counted) this.countTraces(month, usedAfter);
    return { outcome: "allowed", policies: [...statuses, ...quotaStatus(usedAfter)], leased };
  }

  private countTraces(month: string, used: number): void {
    this.sql.exec("DELETE FROM trace_usage WHERE month <> ?", month);
    this.sql.exec(
      "INSERT INTO trace_usage (month, used) VALUES (?, ?) ON CONFLICT (month) DO UPDATE SET used = excluded.used",
      month,
      used,
    );
  }

  private bucket(
    name: string,
    policy: BucketState["policy"],
    capacity: number,
    now: number,
    returned: number,
  ): BucketState {
    const row = this.sql
      .exec<{ tokens: number; updated_at: number }>(
        "SELECT tokens, updated_at FROM buckets WHERE name = ?",
        name,
      )
      .toArray()[0];
    return {
      name,
      policy,
      capacity,
      tokens: Math.min(capacity, refilledTokens(row, capacity, now) + returned),
    };
  }
}

function bucketStatus(b: BucketState): PolicyStatus {
  return {
    name: b.policy,
    quota: b.capacity,
    windowSeconds: 60,
    remaining: Math.max(0, Math.floor(b.tokens)),
    resetSeconds: secondsUntil(b.tokens, b.capacity, b.capacity),
  };
}
