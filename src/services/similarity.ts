import type { HourWindow } from "../db/analytics";
import { ruleTotals } from "../db/analytics";
import type { Database } from "../db/client";
import type { TraceRow } from "../db/schema";
import { ruleFailures, type SimilarityCandidate, similarityCandidates } from "../db/search";
import { estimatedSimilarity, lshBuckets } from "../eval/similarity";

/** Estimated Jaccard similarity of the outputs' 5-character shingles at which traces count as siblings. */
export const DEFAULT_MIN_SIMILARITY = 0.7;
/** Bucket-mates read per lookup: the newest ones when a template answer has thousands of copies. */
const CANDIDATE_LIMIT = 500;
/** Failing traces a clustering reads, newest first; the response says when there were more. */
const CLUSTER_READ_LIMIT = 5_000;
const CLUSTER_SAMPLE_IDS = 10;

export interface Similar extends SimilarityCandidate {
  similarity: number;
}

const newestFirst = (a: SimilarityCandidate, b: SimilarityCandidate) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);

/** Near-duplicates of a trace's output among its organization's traces, most similar first. */
export async function similarTraces(
  db: Database,
  orgId: string,
  trace: TraceRow,
  minSimilarity: number,
  limit: number,
): Promise<Similar[]> {
  const signature = trace.minhash;
  if (signature === null) return [];
  const candidates = await similarityCandidates(db, orgId, lshBuckets(signature), trace.id, CANDIDATE_LIMIT);
  return candidates
    .flatMap((candidate) => {
      if (candidate.minhash === null) return [];
      const similarity = estimatedSimilarity(signature, candidate.minhash);
      return similarity >= minSimilarity ? [{ ...candidate, similarity }] : [];
    })
    .sort((a, b) => b.similarity - a.similarity || newestFirst(a, b))
    .slice(0, limit);
}

interface Cluster {
  example: SimilarityCandidate & { minhash: string };
  members: SimilarityCandidate[];
}

/**
 * Leader clustering: traces are taken newest first; each joins the most similar existing cluster
 * whose example (its first, newest trace) it shares an LSH bucket with at `minSimilarity` or more,
 * or starts a new one. Buckets are looked up in a map, so this is linear in the traces read.
 */
function cluster(traces: readonly SimilarityCandidate[], minSimilarity: number): Cluster[] {
  const clusters: Cluster[] = [];
  const byBucket = new Map<string, Cluster[]>();
  for (const trace of traces) {
    const signature = trace.minhash;
    if (signature === null) continue;
    const buckets = lshBuckets(signature);
    let best: { cluster: Cluster; similarity: number } | undefined;
    for (const candidate of new Set(buckets.flatMap((bucket) => byBucket.get(bucket) ?? []))) {
      const similarity = estimatedSimilarity(signature, candidate.example.minhash);
      if (similarity >= minSimilarity && (best === undefined || similarity > best.similarity)) {
        best = { cluster: candidate, similarity };
      }
    }
    if (best) {
      best.cluster.members.push(trace);
      continue;
    }
    const created: Cluster = { example: { ...trace, minhash: signature }, members: [trace] };
    clusters.push(created);
    for (const bucket of buckets) byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), created]);
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
  const [counts, failures] = await Promise.all([
    ruleTotals(db, orgId, window, rule),
    ruleFailures(db, orgId, rule, window.since, window.until, CLUSTER_READ_LIMIT),
  ]);
  const failing = counts.reduce((sum, row) => sum + row.traces, 0);
  const clusters = cluster(failures, minSimilarity).sort(
    (a, b) => b.members.length - a.members.length || newestFirst(a.example, b.example),
  );
  return {
    failing,
    clustered: failures.length,
    complete: failures.length < CLUSTER_READ_LIMIT,
    clusters: clusters.slice(0, limit).map(({ example, members }) => ({
      count: members.length,
      example,
      traceIds: members.slice(0, CLUSTER_SAMPLE_IDS).map((member) => member.id),
    })),
  };
}
