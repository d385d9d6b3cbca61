import type { StoredEvaluation } from "../db/evaluations";
import type { SpanRow, TraceRow } from "../db/schema";
import { traceInputFromRow } from "../db/traces";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function evaluationView({ evaluation, issues }: StoredEvaluation) {
  return {
    id: evaluation.id,
    trace_id: evaluation.traceId,
    status: "completed" as const,
    domain: evaluation.domain,
    verdict: evaluation.verdict,
    severity: evaluation.severity,
    risk_score: evaluation.riskScore,
    confidence: evaluation.confidence,
    needs_review: evaluation.needsReview,
    review_reason: evaluation.reviewReason,
    why: evaluation.why,
    issues: issues.map((issue) => ({
      tier: issue.tier,
      module: issue.module,
      rule: issue.rule,
      severity: issue.severity,
      message: issue.message,
      evidence: issue.evidence,
    })),
    tiers: evaluation.tiers,
    escalations: evaluation.escalations,
    cost_usd: evaluation.costUsd,
    latency_ms: evaluation.latencyMs,
    pipeline_version: evaluation.pipelineVersion,
    created_at: iso(evaluation.createdAt),
  };
}

/** A trace as the API shows it: the fields the customer sent at the top level, then ours. */
export function traceView(row: TraceRow, evaluation?: StoredEvaluation | null) {
  const { id: _clientId, ...fields } = traceInputFromRow(row);
  return {
    id: row.id,
    client_id: row.clientId,
    ...fields,
    status: row.status,
    error: row.error,
    redactions: row.redactions,
    created_at: iso(row.createdAt),
    ...(evaluation === undefined
      ? {}
      : { evaluation: evaluation === null ? null : evaluationView(evaluation) }),
  };
}

/** An OpenTelemetry span of the trace, as received (after PHI redaction). */
export function spanView(span: SpanRow) {
  return {
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    start_time: new Date(span.startMs).toISOString(),
    end_time: new Date(span.endMs).toISOString(),
    duration_ms: Math.round((span.endMs - span.startMs) * 1000) / 1000,
    status: { code: span.statusCode, message: span.statusMessage },
    attributes: span.attributes,
    events: span.events.map((event) => ({
      name: event.name,
      time: new Date(event.timeMs).toISOString(),
      attributes: event.attributes,
    })),
    resource: span.resource,
    redactions: span.redactions,
  };
}

/** `GET /traces/:id/evaluation`: where the trace's evaluation stands, and its result once completed. */
export function evaluationStateView(trace: TraceRow, stored: StoredEvaluation | null) {
  if (stored && trace.status === "evaluated") {
    const { id: _id, domain: _domain, ...result } = evaluationView(stored);
    return result;
  }
  return {
    trace_id: trace.id,
    status: trace.status === "failed" ? ("failed" as const) : ("pending" as const),
    error: trace.error,
    verdict: null,
    severity: null,
    risk_score: null,
    confidence: null,
    needs_review: null,
    review_reason: null,
    why: null,
    issues: [],
    tiers: [],
    escalations: [],
    cost_usd: null,
    latency_ms: null,
    pipeline_version: null,
    created_at: null,
  };
}
