import { describe, expect, it } from "vitest";
import { detectPhi, evaluateTier1, redactTrace } from "../../src/eval/index";
import type { PhiType } from "../../src/schema/trace";
import { makeTrace } from "./helpers";

const cases: { type: PhiType; text: string; value: string }[] = [
  { type: "ssn", text: "Her SSN is 123-45-6789 per the intake form.", value: "123-45-6789" },
  { type: "ssn", text: "social security number: 123456789", value: "123456789" },
  { type: "phone", text: "Call the patient back at (415) 555-0132 today.", value: "(415) 555-0132" },
  { type: "phone", text: "Mobile +1 212.555.0188.", value: "+1 212.555.0188" },
  {
    type: "email",
    text: "Reply to j.smith+clinic@mail.example.com please.",
    value: "j.smith+clinic@mail.example.com",
  },
  { type: "dob", text: "DOB: 03/14/1968, allergic to penicillin.", value: "03/14/1968" },
  { type: "dob", text: "She was born on March 3, 1990 in Ohio.", value: "March 3, 1990" },
  { type: "mrn", text: "MRN 00482913 was admitted overnight.", value: "00482913" },
  {
    type: "address",
    text: "He lives at 1420 Oak Hill Road, Apt 4B, near the park.",
    value: "1420 Oak Hill Road, Apt 4B",
  },
  { type: "ip", text: "Login came from 192.168.10.24 at noon.", value: "192.168.10.24" },
  { type: "card", text: "Card 4111-1111-1111-1111 was declined.", value: "4111-1111-1111-1111" },
  { type: "name", text: "Mrs. Alvarez reported less pain today.", value: "Alvarez" },
  { type: "name", text: "Patient: Jonathan Reyes, admitted for observation.", value: "Jonathan Reyes" },
];

describe("detectPhi", () => {
  it.each(cases)("finds $type in '$text'", ({ type, text, value }) => {
    const found = detectPhi(text);
    expect(found).toContainEqual({
      type,
      start: text.indexOf(value),
      end: text.indexOf(value) + value.length,
    });
  });

  it.each([
    "The dose is 500 mg every 6 hours for 10 days.",
    "Version 1.2.3 fixed the bug reported on 2024-03-01.",
    "Order 4111 1111 1111 1112 has shipped.",
    "The patient was stable overnight.",
    "Email support if the app crashes.",
  ])("finds nothing in '%s'", (text) => {
    expect(detectPhi(text)).toEqual([]);
  });

  it("merges overlapping matches and sorts them", () => {
    // The SSN is found both by its shape and after its keyword: one merged match.
    const text = "SSN 123-45-6789, Patient: Ann Lee, DOB 1/2/1980, ann@lee.io";
    const found = detectPhi(text);
    expect(found.map((m) => m.type)).toEqual(["ssn", "name", "dob", "email"]);
    for (let i = 1; i < found.length; i += 1)
      expect(found[i]?.start).toBeGreaterThanOrEqual(found[i - 1]?.end ?? 0);
  });
});

describe("redactTrace", () => {
  const trace = makeTrace({
    input: "My email is ana@example.com, can you check my results?",
    output: "Ana, your results were sent to ana@example.com; call 415-555-0101 with questions.",
    context: { patient: { name: "Ana Silva", dob: "1984-02-11", medications: ["metformin 500 mg"] } },
    retrieved_contexts: [{ content: "Record for SSN 123-45-6789." }],
  });

  it("masks every field and records the original offsets, never the value", async () => {
    const { trace: redacted, redactions } = await redactTrace(trace, "mask", "org-secret");
    expect(redacted.output).toBe("Ana, your results were sent to [EMAIL]; call [PHONE] with questions.");
    expect(redacted.input).toBe("My email is [EMAIL], can you check my results?");
    expect(redacted.context?.patient).toEqual({
      name: "[NAME]",
      dob: "[DOB]",
      medications: ["metformin 500 mg"],
    });
    expect(redacted.retrieved_contexts?.[0]?.content).toBe("Record for SSN [SSN].");
    const email = redactions.find((r) => r.field === "output" && r.type === "email");
    expect(email).toEqual({ type: "email", field: "output", start: 31, end: 46 });
    expect(trace.output.slice(email?.start, email?.end)).toBe("ana@example.com");
    expect(redactions.map((r) => r.field)).toContain("context.patient.name");
    expect(JSON.stringify(redactions)).not.toContain("ana@example.com");
  });

  it("pseudonymises with a stable token per organisation", async () => {
    const first = await redactTrace(trace, "pseudonymize", "org-a");
    const again = await redactTrace(trace, "pseudonymize", "org-a");
    const other = await redactTrace(trace, "pseudonymize", "org-b");
    const token = /\[EMAIL:([0-9a-f]{8})\]/.exec(first.trace.output)?.[1];
    expect(token).toBeDefined();
    expect(first.trace.input).toContain(`[EMAIL:${token}]`);
    expect(again.trace.output).toBe(first.trace.output);
    expect(other.trace.output).not.toBe(first.trace.output);
  });

  it("redacts with a uniform placeholder, and leaves the trace alone when off", async () => {
    expect((await redactTrace(trace, "redact", "k")).trace.output).toBe(
      "Ana, your results were sent to [REDACTED]; call [REDACTED] with questions.",
    );
    expect(await redactTrace(trace, "off", "k")).toEqual({ trace, redactions: [] });
  });

  it("phi.leak is still reported on a redacted output, without the value", async () => {
    const { trace: redacted, redactions } = await redactTrace(trace, "mask", "k");
    const issues = evaluateTier1({ ...redacted, domain: "healthcare" }, { redactions }).issues.filter(
      (i) => i.rule === "phi.leak",
    );
    expect(issues.map((i) => i.evidence)).toEqual([
      { field: "output", start: 31, end: 46, excerpt: "[EMAIL]" },
      { field: "output", start: 53, end: 65, excerpt: "[PHONE]" },
    ]);
    expect(issues[0]?.severity).toBe("critical");
  });
});
