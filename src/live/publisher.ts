import type { NewTraceRow } from "../db/schema";
import { type LogEvent, writeLog } from "../http/logging";
import type { LiveEventInput } from "./events";
import type { OrgHub } from "./org-hub";

export interface OrgLiveEvent {
  orgId: string;
  event: LiveEventInput;
}

/**
 * Publishes events to their organizations' live feeds, one RPC per organization. It never rejects:
 * the feed is a notification next to data already stored, so a failure is logged, not propagated.
 * Callers hand it to `waitUntil` so no client waits on it.
 */
export async function publishLiveEvents(
  ns: DurableObjectNamespace<OrgHub>,
  events: readonly OrgLiveEvent[],
  log: (event: LogEvent) => void = writeLog,
): Promise<void> {
  const byOrg = new Map<string, LiveEventInput[]>();
  for (const { orgId, event } of events) {
    const list = byOrg.get(orgId);
    if (list) list.push(event);
    else byOrg.set(orgId, [event]);
  }
  await Promise.all(
    [...byOrg].map(async ([orgId, list]) => {
      try {
        await ns.get(ns.idFromName(orgId)).publish(orgId, list);
      } catch (error) {
        log({
          level: "warn",
          msg: "live event publish failed",
          org_id: orgId,
          count: list.length,
          error: String(error),
        });
      }
    }),
  );
}

/** `trace.received` for each trace just stored (never for one a client sent again). */
export function traceReceivedEvents(
  orgId: string,
  rows: readonly Pick<NewTraceRow, "id" | "clientId" | "domain" | "model">[],
): OrgLiveEvent[] {
  return rows.map((row) => ({
    orgId,
    event: {
      type: "trace.received" as const,
      data: {
        trace_id: row.id,
        client_id: row.clientId ?? null,
        domain: row.domain,
        model: row.model ?? null,
      },
    },
  }));
}
