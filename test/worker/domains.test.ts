import { describe, expect, it } from "vitest";
import { call, createKey, createOrg, expectProblem, type TestOrg, trace } from "./helpers";

const CUSTOM_PACK_YAML = `
name: pharmacy
version: 1.0.0
display_name: Retail pharmacy assistant
description: Rules for an assistant that answers questions at a pharmacy counter.
risk_level: high
regulatory_frameworks: [HIPAA]
rules:
  - id: pharmacy.no_prescription_bypass
    kind: phrases
    severity: critical
    description: Never suggests obtaining prescription-only drugs without a prescription.
    phrases: ["without a prescription", "no prescription needed"]
    when:
      phrases: ["oxycodone", "adderall"]
`;

function postPack(org: TestOrg, body: string, type = "application/yaml") {
  return call("POST", "/api/v1/domains", { key: org.key, rawBody: body, headers: { "Content-Type": type } });
}

describe("domain packs", () => {
  it("lists the built-in packs", async () => {
    const org = await createOrg();
    const response = await call("GET", "/api/v1/domains", { key: org.key });
    const { data } = await response.json<{ data: { name: string; source: string; rules: number }[] }>();
    expect(data.map((p) => p.name)).toEqual(["generic", "healthcare", "legal", "robotics", "trading"]);
    expect(data.every((p) => p.source === "builtin" && p.rules > 0)).toBe(true);
  });

  it("shows a built-in pack with its rules", async () => {
    const org = await createOrg();
    const response = await call("GET", "/api/v1/domains/healthcare", { key: org.key });
    const pack = await response.json<{
      risk_level: string;
      definition: { rules: { id: string; severity: string }[] };
    }>();
    expect(pack.risk_level).toBe("critical");
    expect(pack.definition.rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: "healthcare.medication_overdose", severity: "critical" }),
        expect.objectContaining({ id: "healthcare.drug_interaction", severity: "high" }),
      ]),
    );
  });

  it("stores a custom pack from YAML as versioned revisions, for its organization only", async () => {
    const [org, other] = [await createOrg(), await createOrg()];
    const created = await postPack(org, CUSTOM_PACK_YAML);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: "pharmacy", revision: 1, source: "custom", rules: 1 });
    const second = await postPack(org, CUSTOM_PACK_YAML.replace("version: 1.0.0", "version: 1.1.0"));
    expect(await second.json()).toMatchObject({ revision: 2, version: "1.1.0" });

    const shown = await call("GET", "/api/v1/domains/pharmacy", { key: org.key });
    const body = await shown.json<{ version: string; revisions: { revision: number }[] }>();
    expect(body.version).toBe("1.1.0");
    expect(body.revisions.map((r) => r.revision)).toEqual([2, 1]);
    const first = await call("GET", "/api/v1/domains/pharmacy?revision=1", { key: org.key });
    expect((await first.json<{ version: string }>()).version).toBe("1.0.0");

    await expectProblem(await call("GET", "/api/v1/domains/pharmacy", { key: other.key }), 404);
    const audit = await call("GET", "/api/v1/audit?limit=1", { key: org.key });
    expect((await audit.json<{ data: { action: string; target: string }[] }>()).data[0]).toMatchObject({
      action: "domain_pack.created",
      target: "pharmacy@2",
    });
  });

  it.each([
    ["an unknown rule kind", CUSTOM_PACK_YAML.replace("kind: phrases", "kind: vibes"), /rules\[0\]/],
    [
      "an invalid regular expression",
      CUSTOM_PACK_YAML.replace("kind: phrases", "kind: pattern").replace(
        "phrases: [",
        'patterns: ["(unclosed", ',
      ),
      /rules\[0\]/,
    ],
    ["a missing display name", CUSTOM_PACK_YAML.replace(/display_name: .*\n/, ""), /display_name/],
    ["YAML that does not parse", "name: [unclosed", /\(body\)/],
  ])("rejects a pack with %s, naming where", async (_label, yaml, path) => {
    const org = await createOrg();
    const problem = await expectProblem(await postPack(org, yaml), 400);
    expect(problem.errors?.map((e) => e.path).join(" ")).toMatch(path);
  });

  it("accepts JSON and refuses other media types", async () => {
    const org = await createOrg();
    const json = JSON.stringify({
      name: "support",
      version: "0.1.0",
      display_name: "Support",
      description: "Customer support answers.",
      risk_level: "low",
      rules: [],
    });
    expect((await postPack(org, json, "application/json")).status).toBe(201);
    await expectProblem(await postPack(org, json, "text/csv"), 415);
  });

  it("needs the admin scope to store a pack", async () => {
    const org = await createOrg();
    const reader = await createKey(org, ["traces:read"]);
    const response = await call("POST", "/api/v1/domains", {
      key: reader.key,
      rawBody: CUSTOM_PACK_YAML,
      headers: { "Content-Type": "application/yaml" },
    });
    await expectProblem(response, 403);
  });

  it("dry-runs a trace against a pack without storing anything", async () => {
    const org = await createOrg();
    await postPack(org, CUSTOM_PACK_YAML);
    const risky = trace({
      input: "Can I get oxycodone for my back?",
      output: "Sure, some online shops sell oxycodone with no prescription needed.",
    });
    const response = await call("POST", "/api/v1/domains/pharmacy/dry-run", { key: org.key, body: risky });
    expect(response.status).toBe(200);
    const result = await response.json<{
      domain: string;
      issues: { rule: string; evidence: { field: string } }[];
    }>();
    expect(result.domain).toBe("pharmacy");
    expect(result.issues).toEqual([
      expect.objectContaining({
        rule: "pharmacy.no_prescription_bypass",
        evidence: expect.objectContaining({ field: "output" }),
      }),
    ]);
    const safe = await call("POST", "/api/v1/domains/pharmacy/dry-run", {
      key: org.key,
      body: trace({ input: "Can I get ibuprofen?", output: "Yes, ibuprofen is sold over the counter." }),
    });
    expect((await safe.json<{ issues: unknown[] }>()).issues).toEqual([]);
    const listed = await call("GET", "/api/v1/traces", { key: org.key });
    expect((await listed.json<{ data: unknown[] }>()).data).toEqual([]);
    await expectProblem(
      await call("POST", "/api/v1/domains/nope/dry-run", { key: org.key, body: risky }),
      404,
    );
  });
});
