import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { requireSecrets } from "../env";
import { requireApiKey } from "../http/auth";
import type { AppEnv } from "../http/context";
import { ApiError, badRequest } from "../http/problem";
import { queryParams } from "../http/validate";
import { eventIdSchema, liveFilterSchema } from "../live/events";
import { openFeed, redeemTicket, refusedSocket } from "../live/feed";
import type { ConnectOptions } from "../live/org-hub";
import { issueTicket } from "../live/tickets";

type Transport = ConnectOptions["transport"];

/** The organization's live feed: WebSocket, SSE, and tickets for browsers' WebSockets. */
export const liveApi = new Hono<AppEnv>();

liveApi.post("/tickets", requireApiKey("traces:read"), async (c) => {
  const { SIGNING_KEY } = requireSecrets(c.env, ["SIGNING_KEY"]);
  const { ticket, expiresAt } = await issueTicket(SIGNING_KEY, c.var.caller);
  return c.json({ ticket, expires_at: new Date(expiresAt).toISOString() }, 201);
});

const feedQuerySchema = liveFilterSchema
  .extend({
    ticket: z.string().min(1).max(4096).optional(),
    since: eventIdSchema.optional(),
  })
  .transform(({ ticket: _, since, ...filter }) => ({ since: since ?? null, filter }));

/** Where to resume and what to receive, from the query and (on SSE reconnects) Last-Event-ID. */
function feedRequest(c: Context<AppEnv>): Pick<ConnectOptions, "since" | "filter"> {
  const feed = queryParams(c, feedQuerySchema);
  // EventSource resends the last id it saw when it reconnects; that wins over the original `since`.
  const lastEventId = c.req.header("Last-Event-ID");
  if (!lastEventId) return feed;
  const parsed = eventIdSchema.safeParse(lastEventId.trim());
  if (!parsed.success) {
    throw badRequest("Last-Event-ID is not an event id of this feed", [
      { path: "Last-Event-ID", message: parsed.error.issues[0]?.message ?? "invalid" },
    ]);
  }
  return { ...feed, since: parsed.data };
}

const requireWebSocketUpgrade = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(
      426,
      "upgrade-required",
      "Upgrade required",
      "GET /api/v1/live is a WebSocket endpoint; clients without WebSockets can use GET /api/v1/live/sse",
      undefined,
      { Upgrade: "websocket" },
    );
  }
  await next();
});

/**
 * Browsers cannot put an API key on a WebSocket, so they bring a ticket: redeemed here, and the feed
 * of the ticket's organization opened. A refused ticket closes the socket with 1008 and the reason (an SSE request
 * gets a 401). Without a ticket, the API key header authenticates the next handler.
 */
function viaTicket(transport: Transport) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = c.req.query("ticket");
    if (token === undefined) return next();
    // Validated first, so a malformed request does not use up its ticket.
    const feed = feedRequest(c);
    const { SIGNING_KEY } = requireSecrets(c.env, ["SIGNING_KEY"]);
    const redeemed = await redeemTicket(c.env.ORG_HUB, c.var.db, SIGNING_KEY, token);
    if (!redeemed.ok) {
      if (transport === "websocket") return refusedSocket(redeemed.reason);
      throw new ApiError(401, "unauthorized", "Unauthorized", `The ticket was refused: ${redeemed.reason}`);
    }
    const { orgId, keyId } = redeemed.ticket;
    return openFeed(c.env.ORG_HUB, orgId, { transport, keyId, ...feed });
  });
}

function byApiKey(transport: Transport) {
  return (c: Context<AppEnv>) =>
    openFeed(c.env.ORG_HUB, c.var.caller.orgId, { transport, keyId: c.var.caller.keyId, ...feedRequest(c) });
}

liveApi.get(
  "/",
  requireWebSocketUpgrade,
  viaTicket("websocket"),
  requireApiKey("traces:read"),
  byApiKey("websocket"),
);
liveApi.get("/sse", viaTicket("sse"), requireApiKey("traces:read"), byApiKey("sse"));
