// The API's shapes, from the server's own zod schemas and types (type-only imports: nothing of the
// server ends up in the SDK's JavaScript). The response shapes declared here are checked against the
// views the server answers with, in test/worker/sdk.test.ts.
import type { z } from "zod";
import type { Severity } from "../../src/eval/types";
import type { SeverityOrNone, Verdict } from "../../src/eval/verdict";
import type { LiveEvent, LiveFilter } from "../../src/live/events";
import type { Attributes, SpanKind, SpanStatusCode } from "../../src/otlp/model";
import type { RedactionRecord, traceFieldsSchema } from "../../src/schema/trace";

/** Where a trace is in its evaluation. */
export type TraceStatus = "queued" | "evaluating" | "evaluated" | "failed";

/** A trace as you send it: `POST /api/v1/traces`. `id` is your own id and makes retries safe. */
export type TraceInput = z.input<typeof traceFieldsSchema>;

export type { LiveEvent, LiveFilter, RedactionRecord, Severity, SeverityOrNone, Verdict };

export interface EvaluationIssue {
  tier: number;
  module: string;
  rule: string;
  severity: Severity;
  message: string;
  evidence: unknown;
}

/** A completed evaluation, as `GET /api/v1/traces/:id` embeds it. */
export interface Evaluation {
  id: string;
  trace_id: string;
  status: "completed";
  domain: string;
  verdict: Verdict;
  severity: SeverityOrNone;
  risk_score: number;
  confidence: number;
  needs_review: boolean;
  review_reason: string | null;
  /** Why the verdict is what it is: what verified a pass, failed a trace, or a human must decide. */
  why: string | null;
  issues: EvaluationIssue[];
  tiers: unknown[];
  escalations: unknown[];
  cost_usd: number;
  latency_ms: number;
  pipeline_version: string;
  created_at: string | null;
}

/** `GET /api/v1/traces/:id/evaluation`: the result once completed, else where it stands. */
export type EvaluationState =
  | Omit<Evaluation, "id" | "domain">
  | {
      trace_id: string;
      status: "pending" | "failed";
      error: string | null;
      verdict: null;
      severity: null;
      risk_score: null;
      confidence: null;
      needs_review: null;
      review_reason: null;
      why: null;
      issues: never[];
      tiers: never[];
      escalations: never[];
      cost_usd: null;
      latency_ms: null;
      pipeline_version: null;
      created_at: null;
    };

/** An OpenTelemetry span of a trace ingested on /otlp/v1/traces. */
export interface TraceSpan {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: SpanKind;
  start_time: string;
  end_time: string;
  duration_ms: number;
  status: { code: SpanStatusCode; message: string | null };
  attributes: Attributes;
  events: { name: string; time: string; attributes: Attributes }[];
  resource: Attributes;
  redactions: RedactionRecord[];
}

/** A stored trace: what was sent (after PHI redaction), its status, evaluation and spans. */
export type StoredTrace = Omit<z.output<typeof traceFieldsSchema>, "id"> & {
  id: string;
  client_id: string | null;
  domain: string;
  status: TraceStatus;
  error: string | null;
  redactions: RedactionRecord[];
  created_at: string | null;
  evaluation: Evaluation | null;
  spans: TraceSpan[];
};

/** The answer to one trace sent with `traces.create`. */
export interface CreatedTrace {
  /** Aegis's id of the trace. */
  id: string;
  /** Your id for it (generated when the trace had none). */
  client_id: string;
  status: TraceStatus;
  /** False when a trace with this client id was already stored (a retry): nothing was stored twice. */
  created: boolean;
}
