import { describe, expect, it } from "vitest";
import { violatesUniqueKeyOn } from "../../src/db/client";

// The texts D1 gives for a failed db.batch (checked against local D1): retries key off them.
const chainKey =
  "D1_ERROR: UNIQUE constraint failed: audit_events.org_id, audit_events.seq: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)";
const clientId =
  "D1_ERROR: UNIQUE constraint failed: traces.org_id, traces.client_id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)";
const traceId =
  "D1_ERROR: UNIQUE constraint failed: traces.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)";
// A single query's error carries its SQL, which names every column: that must not count.
const sqlText =
  'Failed query: insert into "traces" ("id", "org_id", "client_id") values (?, ?, ?) NOT NULL constraint failed: traces.input';

describe("violatesUniqueKeyOn", () => {
  it.each([
    [chainKey, "audit_events.", true],
    [chainKey, "audit_events.seq", true],
    [chainKey, "traces.", false],
    [clientId, "traces.client_id", true],
    [clientId, "traces.id", false],
    [traceId, "traces.id", true],
    [traceId, "traces.client_id", false],
    [sqlText, "traces.client_id", false],
    [sqlText, "traces.", false],
  ])("%s on %s: %s", (message, column, expected) => {
    expect(violatesUniqueKeyOn(new Error(message), column)).toBe(expected);
    expect(violatesUniqueKeyOn(new Error("D1_ERROR", { cause: new Error(message) }), column)).toBe(expected);
  });
});
