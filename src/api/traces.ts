import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { withAuditChain } from "../db/audit";
import { runBatch } from "../db/client";
import { latestEvaluation } from "../db/evaluations";
import { type TraceRow, traceStatuses } from "../db/schema";
import { spansOfTraces, traceSpans } from "../db/spans";
import { deleteTraceStatements, findTrace, listTraces, requeueTrace } from "../db/traces";
import { requireSecrets } from "../env";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { logger } from "../http/logging";
import { ApiError, fieldPath, notFound, validationFailed, zodFieldErrors } from "../http/problem";
import { chargeRateLimit } from "../http/rate-limit";
import { parseWith, queryParams, readJsonBody } from "../http/validate";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { type OrgLiveEvent, publishLiveEvents } from "../live/publisher";
import { enqueueEvaluations } from "../queue/producer";
import { TRACE_LIMITS, type TraceInput, traceInputSchema } from "../schema/trace";
import { type IngestDeps, identifierFilters, identifierForms, ingestTraces } from "../services/ingest";
import { DEFAULT_MIN_SIMILARITY, similarTraces } from "../services/similarity";
import { traceSummaryView } from "./search-views";
import { evaluationStateView, spanView, traceView } from "./views";

export const tracesApi = new Hono<AppEnv>();

export function ingestDeps(c: Context<AppEnv>): IngestDeps {
  const caller = c.var.caller;
  const redacting = caller.organization.settings.phi_redaction !== "off";
  return {
    db: c.var.db,
    queue: c.env.EVAL_QUEUE,
    caller,
    // Also when off: a resend then finds a trace whose client id an earlier mode stored as its token.
    signingKey: redacting
      ? requireSecrets(c.env, ["SIGNING_KEY"]).SIGNING_KEY
      : c.env.SIGNING_KEY || undefined,
    log: logger(c),
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    announce: (events) => announce(c, events),
  };
}

/** What lookups by a client's own identifiers need: the key their PHI tokens come from. */
export function lookupDeps(c: Context<AppEnv>): Pick<IngestDeps, "caller" | "signingKey"> {
  return { caller: c.var.caller, signingKey: c.env.SIGNING_KEY || undefined };
}

/** How the path names a trace: by Aegis id or the client's own id, in every form it may be stored in. */
interface TraceName {
  id: string;
  clientIds: string[];
}

/** The forms are computed once per request (an HMAC when the id holds PHI), however often it is read. */
async function traceName(c: Context<AppEnv>): Promise<TraceName> {
  const id = c.req.param("id") ?? "";
  return { id, clientIds: await identifierForms(lookupDeps(c), id) };
}

async function namedTrace(c: Context<AppEnv>, name?: TraceName): Promise<TraceRow> {
  const { id, clientIds } = name ?? (await traceName(c));
  const trace = await findTrace(c.var.db, c.var.caller.orgId, id, clientIds);
  if (!trace) throw notFound("Trace");
  return trace;
}

/**
 * The keys the trace's spans are stored under: its client id, and the raw id the path gave when the
 * client id is stored as its token (spans are keyed by the raw OTel trace id).
 */
function spanKeys(trace: TraceRow, name: TraceName): string[] {
  if (trace.clientId === null) return [];
  const raw = name.id !== trace.clientId && name.clientIds.includes(trace.clientId) ? [name.id] : [];
  return [trace.clientId, ...raw];
}

/** Live-feed events go out after the response: a slow or failing feed never holds up ingestion. */
export function announce(c: Context<AppEnv>, events: OrgLiveEvent[]): void {
  if (events.length > 0) c.executionCtx.waitUntil(publishLiveEvents(c.env.ORG_HUB, events, logger(c)));
}

const textLimitExceeded = (issues: z.core.$ZodIssue[]) =>
  issues.some(
    (issue) => issue.code === "too_big" && (issue.path[0] === "input" || issue.path[0] === "output"),
  );

