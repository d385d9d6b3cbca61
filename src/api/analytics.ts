import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { HourWindow } from "../db/analytics";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { badRequest } from "../http/problem";
import { queryParams } from "../http/validate";
import {
  DAY_MS,
  INTERVALS,
  modelAnalytics,
  ruleAnalytics,
  summary,
  TIMESERIES_METRICS,
  tierAnalytics,
  timeseries,
} from "../services/analytics";
import { listQuerySchema } from "./traces";

export const analyticsApi = new Hono<AppEnv>();

/** Without since and until, analytics cover the last seven days up to the current hour's end. */
const DEFAULT_WINDOW_MS = 7 * DAY_MS;
const MAX_BUCKETS = 1_000;

export const windowFields = {
  since: listQuerySchema.shape.since,
  until: listQuerySchema.shape.until,
};
const windowQuery = z.strictObject({ ...windowFields, domain: z.string().min(1).optional() });

/**
 * The window widened to whole units (hours, or days for daily series): since rounded down, until up,
 * because the rollups are hourly. Responses echo the window they cover.
 */
export function alignedWindow(
  query: { since?: number; until?: number },
  unitMs: number = INTERVALS.hour,
): HourWindow {
  const until = Math.ceil((query.until ?? Date.now()) / unitMs) * unitMs;
  const since = Math.floor((query.since ?? until - DEFAULT_WINDOW_MS) / unitMs) * unitMs;
  if (since >= until) {
    throw badRequest("since must be before until", [{ path: "since", message: "must be before until" }]);
  }
  return { since, until };
}

function windowedQuery(c: Context<AppEnv>) {
  const query = queryParams(c, windowQuery);
  return { window: alignedWindow(query), domain: query.domain, orgId: c.var.caller.orgId };
}

analyticsApi.get("/summary", requireApiKey("traces:read"), async (c) => {
  const { window, domain, orgId } = windowedQuery(c);
  return c.json(await summary(c.var.db, orgId, window, domain));
});

const timeseriesQuery = windowQuery.extend({
  metric: z.enum(TIMESERIES_METRICS),
  interval: z.enum(["hour", "day"]).default("hour"),
});

analyticsApi.get("/timeseries", requireApiKey("traces:read"), async (c) => {
  const { metric, interval, domain, ...range } = queryParams(c, timeseriesQuery);
  const window = alignedWindow(range, INTERVALS[interval]);
  const buckets = (window.until - window.since) / INTERVALS[interval];
  if (buckets > MAX_BUCKETS) {
    throw badRequest(`The window holds ${buckets} ${interval} buckets; at most ${MAX_BUCKETS} are served`, [
      { path: "interval", message: `use a shorter window or interval=day (${buckets} buckets)` },
    ]);
  }
  return c.json(await timeseries(c.var.db, c.var.caller.orgId, window, interval, metric, domain));
});

const rulesQuery = z.strictObject(windowFields);

analyticsApi.get("/rules", requireApiKey("traces:read"), async (c) => {
  const window = alignedWindow(queryParams(c, rulesQuery));
  return c.json(await ruleAnalytics(c.var.db, c.var.caller.orgId, window));
});

analyticsApi.get("/models", requireApiKey("traces:read"), async (c) => {
  const { window, domain, orgId } = windowedQuery(c);
  return c.json(await modelAnalytics(c.var.db, orgId, window, domain));
});

analyticsApi.get("/tiers", requireApiKey("traces:read"), async (c) => {
  const { window, domain, orgId } = windowedQuery(c);
  return c.json(await tierAnalytics(c.var.db, orgId, window, domain));
});
