import type { TraceInput } from "../schema/trace";

/** Which built-in domain an application type belongs to when the trace names no domain. */
const APPLICATION_DOMAINS: ReadonlyMap<string, string> = new Map([
  ["clinical_support", "healthcare"],
  ["diagnostic", "healthcare"],
  ["documentation", "healthcare"],
  ["trading_agent", "trading"],
  ["legal_assistant", "legal"],
  ["robotics", "robotics"],
]);

export const GENERIC_DOMAIN = "generic";

/** The explicit domain first, then the application type, otherwise generic. */
export function routeDomain(trace: Pick<TraceInput, "domain" | "application_type">): string {
  if (trace.domain !== undefined) return trace.domain;
  return APPLICATION_DOMAINS.get(trace.application_type ?? "") ?? GENERIC_DOMAIN;
}