tracesApi.post("/", requireApiKey("traces:write", { deferRateLimit: true }), async (c) => {
  const body = await readJsonBody(c, TRACE_LIMITS.singleBodyBytes);
  // Validated once: the same issues answer 413 (a text over its limit) or 400.
  const parsed = traceInputSchema.safeParse(body);
  if (!parsed.success) {
    if (!textLimitExceeded(parsed.error.issues)) throw validationFailed(zodFieldErrors(parsed.error));
    throw new ApiError(
      413,
      "payload-too-large",
      "Payload too large",
      `input and output are limited to ${TRACE_LIMITS.textChars} characters each`,
      zodFieldErrors(parsed.error),
    );
  }
  await chargeRateLimit(c, 1);
  const [outcome] = await ingestTraces(ingestDeps(c), [parsed.data]);
  if (!outcome) throw new Error("ingestion returned no outcome");
  if ("tooLarge" in outcome) {
    const { path, message, detail } = outcome.tooLarge;
    throw new ApiError(413, "payload-too-large", "Payload too large", detail, [{ path, message }]);
  }
  return c.json({ id: outcome.id, status: outcome.status }, outcome.created ? 202 : 200);
});

const batchEnvelopeSchema = z.strictObject({
  traces: z
    .array(z.unknown())
    .min(1, "must contain at least one trace")
    .max(TRACE_LIMITS.batchSize, `must contain at most ${TRACE_LIMITS.batchSize} traces`),
});

type BatchResult =
  | { index: number; id: string; status: 200 | 201; trace_status: string }
  | { index: number; id: string | null; status: 400 | 413; error: { detail: string; errors: unknown[] } };

/** The client's own id of a batch item, as sent, for its result. */
const clientIdOf = (item: unknown) => {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : null;
};

tracesApi.post("/batch", requireApiKey("traces:write", { deferRateLimit: true }), async (c) => {
  const { traces } = parseWith(batchEnvelopeSchema, await readJsonBody(c, TRACE_LIMITS.batchBodyBytes));
  const results: BatchResult[] = [];
  const valid: { index: number; trace: TraceInput }[] = [];
  traces.forEach((item, index) => {
    const parsed = traceInputSchema.safeParse(item);
    if (parsed.success) valid.push({ index, trace: parsed.data });
    else {
      const errors = zodFieldErrors(parsed.error, `traces[${index}]`);
      results.push({
        index,
        id: clientIdOf(item),
        status: 400,
        error: { detail: `${errors.length} field(s) failed validation`, errors },
      });
    }
  });
  // One request, and as many traces as the batch carries valid ones.
  await chargeRateLimit(c, valid.length);
  if (valid.length > 0) {
    const outcomes = await ingestTraces(
      ingestDeps(c),
      valid.map((v) => v.trace),
    );
    outcomes.forEach((outcome, i) => {
      const index = valid[i]?.index ?? -1;
      if ("tooLarge" in outcome) {
        const { path, message, detail } = outcome.tooLarge;
        results.push({
          index,
          id: valid[i]?.trace.id ?? null,
          status: 413,
          error: { detail, errors: [{ path: fieldPath([path], `traces[${index}]`), message }] },
        });
        return;
      }
      results.push({
        index,
        id: outcome.id,
        status: outcome.created ? 201 : 200,
        trace_status: outcome.status,
      });
    });
  }
  results.sort((a, b) => a.index - b.index);
  return c.json({ results }, 207);
});

const isoDate = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
  domain: z.string().optional(),
  model: z.string().optional(),
  session_id: z.string().optional(),
  status: z.enum(traceStatuses).optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
  verdict: z.enum(["pass", "fail", "review"]).optional(),
  severity: z.enum(["none", "low", "medium", "high", "critical"]).optional(),
  rule: z.string().min(1).max(130).optional(),
  needs_review: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

