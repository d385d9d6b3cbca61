export type { BatchOptions, DeliveryFailure } from "./batcher";
export { Aegis, type AegisOptions, type BatchItemResult, type BatchResult } from "./client";
export { AegisError, type FieldError, type RetryOptions } from "./http";
export type { SubscribeOptions, Subscription } from "./live";
export type {
  CreatedTrace,
  Evaluation,
  EvaluationIssue,
  EvaluationState,
  LiveEvent,
  LiveFilter,
  RedactionRecord,
  Severity,
  SeverityOrNone,
  StoredTrace,
  TraceInput,
  TraceSpan,
  TraceStatus,
  Verdict,
} from "./types";
