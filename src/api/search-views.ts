import { MATCH_END, MATCH_START, type TraceSummaryRow } from "../db/search";

const iso = (ms: number) => new Date(ms).toISOString();

/** A trace as search results, similar traces and failure clusters list it. */
export function traceSummaryView(row: TraceSummaryRow) {
  return {
    id: row.id,
    client_id: row.clientId,
    domain: row.domain,
    model: row.model,
    session_id: row.sessionId,
    status: row.status,
    verdict: row.verdict,
    severity: row.severity,
    risk_score: row.riskScore,
    needs_review: row.needsReview,
    created_at: iso(row.createdAt),
  };
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * The snippet as HTML: the trace's own text escaped (it is whatever the AI said), matches in <mark>.
 * Safe to insert into a page as is.
 */
export function highlightSnippet(raw: string): string {
  return raw
    .replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)
    .replaceAll(MATCH_START, "<mark>")
    .replaceAll(MATCH_END, "</mark>");
}
