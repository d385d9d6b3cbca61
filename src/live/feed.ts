import type { Database } from "../db/client";
import { isKeyActive } from "../db/organizations";
import { ApiError } from "../http/problem";
import { CONNECT_OPTIONS_HEADER, type ConnectOptions, type OrgHub } from "./org-hub";
import { type LiveTicket, type TicketRejection, verifyTicket } from "./tickets";

const hub = (ns: DurableObjectNamespace<OrgHub>, orgId: string) => ns.get(ns.idFromName(orgId));

/**
 * A ticket that is genuine, unexpired, not used before, and whose key is still active (read afresh:
 * a ticket stops working the moment its key is revoked); using it here uses it up.
 */
export async function redeemTicket(
  ns: DurableObjectNamespace<OrgHub>,
  db: Database,
  signingKey: string,
  token: string,
): Promise<{ ok: true; ticket: LiveTicket } | { ok: false; reason: TicketRejection }> {
  const verified = await verifyTicket(signingKey, token);
  if (!verified.ok) return verified;
  const { ticket } = verified;
  if (!(await isKeyActive(db, ticket.orgId, ticket.keyId, Date.now())))
    return { ok: false, reason: "the API key that issued the ticket is revoked or expired" };
  const redemption = await hub(ns, ticket.orgId).redeemTicket(
    ticket.ticketId,
    ticket.expiresAt,
    ticket.keyId,
  );
  if (redemption === "ok") return verified;
  const reasons: Record<Exclude<typeof redemption, "ok">, TicketRejection> = {
    used: "ticket already used",
    expired: "ticket expired",
    revoked: "the API key that issued the ticket is revoked or expired",
  };
  return { ok: false, reason: reasons[redemption] };
}

/** Closes the live connections opened with a revoked key, and voids its tickets; answers how many closed. */
export function closeKeyConnections(
  ns: DurableObjectNamespace<OrgHub>,
  orgId: string,
  keyId: string,
): Promise<number> {
  return hub(ns, orgId).revokeKey(keyId);
}

/** Opens an authenticated subscriber's WebSocket or SSE stream on its organization's hub. */
export async function openFeed(
  ns: DurableObjectNamespace<OrgHub>,
  orgId: string,
  options: ConnectOptions,
): Promise<Response> {
  const websocket = options.transport === "websocket";
  const response = await hub(ns, orgId).fetch("https://org-hub/feed", {
    headers: {
      [CONNECT_OPTIONS_HEADER]: JSON.stringify(options),
      ...(websocket ? { Upgrade: "websocket" } : {}),
    },
  });
  if (response.status === 401) {
    const reason = await response.text();
    if (websocket) return refusedSocket(reason);
    throw new ApiError(401, "unauthorized", "Unauthorized", `The live feed was refused: ${reason}`);
  }
  // Rebuilt because a fetched response's headers are immutable and the app's middleware adds some.
  if (websocket) {
    if (!response.webSocket) throw new Error(`the live hub answered ${response.status} without a WebSocket`);
    return new Response(null, { status: 101, webSocket: response.webSocket });
  }
  return new Response(response.body, { status: response.status, headers: response.headers });
}

/** Accepts the socket only to close it with 1008 and the reason: browsers never see an HTTP error. */
export function refusedSocket(reason: string): Response {
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  server.accept();
  server.close(1008, reason);
  return new Response(null, { status: 101, webSocket: client });
}
