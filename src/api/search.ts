import { Hono } from "hono";
import { z } from "zod";
import { searchTraces } from "../db/search";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { queryParams } from "../http/validate";
import { decodeCursorAs, encodeCursor } from "../lib/cursor";
import { toFtsExpression } from "../lib/fts-query";
import { identifierFilters } from "../services/ingest";
import { highlightSnippet, traceSummaryView } from "./search-views";
import { listQuerySchema, lookupDeps } from "./traces";

export const searchApi = new Hono<AppEnv>();

/** The query, parsed into an FTS5 expression; a malformed one fails validation on `q` with the reason. */
const ftsQuery = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(500)
  .transform((q, ctx) => {
    const parsed = toFtsExpression(q);
    if (parsed.ok) return parsed.expression;
    ctx.addIssue({ code: "custom", message: `malformed search: ${parsed.message}` });
    return z.NEVER;
  });

const searchQuerySchema = listQuerySchema.extend({
  q: ftsQuery,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Comma-separated; a trace must carry every one. */
  tags: z
    .string()
    .transform((value) => value.split(",").flatMap((tag) => (tag.trim() === "" ? [] : [tag.trim()])))
    .optional(),
});

/** Where a page ended: the bm25 rank of its last result and that trace's id. */
const searchCursorSchema = z.strictObject({ r: z.number(), i: z.string().min(1) });

searchApi.get("/", requireApiKey("traces:read"), async (c) => {
  const { q, limit, cursor, ...filters } = queryParams(c, searchQuerySchema);
  const after = cursor === undefined ? undefined : decodeCursorAs(searchCursorSchema, cursor);
  const rows = await searchTraces(
    c.var.db,
    c.var.caller.orgId,
    q,
    await identifierFilters(lookupDeps(c), filters),
    limit + 1,
    after && { rank: after.r, id: after.i },
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return c.json({
    data: page.map((row) => ({
      ...traceSummaryView(row),
      snippet: highlightSnippet(row.snippet),
      // bm25 is lower for better matches; the API's score is higher for better ones.
      score: -row.rank,
    })),
    next_cursor: rows.length > limit && last ? encodeCursor({ r: last.rank, i: last.id }) : null,
  });
});
