import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { hmacSha256Hex } from "../lib/crypto";
import { newId } from "../lib/ids";

/** Browsers cannot set headers on a WebSocket, so they trade an API key for a short, single-use ticket. */
export const TICKET_TTL_SECONDS = 60;
const AUDIENCE = "aegis:live";
const ISSUER = "aegis";

export interface LiveTicket {
  ticketId: string;
  orgId: string;
  /** The API key that minted it: revoking the key voids the ticket. */
  keyId: string;
  /** ms since the epoch */
  expiresAt: number;
}

const claimsSchema = z.object({
  jti: z.string().min(1),
  sub: z.string().min(1),
  org: z.string().min(1),
  exp: z.number().int(),
});

/** Why a ticket was refused; also the WebSocket close reason. */
export type TicketRejection =
  | "ticket expired"
  | "invalid ticket"
  | "ticket already used"
  | "the API key that issued the ticket is revoked or expired";

/** A key of its own, so a ticket can never be mistaken for any other token signed with SIGNING_KEY. */
async function ticketKey(signingKey: string): Promise<Uint8Array> {
  return new TextEncoder().encode(await hmacSha256Hex(signingKey, "aegis live ticket v1"));
}

export async function issueTicket(
  signingKey: string,
  subject: { orgId: string; keyId: string },
): Promise<{ ticket: string; expiresAt: number }> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + TICKET_TTL_SECONDS;
  const ticket = await new SignJWT({ org: subject.orgId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setJti(newId("tkt"))
    .setSubject(subject.keyId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(await ticketKey(signingKey));
  return { ticket, expiresAt: expiresAt * 1000 };
}

/** Checks a ticket's signature and expiry; whether it was used already is the hub's to say. */
export async function verifyTicket(
  signingKey: string,
  token: string,
): Promise<{ ok: true; ticket: LiveTicket } | { ok: false; reason: TicketRejection }> {
  try {
    const { payload } = await jwtVerify(token, await ticketKey(signingKey), {
      algorithms: ["HS256"],
      audience: AUDIENCE,
      issuer: ISSUER,
      requiredClaims: ["jti", "sub", "exp"],
    });
    const claims = claimsSchema.parse(payload);
    return {
      ok: true,
      ticket: { ticketId: claims.jti, orgId: claims.org, keyId: claims.sub, expiresAt: claims.exp * 1000 },
    };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "ticket expired" : "invalid ticket" };
  }
}
