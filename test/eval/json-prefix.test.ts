import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonPrefix } from "../../src/eval/json-prefix";

describe("jsonPrefix", () => {
  it("is JSON.stringify when the limit does not bite, and a prefix of it that reaches the limit when it does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 400 }), (value, limit) => {
        const full = JSON.stringify(value);
        expect(jsonPrefix(value, Number.POSITIVE_INFINITY)).toBe(full);
        const prefix = jsonPrefix(value, limit);
        expect(full.startsWith(prefix)).toBe(true);
        expect(prefix.length).toBeGreaterThanOrEqual(Math.min(limit, full.length));
      }),
      { numRuns: 500 },
    );
  });

  it("stops at the limit", () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => ({ state: { s: i }, reward: 1 }));
    expect(jsonPrefix(steps, 100)).toBe(JSON.stringify(steps).slice(0, jsonPrefix(steps, 100).length));
    expect(jsonPrefix(steps, 100).length).toBeLessThan(140);
  });
});