tracesApi.get("/", requireApiKey("traces:read"), async (c) => {
  const { limit, cursor, ...filters } = queryParams(c, listQuerySchema);
  const rows = await listTraces(
    c.var.db,
    c.var.caller.orgId,
    await identifierFilters(lookupDeps(c), filters),
    limit + 1,
    cursor === undefined ? undefined : decodeCursor(cursor),
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return c.json({
    data: page.map((row) => traceView(row)),
    next_cursor: rows.length > limit && last ? encodeCursor({ t: last.createdAt, i: last.id }) : null,
  });
});

tracesApi.get("/:id", requireApiKey("traces:read"), async (c) => {
  const { db, caller } = c.var;
  const name = await traceName(c);
  const trace = await namedTrace(c, name);
  const [clientId, ...others] = spanKeys(trace, name);
  const [evaluation, spans, otherSpans] = await Promise.all([
    latestEvaluation(db, caller.orgId, trace.id),
    clientId === undefined ? [] : traceSpans(db, caller.orgId, clientId),
    others.length === 0 ? new Map() : spansOfTraces(db, caller.orgId, others),
  ]);
  const all = [...spans, ...[...otherSpans.values()].flat()];
  return c.json({ ...traceView(trace, evaluation), spans: all.map(spanView) });
});

tracesApi.delete("/:id", requireApiKey("traces:write"), async (c) => {
  const { db, caller } = c.var;
  const name = await traceName(c);
  const trace = await namedTrace(c, name);
  const [, ...otherSpanKeys] = spanKeys(trace, name);
  await withAuditChain(db, caller.orgId, async (chain) => {
    const audit = await chain.statements(caller.orgId, [
      {
        actor: caller.actor,
        action: "trace.deleted",
        target: trace.id,
        payload: { id: trace.id, client_id: trace.clientId, content_hash: trace.contentHash },
      },
    ]);
    await runBatch(db, [...deleteTraceStatements(db, caller.orgId, trace.id, otherSpanKeys), ...audit]);
  });
  return c.body(null, 204);
});

const MAX_WAIT_SECONDS = 30;
const waitQuerySchema = z.strictObject({ wait: z.coerce.number().min(0).max(MAX_WAIT_SECONDS).default(0) });

/** The trace's evaluation; with `?wait=N` the request holds up to N seconds until it completes. */
tracesApi.get("/:id/evaluation", requireApiKey("traces:read"), async (c) => {
  const { wait } = queryParams(c, waitQuerySchema);
  const { db, caller } = c.var;
  const deadline = Date.now() + wait * 1000;
  // Named once (the client id's forms, an HMAC when it holds PHI); each poll then reads the trace
  // by its Aegis id alone, the primary key.
  let trace = await namedTrace(c);
  const byAegisId: TraceName = { id: trace.id, clientIds: [] };
  for (let pause = 100; ; pause = Math.min(pause * 2, 1_000)) {
    const stored = trace.status === "evaluated" ? await latestEvaluation(db, caller.orgId, trace.id) : null;
    const state = evaluationStateView(trace, stored);
    if (state.status !== "pending" || Date.now() + pause > deadline) return c.json(state);
    await new Promise((resolve) => setTimeout(resolve, pause));
    trace = await namedTrace(c, byAegisId);
  }
});

/** Queues a trace to be evaluated again, for example after its domain pack changed. */
tracesApi.post("/:id/reevaluate", requireApiKey("traces:write"), async (c) => {
  const { db, caller } = c.var;
  const trace = await namedTrace(c);
  await requeueTrace(db, caller, trace.id);
  try {
    await enqueueEvaluations(c.env.EVAL_QUEUE, [{ trace_id: trace.id, org_id: caller.orgId }]);
  } catch (error) {
    logger(c)({ level: "warn", msg: "reevaluation send failed; left for the sweep", error: String(error) });
  }
  return c.json({ id: trace.id, status: "queued" }, 202);
});

const similarQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  // Below 0.5 the LSH bands would find too few of the matches: see src/eval/similarity.ts.
  min_similarity: z.coerce.number().min(0.5).max(1).default(DEFAULT_MIN_SIMILARITY),
});

/** Traces whose outputs are near-duplicates of this one's (MinHash of the stored output), most similar first. */
tracesApi.get("/:id/similar", requireApiKey("traces:read"), async (c) => {
  const { limit, min_similarity } = queryParams(c, similarQuerySchema);
  const { db, caller } = c.var;
  const trace = await namedTrace(c);
  const similar = await similarTraces(db, caller.orgId, trace, min_similarity, limit);
  return c.json({
    trace_id: trace.id,
    min_similarity,
    data: similar.map((row) => ({
      ...traceSummaryView(row),
      similarity: row.similarity,
      output: row.excerpt,
    })),
  });
});
