import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { IssueRule, StopTier, TierCosts } from "../eval/cascade-facts";
import type { Severity } from "../eval/types";
import type { SeverityOrNone, Verdict } from "../eval/verdict";
import type { Attributes, AttributeValue, SpanEvent, SpanKind, SpanStatusCode } from "../otlp/model";
import type { OrganizationLimits, OrganizationSettings, Plan } from "../schema/organization";
import type { RedactionRecord, TraceInput } from "../schema/trace";

/** Milliseconds since the epoch: sortable, exact, and what Date.now() gives. */
const timestampMs = (name: string) => integer(name, { mode: "number" });
const nowMs = sql`(unixepoch('subsec') * 1000)`;

export const organizations = sqliteTable("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  plan: text("plan").$type<Plan>().notNull(),
  settings: text("settings", { mode: "json" }).$type<OrganizationSettings>().notNull(),
  /** Set by the operator for enterprise organizations; null keeps the plan's limits. */
  limits: text("limits", { mode: "json" }).$type<OrganizationLimits>(),
  createdAt: timestampMs("created_at").notNull().default(nowMs),
});

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: timestampMs("created_at").notNull(),
    lastUsedAt: timestampMs("last_used_at"),
    expiresAt: timestampMs("expires_at"),
    revokedAt: timestampMs("revoked_at"),
    /** The key's own requests per minute, on top of the organization's; null for none. */
    rateLimitPerMinute: integer("rate_limit_per_minute"),
  },
  (t) => [index("api_keys_prefix_idx").on(t.prefix), index("api_keys_org_idx").on(t.orgId, t.createdAt)],
);

export const traceStatuses = ["queued", "evaluating", "evaluated", "failed"] as const;
export type TraceStatus = (typeof traceStatuses)[number];

export const traces = sqliteTable(
  "traces",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    clientId: text("client_id"),
    domain: text("domain").notNull(),
    applicationType: text("application_type"),
    applicationId: text("application_id"),
    model: text("model"),
    input: text("input").notNull(),
    output: text("output").notNull(),
    sessionId: text("session_id"),
    userId: text("user_id"),
    /** Everything else the customer sent (tags, context, tool calls, RL episode...), as validated. */
    payload: text("payload", { mode: "json" }).$type<TracePayload>().notNull(),
    redactions: text("redactions", { mode: "json" }).$type<RedactionRecord[]>().notNull(),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    latencyMs: real("latency_ms"),
    costUsd: real("cost_usd"),
    timestamp: timestampMs("timestamp"),
    status: text("status").$type<TraceStatus>().notNull(),
    error: text("error"),
    /** The latest evaluation's outcome, kept on the trace so listings filter without a join. */
    latestEvaluationId: text("latest_evaluation_id"),
    verdict: text("verdict").$type<Verdict>(),
    severity: text("severity").$type<SeverityOrNone>(),
    riskScore: real("risk_score"),
    needsReview: integer("needs_review", { mode: "boolean" }),
    contentHash: text("content_hash").notNull(),
    createdAt: timestampMs("created_at").notNull(),
    updatedAt: timestampMs("updated_at").notNull(),
    /** When the trace was last handed to the evaluation queue; the sweep re-sends stale ones. */
    enqueuedAt: timestampMs("enqueued_at").notNull(),
    /** Tool calls as text (src/lib/search-text.ts), indexed for search with input and output. */
    toolText: text("tool_text"),
    /** MinHash of the output (src/eval/similarity.ts): near-duplicates and failure clusters. */
    minhash: text("minhash"),
    /** What the cascade did in the latest evaluation (src/eval/cascade-facts.ts), for analytics. */
    stopTier: integer("stop_tier").$type<StopTier>(),
    judgeRan: integer("judge_ran", { mode: "boolean" }),
    evaluationLatencyMs: real("evaluation_latency_ms"),
    tierCosts: text("tier_costs", { mode: "json" }).$type<TierCosts>(),
    issueRules: text("issue_rules", { mode: "json" }).$type<IssueRule[]>(),
  },
  (t) => [
    index("traces_org_created_idx").on(t.orgId, t.createdAt, t.id),
    index("traces_org_domain_created_idx").on(t.orgId, t.domain, t.createdAt),
    index("traces_org_session_idx").on(t.orgId, t.sessionId, t.createdAt),
    index("traces_status_enqueued_idx").on(t.status, t.enqueuedAt),
    index("traces_org_verdict_created_idx").on(t.orgId, t.verdict, t.createdAt),
    index("traces_org_review_created_idx").on(t.orgId, t.needsReview, t.createdAt),
    uniqueIndex("traces_org_client_id_uq").on(t.orgId, t.clientId),
    // Exact percentiles (src/db/analytics.ts): walked in value order, or per time bucket.
    index("traces_org_latency_idx").on(t.orgId, t.latencyMs, t.createdAt, t.domain, t.model),
    index("traces_org_eval_latency_idx").on(t.orgId, t.evaluationLatencyMs, t.createdAt, t.domain),
    index("traces_org_created_latency_idx").on(t.orgId, t.createdAt, t.latencyMs, t.domain),
  ],
);

