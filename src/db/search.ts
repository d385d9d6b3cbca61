import { and, desc, eq, gt, gte, inArray, lt, ne, or, sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";
import { evaluationIssues, traceSimilarityBuckets, traces } from "./schema";
import { type TraceFilters, traceFilterConditions } from "./traces";

/**
 * The FTS5 index of migrations/0003_search.sql. Declared here rather than in schema.ts so that
 * drizzle-kit leaves the virtual table to that migration; only queries use this declaration.
 */
const tracesFts = sqliteTable("traces_fts", {
  rowid: integer("rowid"),
  input: text("input"),
  output: text("output"),
  toolText: text("tool_text"),
});

/** Private-use characters around matches in snippets: they cannot be confused with the text's own markup. */
export const MATCH_START = "\uE000";
export const MATCH_END = "\uE001";
const SNIPPET_TOKENS = 24;
const EXCERPT_CHARS = 240;

/** Where a search page ended: bm25 rank (lower is better) and trace id, which breaks ties. */
export interface SearchPosition {
  rank: number;
  id: string;
}

const rank = sql<number>`bm25(${tracesFts})`;
const summaryColumns = {
  id: traces.id,
  clientId: traces.clientId,
  domain: traces.domain,
  model: traces.model,
  sessionId: traces.sessionId,
  status: traces.status,
  verdict: traces.verdict,
  severity: traces.severity,
  riskScore: traces.riskScore,
  needsReview: traces.needsReview,
  createdAt: traces.createdAt,
};

/**
 * Traces of the organization matching an FTS5 expression (from src/lib/fts-query.ts) and the filters,
 * best bm25 first, with a snippet of the best-matching field. The organization is a condition on the
 * joined trace, so another organization's rows never leave the query.
 */
export async function searchTraces(
  db: Database,
  orgId: string,
  expression: string,
  filters: TraceFilters,
  limit: number,
  after?: SearchPosition,
) {
  return db
    .select({
      ...summaryColumns,
      snippet: sql<string>`snippet(${tracesFts}, -1, ${MATCH_START}, ${MATCH_END}, '…', ${SNIPPET_TOKENS})`,
      rank,
    })
    .from(tracesFts)
    .innerJoin(traces, sql`${traces}.rowid = ${tracesFts}.rowid`)
    .where(
      and(
        sql`${tracesFts} MATCH ${expression}`,
        ...traceFilterConditions(db, orgId, filters),
        after === undefined
          ? undefined
          : or(gt(rank, after.rank), and(eq(rank, after.rank), gt(traces.id, after.id))),
      ),
    )
    .orderBy(rank, traces.id)
    .limit(limit);
}
export type SearchRow = Awaited<ReturnType<typeof searchTraces>>[number];
/** The columns a trace is listed with in search results, similar traces and clusters. */
export type TraceSummaryRow = Pick<SearchRow, keyof typeof summaryColumns>;

const candidateColumns = {
  ...summaryColumns,
  minhash: traces.minhash,
  excerpt: sql<string>`substr(${traces.output}, 1, ${EXCERPT_CHARS})`,
};
export type SimilarityCandidate = Awaited<ReturnType<typeof similarityCandidates>>[number];

/**
 * The organization's traces sharing at least one LSH bucket with `buckets`, except `traceId`: the
 * newest `limit` of them, found by index seeks on the buckets, never by reading all traces.
 */
export async function similarityCandidates(
  db: Database,
  orgId: string,
  buckets: readonly string[],
  traceId: string,
  limit: number,
) {
  const ids = db
    .selectDistinct({ id: traceSimilarityBuckets.traceId })
    .from(traceSimilarityBuckets)
    .where(
      and(
        eq(traceSimilarityBuckets.orgId, orgId),
        inArray(traceSimilarityBuckets.bucket, [...buckets]),
        ne(traceSimilarityBuckets.traceId, traceId),
      ),
    )
    .orderBy(desc(traceSimilarityBuckets.traceId))
    .limit(limit);
  return db
    .select(candidateColumns)
    .from(traces)
    .where(and(eq(traces.orgId, orgId), inArray(traces.id, ids)));
}

/**
 * Traces received in [since, until) whose latest evaluation raised `rule` and that have a signature,
 * newest first, at most `limit`. Read through the issues' (org, rule, created_at) index: an issue is
 * created when its trace is evaluated, never before the trace was received.
 */
export async function ruleFailures(
  db: Database,
  orgId: string,
  rule: string,
  since: number,
  until: number,
  limit: number,
) {
  return db
    .selectDistinct(candidateColumns)
    .from(evaluationIssues)
    .innerJoin(traces, eq(traces.id, evaluationIssues.traceId))
    .where(
      and(
        eq(evaluationIssues.orgId, orgId),
        eq(evaluationIssues.rule, rule),
        gte(evaluationIssues.createdAt, since),
        eq(traces.orgId, orgId),
        eq(traces.latestEvaluationId, evaluationIssues.evaluationId),
        gte(traces.createdAt, since),
        lt(traces.createdAt, until),
        sql`${traces.minhash} is not null`,
      ),
    )
    .orderBy(desc(traces.createdAt), desc(traces.id))
    .limit(limit);
}
