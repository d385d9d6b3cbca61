import { and, asc, desc, eq } from "drizzle-orm";
import type { Database } from "./client";
import { type EvaluationIssueRow, type EvaluationRow, evaluationIssues, evaluations } from "./schema";

export interface StoredEvaluation {
  evaluation: EvaluationRow;
  issues: EvaluationIssueRow[];
}

/** The newest evaluation of a trace with its issues, or null while none has completed. */
export async function latestEvaluation(
  db: Database,
  orgId: string,
  traceId: string,
): Promise<StoredEvaluation | null> {
  const [evaluation] = await db
    .select()
    .from(evaluations)
    .where(and(eq(evaluations.orgId, orgId), eq(evaluations.traceId, traceId)))
    .orderBy(desc(evaluations.createdAt))
    .limit(1);
  if (!evaluation) return null;
  const issues = await db
    .select()
    .from(evaluationIssues)
    .where(eq(evaluationIssues.evaluationId, evaluation.id))
    .orderBy(asc(evaluationIssues.id));
  return { evaluation, issues };
}