/** The fields of a trace that are stored as one JSON document rather than as columns. */
export type TracePayload = Omit<
  TraceInput,
  | "id"
  | "domain"
  | "application_type"
  | "application_id"
  | "model"
  | "input"
  | "output"
  | "session_id"
  | "user_id"
  | "latency_ms"
  | "cost_usd"
  | "timestamp"
  | "usage"
>;

export const evaluations = sqliteTable(
  "evaluations",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    traceId: text("trace_id")
      .notNull()
      .references(() => traces.id, { onDelete: "cascade" }),
    pipelineVersion: text("pipeline_version").notNull(),
    domain: text("domain").notNull(),
    verdict: text("verdict").$type<Verdict>().notNull(),
    severity: text("severity").$type<SeverityOrNone>().notNull(),
    riskScore: real("risk_score").notNull(),
    confidence: real("confidence").notNull(),
    needsReview: integer("needs_review", { mode: "boolean" }).notNull(),
    reviewReason: text("review_reason"),
    /** Why the verdict is what it is (src/eval/pipeline.ts); null for evaluations stored before it was. */
    why: text("why"),
    tiers: text("tiers", { mode: "json" }).$type<unknown[]>().notNull(),
    escalations: text("escalations", { mode: "json" }).$type<unknown[]>().notNull(),
    costUsd: real("cost_usd").notNull(),
    latencyMs: real("latency_ms").notNull(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("evaluations_trace_pipeline_uq").on(t.traceId, t.pipelineVersion),
    index("evaluations_org_created_idx").on(t.orgId, t.createdAt),
    index("evaluations_org_verdict_idx").on(t.orgId, t.verdict, t.createdAt),
  ],
);

export const evaluationIssues = sqliteTable(
  "evaluation_issues",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    evaluationId: text("evaluation_id")
      .notNull()
      .references(() => evaluations.id, { onDelete: "cascade" }),
    /** Position within its evaluation: with evaluation_id, makes a re-delivered write a no-op. */
    ordinal: integer("ordinal").notNull(),
    traceId: text("trace_id")
      .notNull()
      .references(() => traces.id, { onDelete: "cascade" }),
    tier: integer("tier").notNull(),
    module: text("module").notNull(),
    rule: text("rule").notNull(),
    severity: text("severity").$type<Severity>().notNull(),
    message: text("message").notNull(),
    evidence: text("evidence", { mode: "json" }).$type<unknown>(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("evaluation_issues_evaluation_ordinal_uq").on(t.evaluationId, t.ordinal),
    index("evaluation_issues_org_rule_idx").on(t.orgId, t.rule, t.createdAt),
    index("evaluation_issues_trace_idx").on(t.traceId),
  ],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    orgId: text("org_id").notNull(),
    seq: integer("seq").notNull(),
    at: timestampMs("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    payload: text("payload").notNull(),
    payloadHash: text("payload_hash").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  // The primary key makes two writers that read the same chain head collide instead of forking it.
  (t) => [primaryKey({ columns: [t.orgId, t.seq] })],
);

export type OrganizationRow = typeof organizations.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type TraceRow = typeof traces.$inferSelect;
export type NewTraceRow = typeof traces.$inferInsert;
export type EvaluationRow = typeof evaluations.$inferSelect;
export type EvaluationIssueRow = typeof evaluationIssues.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;

/** Custom domain packs an organization stored; every upload is a new version. */
export const domainPacks = sqliteTable(
  "domain_packs",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    version: integer("version").notNull(),
    packVersion: text("pack_version").notNull(),
    definition: text("definition", { mode: "json" }).$type<unknown>().notNull(),
    contentHash: text("content_hash").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.name, t.version] })],
);
export type DomainPackRow = typeof domainPacks.$inferSelect;

