import { CONNECT_OPTIONS_HEADER, type ConnectOptions, type OrgHub } from "./org-hub";
import { type LiveTicket, type TicketRejection, verifyTicket } from "./tickets";

const hub = (ns: DurableObjectNamespace<OrgHub>, orgId: string) => ns.get(ns.idFromName(orgId));

/** A ticket that is genuine, unexpired and not used before; using it here uses it up. */
export async function redeemTicket(
  ns: DurableObjectNamespace<OrgHub>,
  signingKey: string,
  token: string,
): Promise<{ ok: true; ticket: LiveTicket } | { ok: false; reason: TicketRejection }> {
  const verified = await verifyTicket(signingKey, token);
  if (!verified.ok) return verified;
  const { ticket } = verified;
  const redemption = await hub(ns, ticket.orgId).redeemTicket(ticket.ticketId, ticket.expiresAt);
  if (redemption === "ok") return verified;
  return { ok: false, reason: redemption === "used" ? "ticket already used" : "ticket expired" };
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
