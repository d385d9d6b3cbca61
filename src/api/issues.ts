import { Hono } from "hono";
import { z } from "zod";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { queryParams } from "../http/validate";
import { DEFAULT_MIN_SIMILARITY, failureClusters } from "../services/similarity";
import { alignedWindow, windowFields } from "./analytics";
import { traceSummaryView } from "./search-views";

export const issuesApi = new Hono<AppEnv>();

const clustersQuery = z.strictObject({
  ...windowFields,
  rule: z.string().min(1).max(130),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  min_similarity: z.coerce.number().min(0.5).max(1).default(DEFAULT_MIN_SIMILARITY),
});

/** The top failure patterns of a rule: its failing traces grouped by near-duplicate outputs. */
issuesApi.get("/clusters", requireApiKey("traces:read"), async (c) => {
  const { rule, limit, min_similarity, ...range } = queryParams(c, clustersQuery);
  const window = alignedWindow(range);
  const result = await failureClusters(c.var.db, c.var.caller.orgId, rule, window, min_similarity, limit);
  return c.json({
    rule,
    since: new Date(window.since).toISOString(),
    until: new Date(window.until).toISOString(),
    min_similarity,
    failing_traces: result.failing,
    clustered: result.clustered,
    complete: result.complete,
    data: result.clusters.map((found) => ({
      count: found.count,
      share: found.count / result.clustered,
      example: { ...traceSummaryView(found.example), output: found.example.excerpt },
      trace_ids: found.traceIds,
    })),
  });
});
