import { z } from "zod";
import { type SeverityOrNone, severityAtLeast, type Verdict } from "../eval/verdict";

/** The live feed's wire format: what OrgHub stores, replays and sends, and what clients may send. */

export const severitySchema = z.enum([
  "none",
  "low",
  "medium",
  "high",
  "critical",
] satisfies SeverityOrNone[]);
export const verdictSchema = z.enum(["pass", "fail", "review"] satisfies Verdict[]);

const traceReceivedData = z.strictObject({
  trace_id: z.string(),
  client_id: z.string().nullable(),
  domain: z.string(),
  model: z.string().nullable(),
});

const evaluationCompletedData = z.strictObject({
  trace_id: z.string(),
  /**
   * The trace's own id as the client sent it (its token when it held PHI), for correlation; null in
   * events stored before it was published.
   */
  client_id: z.string().nullable().default(null),
  evaluation_id: z.string(),
  domain: z.string(),
  verdict: verdictSchema,
  severity: severitySchema,
  risk_score: z.number().min(0).max(1),
  /** Ids of the rules the trace hit, each once. */
  rules: z.array(z.string()),
});

const reviewCreatedData = z.strictObject({
  review_id: z.string(),
  trace_id: z.string(),
  domain: z.string(),
  severity: severitySchema,
  reason: z.string(),
});

/** An event as a publisher hands it over: OrgHub stamps its id, organization and time. */
export const liveEventInputSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("trace.received"), data: traceReceivedData }),
  z.strictObject({ type: z.literal("evaluation.completed"), data: evaluationCompletedData }),
  z.strictObject({ type: z.literal("review.created"), data: reviewCreatedData }),
]);
export type LiveEventInput = z.infer<typeof liveEventInputSchema>;
export type LiveEventType = LiveEventInput["type"];

export type LiveEvent = LiveEventInput & { id: string; org_id: string; at: string };

/**
 * Event ids are the organization's feed sequence, zero-padded so they also sort as strings; a
 * client passes the last one it saw as `since` (or SSE's Last-Event-ID) to resume after it.
 */
export const eventIdSchema = z
  .string()
  .regex(/^evt_\d{12}$/, "must be an event id (evt_ followed by 12 digits) from this feed")
  .transform((id) => Number(id.slice(4)));

export function eventId(seq: number): string {
  return `evt_${String(seq).padStart(12, "0")}`;
}

/** Which events a subscriber wants; an absent field matches everything. */
export const liveFilterSchema = z.strictObject({
  domain: z.string().min(1).max(100).optional(),
  verdict: verdictSchema.optional(),
  min_severity: severitySchema.optional(),
});
export type LiveFilter = z.infer<typeof liveFilterSchema>;

/**
 * A filter on verdict or severity only matches events that carry one: asking for failures never
 * shows a trace that has not been judged yet.
 */
export function matchesFilter(event: LiveEventInput, filter: LiveFilter): boolean {
  const data: { domain: string; verdict?: Verdict; severity?: SeverityOrNone } = event.data;
  if (filter.domain !== undefined && data.domain !== filter.domain) return false;
  if (filter.verdict !== undefined && data.verdict !== filter.verdict) return false;
  if (filter.min_severity !== undefined) {
    if (data.severity === undefined || !severityAtLeast(data.severity, filter.min_severity)) return false;
  }
  return true;
}

/** Messages a WebSocket client sends. */
export const clientMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("subscribe"), filter: liveFilterSchema.default({}) }),
  z.strictObject({ type: z.literal("ping") }),
]);

/** Messages the feed sends that are not events. */
export type ControlMessage =
  | { type: "pong" }
  | { type: "subscribed"; filter: LiveFilter }
  | { type: "replayed"; count: number; complete: boolean }
  | { type: "error"; message: string };

/** `ping` exactly as most clients send it is answered by the runtime without waking the hub. */
export const PING_MESSAGE = JSON.stringify({ type: "ping" });
export const PONG_MESSAGE = JSON.stringify({ type: "pong" } satisfies ControlMessage);