/** Evaluations a human expert must look at (Tier 4), with why and how urgently. */
export const reviewItems = sqliteTable(
  "review_items",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    traceId: text("trace_id")
      .notNull()
      .references(() => traces.id, { onDelete: "cascade" }),
    evaluationId: text("evaluation_id")
      .notNull()
      .references(() => evaluations.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    /** 0 (lowest) to 100: from the worst severity and how uncertain the risk is. */
    priority: integer("priority").notNull(),
    status: text("status").$type<"open" | "resolved">().notNull(),
    createdAt: timestampMs("created_at").notNull(),
    /** The trace's domain, so that the backlog of one domain is counted from this table alone. */
    domain: text("domain"),
  },
  (t) => [
    uniqueIndex("review_items_evaluation_uq").on(t.evaluationId),
    index("review_items_org_status_priority_idx").on(t.orgId, t.status, t.priority),
    index("review_items_org_status_domain_idx").on(t.orgId, t.status, t.domain),
  ],
);

/** Usage per organization per UTC day, counted in the same batch as each evaluation. */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    tracesEvaluated: integer("traces_evaluated").notNull().default(0),
    tier1Runs: integer("tier1_runs").notNull().default(0),
    tier2Runs: integer("tier2_runs").notNull().default(0),
    tier3Runs: integer("tier3_runs").notNull().default(0),
    reviewsCreated: integer("reviews_created").notNull().default(0),
    judgeCostUsd: real("judge_cost_usd").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day] })],
);
export type UsageDailyRow = typeof usageDaily.$inferSelect;

/*
 * Rows derived from `traces` and written only by its triggers (migrations/0003_search.sql), in the
 * statement that changes the trace, so they can never disagree with it. No foreign keys: they would
 * add a lookup to every trace write and nothing but those triggers touches them.
 */

/**
 * Traces by the UTC hour they were received, with the outcome of their latest evaluation: analytics
 * sum these instead of scanning traces. Costs and risk are in billionths (USD, risk units), integers,
 * so that subtracting a re-evaluated or deleted trace leaves exactly what a scan would find.
 */
export const traceRollupHourly = sqliteTable(
  "trace_rollup_hourly",
  {
    orgId: text("org_id").notNull(),
    /** Whole hours since the epoch: created_at / 3,600,000. */
    hour: integer("hour").notNull(),
    domain: text("domain").notNull(),
    /** '' for traces sent without a model, so that the primary key stays unique. */
    model: text("model").notNull(),
    traces: integer("traces").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    costNanos: integer("cost_nanos").notNull(),
    latencyCount: integer("latency_count").notNull(),
    evaluated: integer("evaluated").notNull(),
    pass: integer("pass").notNull(),
    fail: integer("fail").notNull(),
    review: integer("review").notNull(),
    needsReview: integer("needs_review").notNull(),
    riskNanos: integer("risk_nanos").notNull(),
    severityNone: integer("severity_none").notNull(),
    severityLow: integer("severity_low").notNull(),
    severityMedium: integer("severity_medium").notNull(),
    severityHigh: integer("severity_high").notNull(),
    severityCritical: integer("severity_critical").notNull(),
    stoppedTier1: integer("stopped_tier1").notNull(),
    stoppedTier2: integer("stopped_tier2").notNull(),
    stoppedTier3: integer("stopped_tier3").notNull(),
    stoppedTier4: integer("stopped_tier4").notNull(),
    judgeRuns: integer("judge_runs").notNull(),
    tier1CostNanos: integer("tier1_cost_nanos").notNull(),
    tier2CostNanos: integer("tier2_cost_nanos").notNull(),
    tier3CostNanos: integer("tier3_cost_nanos").notNull(),
    evaluationLatencyCount: integer("evaluation_latency_count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.hour, t.domain, t.model] })],
);

/** Per hour received, how many traces' latest evaluation raised each rule, at each severity. */
export const ruleRollupHourly = sqliteTable(
  "rule_rollup_hourly",
  {
    orgId: text("org_id").notNull(),
    hour: integer("hour").notNull(),
    rule: text("rule").notNull(),
    severity: text("severity").$type<Severity>().notNull(),
    traces: integer("traces").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.hour, t.rule, t.severity] })],
);

/** One row per LSH band of each trace's MinHash: traces sharing a bucket are near-duplicate candidates. */
export const traceSimilarityBuckets = sqliteTable(
  "trace_similarity_buckets",
  {
    orgId: text("org_id").notNull(),
    /** `<band>:<the band's 32 hex characters>` (src/eval/similarity.ts lshBuckets). */
    bucket: text("bucket").notNull(),
    traceId: text("trace_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.bucket, t.traceId] })],
);

/** Per-organization Tier-2 weights (trained from expert labels); they override the shipped ones. */
export const riskModels = sqliteTable(
  "risk_models",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    domain: text("domain").notNull(),
    version: text("version").notNull(),
    weights: text("weights", { mode: "json" }).$type<unknown>().notNull(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.domain, t.version] })],
);

