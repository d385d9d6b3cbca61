import { z } from "zod";

/** One message per trace to evaluate. Kept small: the consumer loads the trace from D1. */
export const evaluationMessageSchema = z.object({
  trace_id: z.string().min(1),
  org_id: z.string().min(1),
});
export type EvaluationMessage = z.infer<typeof evaluationMessageSchema>;

/** The evaluation queue's name in `queue_progress` (src/db/schema.ts). */
export const EVALUATION_QUEUE = "evaluations";
