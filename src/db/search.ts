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

/** A trace as similar traces and clusters list it: its summary and the start of its output. */
const listingColumns = {
  ...summaryColumns,
  excerpt: sql<string>`substr(${traces.output}, 1, ${EXCERPT_CHARS})`,
};
const signatureColumns = { id: traces.id, createdAt: traces.createdAt, minhash: traces.minhash };

/**
 * The organization as a check on traces found by id. likely() tells SQLite the check is not
 * selective; without statistics it would otherwise walk the organization's whole index and probe
 * each id instead of seeking the ids.
 */
const ofOrganization = (orgId: string) => sql`likely(${eq(traces.orgId, orgId)})`;

/**
 * Signatures of the organization's traces sharing at least one LSH bucket with `buckets`, except
 * `traceId`: the newest `limit` of them, found by index seeks on the buckets, never by reading all
 * traces.
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
    .select(signatureColumns)
    .from(traces)
    .where(and(ofOrganization(orgId), inArray(traces.id, ids)));
}

/**
 * Signatures of the traces received in [since, until) whose latest evaluation raised `rule`, the most
 * recently evaluated first, from at most `limit` issues (a trace with the rule twice comes twice).
 * Read in the order of the issues' (org, rule, created_at) index, so nothing is sorted: an issue is
 * created when its trace is evaluated, never before the trace was received. CROSS JOIN keeps SQLite
 * going from those issues to their traces, not from every trace in the window to the issues.
 */
export async function ruleFailureSignatures(
  db: Database,
  orgId: string,
  rule: string,
  since: number,
  until: number,
  limit: number,
) {
  return db
    .select(signatureColumns)
    .from(evaluationIssues)
    .crossJoin(traces)
    .where(
      and(
        eq(traces.id, evaluationIssues.traceId),
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
    .orderBy(desc(evaluationIssues.createdAt), desc(evaluationIssues.id))
    .limit(limit);
}

/** These traces of the organization as similar traces and clusters list them. */
export async function traceListings(db: Database, orgId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select(listingColumns)
    .from(traces)
    .where(and(ofOrganization(orgId), inArray(traces.id, [...ids])));
}