/**
 * How far the evaluation consumer has got: the newest hand-off (a trace's `enqueued_at`) among the
 * messages it has picked up, and when it last picked some up. The sweep tells a trace whose message
 * was lost (the consumer has moved past it, or sits idle) from one still waiting in a backlog.
 */
export const queueProgress = sqliteTable("queue_progress", {
  queue: text("queue").primaryKey(),
  newestEnqueuedAt: timestampMs("newest_enqueued_at").notNull(),
  handledAt: timestampMs("handled_at").notNull(),
});
export type QueueProgressRow = typeof queueProgress.$inferSelect;

/** Messages whose retries ran out: shown by the API and re-driven from it. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    traceId: text("trace_id")
      .notNull()
      .references(() => traces.id, { onDelete: "cascade" }),
    error: text("error").notNull(),
    deadLetteredAt: timestampMs("dead_lettered_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.traceId] })],
);
export type DeadLetterRow = typeof deadLetters.$inferSelect;

/**
 * OpenTelemetry spans received on /otlp/v1/traces, keyed by their OTel trace id, which is also the
 * client id of the Aegis trace made from them. Spans wait here until their trace's root arrives, then
 * stay as that trace's detail. Attributes, events and resource are stored after PHI redaction.
 */
export const spans = sqliteTable(
  "spans",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    traceId: text("trace_id").notNull(),
    spanId: text("span_id").notNull(),
    parentSpanId: text("parent_span_id"),
    isRoot: integer("is_root", { mode: "boolean" }).notNull(),
    name: text("name").notNull(),
    kind: text("kind").$type<SpanKind>().notNull(),
    /** Milliseconds since the epoch with microsecond fractions: spans are often shorter than 1 ms. */
    startMs: real("start_ms").notNull(),
    endMs: real("end_ms").notNull(),
    statusCode: text("status_code").$type<SpanStatusCode>().notNull(),
    statusMessage: text("status_message"),
    attributes: text("attributes", { mode: "json" }).$type<Attributes>().notNull(),
    events: text("events", { mode: "json" }).$type<SpanEvent[]>().notNull(),
    resource: text("resource", { mode: "json" }).$type<Attributes>().notNull(),
    redactions: text("redactions", { mode: "json" }).$type<RedactionRecord[]>().notNull(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.traceId, t.spanId] }),
    index("spans_created_idx").on(t.createdAt),
  ],
);
export type SpanRow = typeof spans.$inferSelect;
export type NewSpanRow = typeof spans.$inferInsert;

/**
 * GenAI content that OpenTelemetry instrumentations send as log records (gen_ai.user.message,
 * gen_ai.choice, gen_ai.client.inference.operation.details...), correlated to a span by its trace and
 * span id. It waits here for its span, or beside it, and is read as the span's events when the trace
 * is made. Stored after PHI redaction; `digest` (of the record's content) makes a retried export a no-op.
 */
export const spanLogs = sqliteTable(
  "span_logs",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    traceId: text("trace_id").notNull(),
    spanId: text("span_id").notNull(),
    digest: text("digest").notNull(),
    eventName: text("event_name").notNull(),
    timeMs: real("time_ms").notNull(),
    /** Its place in the export request: message events of one call often share a timestamp. */
    seq: integer("seq").notNull(),
    body: text("body", { mode: "json" }).$type<AttributeValue>(),
    attributes: text("attributes", { mode: "json" }).$type<Attributes>().notNull(),
    redactions: text("redactions", { mode: "json" }).$type<RedactionRecord[]>().notNull(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.traceId, t.spanId, t.digest] }),
    index("span_logs_created_idx").on(t.createdAt),
  ],
);
export type SpanLogRow = typeof spanLogs.$inferSelect;
export type NewSpanLogRow = typeof spanLogs.$inferInsert;

/**
 * OTel traces whose root span arrived before their GenAI content (which instrumentations often send
 * as log records, in a later request): they wait here a bounded time, then are made with what they
 * have (src/services/otlp.ts). A small table, so the sweep never scans the spans.
 */
export const tracesAwaitingContent = sqliteTable(
  "traces_awaiting_content",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    traceId: text("trace_id").notNull(),
    rootReceivedAt: timestampMs("root_received_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.traceId] }),
    index("traces_awaiting_content_since_idx").on(t.rootReceivedAt),
  ],
);
