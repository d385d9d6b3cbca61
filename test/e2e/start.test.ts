// What `npm start` prints about the demo organization's key on a later run: only a key that still works.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { usableAdminKey } from "../../scripts/start";

const NOW = Date.parse("2026-06-01T00:00:00Z");
const key = (prefix: string, extra: Partial<Parameters<typeof usableAdminKey>[0][number]> = {}) => ({
  prefix,
  scopes: ["admin"],
  created_at: "2026-01-01T00:00:00.000Z",
  expires_at: null,
  revoked_at: null,
  ...extra,
});

describe("the demo key npm start names", () => {
  it("is the oldest admin key that is neither revoked nor expired", () => {
    const keys = [
      key("aeg_live_expired", {
        created_at: "2026-01-01T00:00:00.000Z",
        expires_at: "2026-05-31T23:59:59.000Z",
      }),
      key("aeg_live_revoked", {
        created_at: "2026-01-02T00:00:00.000Z",
        revoked_at: "2026-02-01T00:00:00.000Z",
      }),
      key("aeg_live_reader", { created_at: "2026-01-03T00:00:00.000Z", scopes: ["traces:read"] }),
      key("aeg_live_current", {
        created_at: "2026-01-04T00:00:00.000Z",
        expires_at: "2027-01-01T00:00:00.000Z",
      }),
      key("aeg_live_newer", { created_at: "2026-01-05T00:00:00.000Z" }),
    ];
    assert.equal(usableAdminKey(keys, NOW)?.prefix, "aeg_live_current");
  });

  it("is none when every admin key has expired", () => {
    assert.equal(
      usableAdminKey([key("aeg_live_old", { expires_at: "2026-06-01T00:00:00.000Z" })], NOW),
      undefined,
    );
  });
});
