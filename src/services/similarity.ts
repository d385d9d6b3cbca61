import type { HourWindow } from "../db/analytics";
import { ruleTotals } from "../db/analytics";
import type { Database } from "../db/client";
import type { TraceRow } from "../db/schema";
import { ruleFailureSignatures, similarityCandidates, traceListings } from "../db/search";
import { estimatedSimilarity, lshBuckets, signatureValues } from "../eval/similarity";

/** Estimated Jaccard similarity of the outputs' 5-character shingles at which traces count as siblings. */
export const DEFAULT_MIN_SIMILARITY = 0.7;
/** Bucket-mates read per lookup: the newest ones when a template answer has thousands of copies. */
const CANDIDATE_LIMIT = 500;
/** Failing issues a clustering reads, newest first; the response says when there were more. */
const CLUSTER_READ_LIMIT = 5_000;
const CLUSTER_SAMPLE_IDS = 10;

interface Signed {
  id: string;
  createdAt: number;
  minhash: string;
  values: Uint32Array;
}

const newestFirst = (a: Pick<Signed, "id" | "createdAt">, b: Pick<Signed, "id" | "createdAt">) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);

/** The listing of each id that is still there, in the order of `ids`. */
async function listed(db: Database, orgId: string, ids: readonly string[]) {
  const rows = new Map((await traceListings(db, orgId, ids)).map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = rows.get(id);
    return row ? [row] : [];
  });
}

/** Near-duplicates of a trace's output among its organization's traces, most similar first. */
export async function similarTraces(
  db: Database,
  orgId: string,
  trace: TraceRow,
  minSimilarity: number,
  limit: number,
) {
  if (trace.minhash === null) return [];
  const values = signatureValues(trace.minhash);
  const candidates = await similarityCandidates(
    db,
    orgId,
    lshBuckets(trace.minhash),
    trace.id,
    CANDIDATE_LIMIT,
  );
  const best = candidates
    .flatMap(({ id, createdAt, minhash }) => {
      if (minhash === null) return [];
      const similarity = estimatedSimilarity(values, signatureValues(minhash));
      return similarity >= minSimilarity ? [{ id, createdAt, similarity }] : [];
    })
    .sort((a, b) => b.similarity - a.similarity || newestFirst(a, b))
    .slice(0, limit);
  const similarity = new Map(best.map((found) => [found.id, found.similarity]));
  return (await listed(db, orgId, [...similarity.keys()])).map((row) => ({
    ...row,
    similarity: similarity.get(row.id) ?? 0,
  }));
}

interface Cluster {
  /** The cluster's first trace, and so its newest (traces are taken newest first). */
  example: Signed;
  members: Signed[];
}

/**
 * Leader clustering: traces are taken newest first; each joins the most similar existing cluster
 * whose example it shares an LSH bucket with at `minSimilarity` or more, or starts a new one.
 * Buckets are looked up in a map, so this is linear in the traces read.
 */
function cluster(traces: readonly Signed[], minSimilarity: number): Cluster[] {
  const clusters: Cluster[] = [];
  const byBucket = new Map<string, Cluster[]>();
  for (const trace of traces) {
    const buckets = lshBuckets(trace.minhash);
    let best: { cluster: Cluster; similarity: number } | undefined;
    for (const candidate of new Set(buckets.flatMap((bucket) => byBucket.get(bucket) ?? []))) {
      const similarity = estimatedSimilarity(trace.values, candidate.example.values);
      if (similarity >= minSimilarity && (best === undefined || similarity > best.similarity)) {
        best = { cluster: candidate, similarity };
      }
    }
    if (best) {
      best.cluster.members.push(trace);
      continue;
    }
    const created: Cluster = { example: trace, members: [trace] };
    clusters.push(created);
    for (const bucket of buckets) {
      const sharing = byBucket.get(bucket);
      if (sharing) sharing.push(created);
      else byBucket.set(bucket, [created]);
    }
  }
  return clusters;
}

/** The rule's failing traces in the window grouped into near-duplicate patterns, largest first. */
export async function failureClusters(
  db: Database,
  orgId: string,
  rule: string,
  window: HourWindow,
  minSimilarity: number,
  limit: number,
) {
  const [counts, rows] = await Promise.all([
    ruleTotals(db, orgId, window, rule),
    ruleFailureSignatures(db, orgId, rule, window.since, window.until, CLUSTER_READ_LIMIT),
  ]);
  const failing = counts.reduce((sum, row) => sum + row.traces, 0);
  const signed = new Map<string, Signed>();
  for (const { id, createdAt, minhash } of rows) {
    if (minhash !== null && !signed.has(id)) {
      signed.set(id, { id, createdAt, minhash, values: signatureValues(minhash) });
    }
  }
  const top = cluster([...signed.values()], minSimilarity)
    .sort((a, b) => b.members.length - a.members.length || newestFirst(a.example, b.example))
    .slice(0, limit);
  const examples = new Map(
    (
      await traceListings(
        db,
        orgId,
        top.map((found) => found.example.id),
      )
    ).map((row) => [row.id, row]),
  );
  return {
    failing,
    clustered: signed.size,
    complete: rows.length < CLUSTER_READ_LIMIT,
    clusters: top.flatMap(({ example, members }) => {
      const summary = examples.get(example.id);
      return summary
        ? [
            {
              count: members.length,
              example: summary,
              traceIds: members.slice(0, CLUSTER_SAMPLE_IDS).map((member) => member.id),
            },
          ]
        : [];
    }),
  };
}
