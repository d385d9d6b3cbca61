import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createOrg, type TestOrg, trace } from "./helpers";

const WITH_PHI = trace({
  input: "Patient John Carter, DOB 04/12/1961, asks about his refill. Email john.carter@example.com.",
  output: "I have sent the refill details to john.carter@example.com and called 555-201-3344.",
  context: { patient: { name: "John Carter", mrn: "MRN 4471203" } },
  retrieved_contexts: [{ source: "ehr", content: "SSN 123-45-6789 on file for this patient." }],
});

async function withMode(mode: string): Promise<TestOrg> {
  const org = await createOrg();
  const response = await call("PATCH", "/api/v1/organization/settings", {
    key: org.key,
    body: { phi_redaction: mode },
  });
  expect(response.status).toBe(200);
  return org;
}

async function storedRow(id: string) {
  return env.DB.prepare("SELECT input, output, payload, redactions FROM traces WHERE id = ?")
    .bind(id)
    .first<{ input: string; output: string; payload: string; redactions: string }>();
}

async function ingestPhi(org: TestOrg, body = WITH_PHI) {
  const response = await call("POST", "/api/v1/traces", { key: org.key, body });
  return (await response.json<{ id: string }>()).id;
}

describe("PHI redaction at ingestion", () => {
  it("stores the trace untouched when redaction is off", async () => {
    const org = await withMode("off");
    const row = await storedRow(await ingestPhi(org));
    expect(row?.output).toContain("john.carter@example.com");
    expect(JSON.parse(row?.redactions ?? "")).toEqual([]);
  });

  it.each([
    ["mask", /\[EMAIL\]/],
    ["redact", /\[REDACTED\]/],
    ["pseudonymize", /\[EMAIL:[0-9a-f]+\]/],
  ])(
    "with %s, stores no identifier anywhere, only a record of what was removed",
    async (mode, placeholder) => {
      const org = await withMode(mode);
      const row = await storedRow(await ingestPhi(org));
      const everything = JSON.stringify(row);
      for (const value of [
        "john.carter@example.com",
        "555-201-3344",
        "123-45-6789",
        "4471203",
        "04/12/1961",
      ]) {
        expect(everything).not.toContain(value);
      }
      expect(row?.output).toMatch(placeholder);
      const redactions = JSON.parse(row?.redactions ?? "[]") as {
        type: string;
        field: string;
        start: number;
        end: number;
      }[];
      expect(redactions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: "email", field: "output" }),
          expect.objectContaining({ type: "phone", field: "output" }),
          expect.objectContaining({ type: "ssn", field: "retrieved_contexts[0].content" }),
        ]),
      );
      const email = redactions.find((r) => r.type === "email" && r.field === "output");
      expect(String(WITH_PHI.output).slice(email?.start, email?.end)).toBe("john.carter@example.com");
    },
  );

  it("pseudonymizes the same value to the same token within an organization, and differently across", async () => {
    const [a, b] = [await withMode("pseudonymize"), await withMode("pseudonymize")];
    const tokenOf = async (org: TestOrg) => {
      const row = await storedRow(await ingestPhi(org));
      return /\[EMAIL:[0-9a-f]+\]/.exec(row?.output ?? "")?.[0];
    };
    const first = await tokenOf(a);
    expect(first).toBeDefined();
    expect(await tokenOf(a)).toBe(first);
    expect(await tokenOf(b)).not.toBe(first);
  });

  it("rejects an unknown redaction mode with the failing field", async () => {
    const org = await createOrg();
    const response = await call("PATCH", "/api/v1/organization/settings", {
      key: org.key,
      body: { phi_redaction: "blur" },
    });
    expect(response.status).toBe(400);
    const problem = await response.json<{ errors: { path: string }[] }>();
    expect(problem.errors[0]?.path).toBe("phi_redaction");
  });

  it("keeps the other settings when one is changed", async () => {
    const org = await withMode("mask");
    const judge = { provider: "openai", model: "gpt-4o-mini", daily_budget_usd: 3 };
    const withJudge = await call("PATCH", "/api/v1/organization/settings", { key: org.key, body: { judge } });
    expect((await withJudge.json<{ settings: unknown }>()).settings).toEqual({
      phi_redaction: "mask",
      judge: { ...judge, calibration_sample_rate: 0.01 },
    });
    await call("PATCH", "/api/v1/organization/settings", { key: org.key, body: { phi_redaction: "redact" } });
    const shown = await call("GET", "/api/v1/organization", { key: org.key });
    expect((await shown.json<{ settings: unknown }>()).settings).toEqual({
      phi_redaction: "redact",
      judge: { ...judge, calibration_sample_rate: 0.01 },
    });
  });

  it("refuses a judge base_url on a private network, naming the field", async () => {
    const org = await createOrg();
    const response = await call("PATCH", "/api/v1/organization/settings", {
      key: org.key,
      body: { judge: { provider: "openai", model: "m", base_url: "http://169.254.169.254/v1" } },
    });
    expect(response.status).toBe(400);
    expect((await response.json<{ errors: { path: string }[] }>()).errors[0]?.path).toBe("judge.base_url");
  });
});
