import { describe, expect, it, vi } from "vitest";
import { detectPhi, evaluateTier1, redactTrace } from "../../src/eval/index";
import { compilePhiRule } from "../../src/eval/kinds/phi-rule";
import type { RuleOfKind } from "../../src/eval/pack-schema";
import {
  isRandomIdentifier,
  MAX_REDACTION_RECORDS,
  OMITTED_REDACTIONS,
  redactionPlaceholders,
  redactSpan,
  sourceRedactionRecords,
  storedIdentifier,
} from "../../src/eval/phi";
import { TraceView } from "../../src/eval/trace-view";
import type { EvalIssue } from "../../src/eval/types";
import { formatPath } from "../../src/lib/field-path";
import type { PhiType, RedactionRecord, TraceInput } from "../../src/schema/trace";
import { makeTrace } from "./helpers";

const cases: { type: PhiType; text: string; value: string }[] = [
  { type: "ssn", text: "Her SSN is 123-45-6789 per the intake form.", value: "123-45-6789" },
  { type: "ssn", text: "social security number: 123456789", value: "123456789" },
  { type: "phone", text: "Call the patient back at (415) 555-0132 today.", value: "(415) 555-0132" },
  { type: "phone", text: "Mobile +1 212.555.0188.", value: "+1 212.555.0188" },
  { type: "phone", text: "Her number is 1-805-555-0147.", value: "1-805-555-0147" },
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
    "Poison Control is 1-800-222-1222, open all hours.",
    "The crisis line (888) 628-9454 takes calls and texts.",
    "Call +1 877 565 8860 to reach the helpline.",
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

describe("keys that redact to the same placeholder (review item 2)", () => {
  it("tells 10,000 of them apart in linear time", async () => {
    const metadata: Record<string, number> = {};
    for (let i = 0; i < 10_000; i += 1) metadata[`patient${i}@example.com`] = i;
    const started = performance.now();
    const { trace: redacted } = await redactTrace(makeTrace({ metadata }), "mask", "k");
    const elapsed = performance.now() - started;
    const keys = Object.keys(redacted.metadata ?? {});
    expect(keys).toHaveLength(10_000);
    expect(keys.slice(0, 3)).toEqual(["[EMAIL]", "[EMAIL] (2)", "[EMAIL] (3)"]);
    expect(keys.at(-1)).toBe("[EMAIL] (10000)");
    // The suffix search started again at 2 for every key: 5.5 s of CPU. Now a probe per key.
    expect(elapsed).toBeLessThan(1_000);
  });

  it("skips suffixes that a key already holds, and stays unique", async () => {
    const metadata = { "[EMAIL] (2)": "a", "x@example.com": 1, "y@example.com": 2, "z@example.com": 3 };
    const { trace: redacted } = await redactTrace(makeTrace({ metadata }), "mask", "k");
    expect(Object.keys(redacted.metadata ?? {})).toEqual([
      "[EMAIL] (2)",
      "[EMAIL]",
      "[EMAIL] (3)",
      "[EMAIL] (4)",
    ]);
  });
});

describe("phi.leak on text redacted where it came from (review item 3)", () => {
  const leaks = (trace: TraceInput, redactions: RedactionRecord[] = []) =>
    evaluateTier1(trace, { redactions }).issues.filter((i) => i.rule === "phi.leak");
  const output = "Patient [NAME], SSN [SSN:3fa9c1d2], email [EMAIL], card [REDACTED].";

  it("takes no placeholder the model wrote itself for an identifier (a de-identified summary)", () => {
    expect(leaks(makeTrace({ domain: "healthcare", output }))).toEqual([]);
  });

  it("counts the placeholders of the types its redacted sources recorded", () => {
    const trace = makeTrace({ domain: "healthcare", output });
    const sources: RedactionRecord[] = [
      { type: "ssn", field: "attributes.aegis.output", start: 0, end: 11 },
      { type: "email", field: "attributes.aegis.output", start: 20, end: 35 },
      { type: "email", field: "events[0].body", start: 3, end: 9 },
    ];
    const records = sourceRedactionRecords(trace, sources);
    // [NAME] had no source record; the untyped [REDACTED] takes the sources' most common type.
    expect(records).toEqual([
      { type: "ssn", field: "output", start: 20, end: 34 },
      { type: "email", field: "output", start: 42, end: 49 },
      { type: "email", field: "output", start: 56, end: 66 },
    ]);
    const issues = leaks(trace, records);
    expect(issues.map((i) => i.evidence?.excerpt)).toEqual(["[SSN]", "[EMAIL]", "[EMAIL]"]);
    expect(issues[0]?.message).toMatch(/1 ssn, 2 email/);
    expect(issues[0]?.severity).toBe("critical");
  });

  it("records nothing when its sources recorded nothing", () => {
    expect(sourceRedactionRecords(makeTrace({ output }), [])).toEqual([]);
  });

  it("reports the records, not the placeholders, of an output redacted at ingestion", async () => {
    const trace = makeTrace({ domain: "healthcare", output: "Write to ana@example.com or [EMAIL] later." });
    const { trace: redacted, redactions } = await redactTrace(trace, "mask", "k");
    expect(leaks(redacted, redactions).map((i) => i.evidence)).toEqual([
      { field: "output", start: 9, end: 24, excerpt: "[EMAIL]" },
    ]);
  });

  it("keeps a rule's type filter", () => {
    const rule = {
      id: "test.ssn_only",
      kind: "phi",
      severity: "high",
      description: "SSN in the answer",
      target: "output",
      types: ["ssn"],
    } as unknown as RuleOfKind<"phi">;
    const meta = { id: rule.id, module: "test", severity: "high" as const, description: "", message: "SSN" };
    const compiled = compilePhiRule(rule, meta);
    const trace = makeTrace({ output });
    const out: EvalIssue[] = [];
    const records = sourceRedactionRecords(trace, [
      { type: "ssn", field: "x", start: 0, end: 1 },
      { type: "email", field: "x", start: 0, end: 1 },
      { type: "email", field: "y", start: 0, end: 1 },
    ]);
    compiled.evaluate(new TraceView(trace, records), out);
    expect(out.map((issue) => issue.evidence?.excerpt)).toEqual(["[SSN]"]);
  });

  it("reads placeholders as phiPlaceholder and the pseudonyms write them", () => {
    const text = "a [IP] b [CARD:00ff00ff] c [REDACTED] d [EMAIL] (2) [Email] [SSN:00FF00FF]";
    const at = (placeholder: string) => ({
      start: text.indexOf(placeholder),
      end: text.indexOf(placeholder) + placeholder.length,
      text: placeholder,
    });
    expect(redactionPlaceholders(text)).toEqual([
      { type: "ip", ...at("[IP]") },
      { type: "card", ...at("[CARD:00ff00ff]") },
      { type: null, ...at("[REDACTED]") },
      { type: "email", ...at("[EMAIL]") },
    ]);
  });
});

/** Deterministic pseudo-random hex (xorshift), so a failure reproduces. */
function hexStream(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return (chars: number) => {
    let out = "";
    while (out.length < chars) out += next().toString(16).padStart(8, "0");
    return out.slice(0, chars);
  };
}

describe("hex and UUID identifiers are never PHI (review item 9)", () => {
  const otelId = "4111111111111111abcdefabcdefabcd";
  const uuid = "41111111-1111-1111-1111-abcdefabcdef";

  it("are detected as card numbers in free text, but kept in identifier fields", async () => {
    expect(detectPhi(otelId).map((m) => m.type)).toEqual(["card"]);
    expect(detectPhi(uuid).map((m) => m.type)).toEqual(["card"]);
    const trace = makeTrace({
      id: otelId,
      session_id: uuid,
      user_id: otelId.toUpperCase(),
      application_id: uuid,
      model: otelId,
    });
    const { trace: redacted, redactions } = await redactTrace(trace, "mask", "k");
    expect(redacted).toEqual(trace);
    expect(redactions).toEqual([]);
    expect(await storedIdentifier(otelId, "k")).toBe(otelId);
    expect(await storedIdentifier(uuid, "k")).toBe(uuid);
  });

  it("keeps no random OTel trace id or UUID from being tokenized (0.17% and 0.22% were)", async () => {
    const hex = hexStream(20261204);
    const ids: string[] = [];
    for (let i = 0; i < 5_000; i += 1) {
      ids.push(hex(32));
      const u = hex(32);
      ids.push(`${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`);
    }
    expect(ids.filter((id) => detectPhi(id).length > 0).length).toBeGreaterThan(0);
    const tokenized = [];
    for (const id of ids) if ((await storedIdentifier(id, "k")) !== id) tokenized.push(id);
    expect(tokenized).toEqual([]);
  });

  it("still tokenizes identifiers that hold PHI, a bare card number among them", async () => {
    for (const raw of ["4111111111111111", "john@example.com", "123-45-6789", "4111-1111-1111-1111"]) {
      expect(isRandomIdentifier(raw)).toBe(false);
      expect(await storedIdentifier(raw, "k")).toMatch(/^phi_[0-9a-f]{24}$/);
    }
  });

  it("gives a span's identifier attributes the same treatment as the trace's fields", async () => {
    const span = {
      name: "chat",
      statusMessage: null,
      attributes: { "session.id": otelId, "user.id": "ann@example.com" },
      events: [],
      resource: {},
    };
    const { value } = await redactSpan(span, "redact", "k");
    expect(value.attributes["session.id"]).toBe(otelId);
    expect(value.attributes["user.id"]).toBe(await storedIdentifier("ann@example.com", "k"));
  });
});

describe("redaction records are bounded (review item 10)", () => {
  it("keeps the first records and counts the rest per type", async () => {
    const ssn = Array.from({ length: 5_000 }, (_, i) => 100_000_000 + i);
    const metadata = { ssn, contact: ["a@example.com", "b@example.com"] };
    const { trace: redacted, redactions } = await redactTrace(makeTrace({ metadata }), "mask", "k");
    expect(redacted.metadata?.ssn).toEqual(ssn.map(() => "[SSN]"));
    expect(redactions).toHaveLength(MAX_REDACTION_RECORDS + 2);
    expect(redactions[0]).toEqual({ type: "ssn", field: "metadata.ssn[0]", start: 0, end: 9 });
    expect(redactions.slice(MAX_REDACTION_RECORDS)).toEqual([
      { type: "ssn", field: OMITTED_REDACTIONS, start: 0, end: 0, omitted: 4_000 },
      { type: "email", field: OMITTED_REDACTIONS, start: 0, end: 0, omitted: 2 },
    ]);
  });

  it("bounds the paths the records name, however long the keys", async () => {
    const key = `${"k".repeat(50_000)} ann@example.com`;
    const metadata = { [key]: { ssn: [1, 2, 3, 4, 5] } };
    const { redactions } = await redactTrace(makeTrace({ metadata }), "mask", "k");
    expect(JSON.stringify(redactions).length).toBeLessThan(200_000);
    const omitted = redactions.reduce((sum, r) => sum + (r.omitted ?? 0), 0);
    expect(redactions.filter((r) => r.omitted === undefined).length + omitted).toBe(6);
  });

  it("leaves a trace with few identifiers with all its records and no summary", async () => {
    const { redactions } = await redactTrace(makeTrace({ output: "Mail ann@example.com" }), "mask", "k");
    expect(redactions).toEqual([{ type: "email", field: "output", start: 5, end: 20 }]);
  });
});

describe("identifier keys (review item 11)", () => {
  it("removes mobile, cell, telephone and ip values whole, as before", async () => {
    const context = {
      mobile: "5551234",
      cell: "5559876",
      telephone: 5550000,
      ip: "localhost-7",
      Mobile_Phone: "x",
    };
    const { trace: redacted } = await redactTrace(makeTrace({ context }), "mask", "k");
    expect(redacted.context).toEqual({
      mobile: "[PHONE]",
      cell: "[PHONE]",
      telephone: "[PHONE]",
      ip: "[IP]",
      Mobile_Phone: "[PHONE]",
    });
  });

  it("removes keys nested under an identifier key whole", async () => {
    const metadata = { patient_name: { "John Smith": true }, ssn: { "123456789": 1 } };
    const { trace: redacted, redactions } = await redactTrace(makeTrace({ metadata }), "mask", "k");
    expect(redacted.metadata).toEqual({ patient_name: { "[NAME]": true }, ssn: { "[SSN]": "[SSN]" } });
    expect(JSON.stringify(redacted)).not.toMatch(/John|123456789/);
    expect(redactions.map((r) => `${r.type} ${r.field}`)).toEqual([
      "name metadata.patient_name#key",
      "ssn metadata.ssn#key",
      "ssn metadata.ssn.[SSN]",
    ]);
  });

  it("treats aegis.metadata.* and aegis.context span attributes as a trace's metadata and context", async () => {
    const span = {
      name: "chat",
      statusMessage: null,
      attributes: {
        "aegis.metadata.name": "John Smith",
        "aegis.context": JSON.stringify({ name: "Ann Lee", patient: { name: "Bob Stone", age: 54 } }),
        "aegis.metadata": { name: "Eve Adams" },
        "aegis.context.patient": { name: "Dan Ray" },
        "gen_ai.agent.name": "triage",
      },
      events: [],
      resource: { "aegis.metadata.username": "jsmith" },
    };
    const { value } = await redactSpan(span, "mask", "k");
    expect(value.attributes).toEqual({
      "aegis.metadata.name": "[NAME]",
      "aegis.context": JSON.stringify({ name: "[NAME]", patient: { name: "[NAME]", age: 54 } }),
      "aegis.metadata": { name: "[NAME]" },
      "aegis.context.patient": { name: "[NAME]" },
      // Not a person's name: a span's own attributes keep their `name` keys.
      "gen_ai.agent.name": "triage",
    });
    expect(value.resource).toEqual({ "aegis.metadata.username": "[NAME]" });
  });
});

describe("hot path (review item 21)", () => {
  const trace = makeTrace({
    input: `${"Long question about the dose. ".repeat(3_000)} Reach me at ann@example.com.`,
    output: "Sent to ann@example.com and bob@example.com.",
  });

  it("computes no identifier HMAC for texts that are not identifier fields", async () => {
    const sign = vi.spyOn(crypto.subtle, "sign");
    try {
      await redactTrace(trace, "mask", "k");
      expect(sign).not.toHaveBeenCalled();
      await redactTrace(trace, "pseudonymize", "k");
      // One pseudonym per distinct identifier: ann@ and bob@.
      expect(sign).toHaveBeenCalledTimes(2);
      sign.mockClear();
      await redactTrace({ ...trace, id: "ann@example.com" }, "mask", "k");
      expect(sign).toHaveBeenCalledTimes(1);
    } finally {
      sign.mockRestore();
    }
  });

  it("stores an identifier field as storedIdentifier says lookups will find it", async () => {
    for (const raw of ["ann@example.com", "4111111111111111abcdefabcdefabcd", "plain-id-42", "123-45-6789"]) {
      for (const mode of ["mask", "pseudonymize", "redact"] as const) {
        const { trace: redacted } = await redactTrace(makeTrace({ id: raw, session_id: raw }), mode, "s");
        expect(redacted.id).toBe(await storedIdentifier(raw, "s"));
        expect(redacted.session_id).toBe(redacted.id);
      }
    }
  });

  it("formats paths from src/lib, as the API and the pack compiler name fields", () => {
    expect(formatPath(["rules", 3, "patterns", 0])).toBe("rules[3].patterns[0]");
    expect(formatPath([0, "input"])).toBe("[0].input");
    expect(formatPath([])).toBe("");
  });
});

describe("phi.leak counts only what the answer discloses", () => {
  const leaks = (fields: Partial<TraceInput>) =>
    evaluateTier1(makeTrace(fields)).issues.filter((issue) => issue.rule === "phi.leak").length;

  it.each([
    ["10.0.4.17", 0],
    ["127.0.0.1", 0],
    ["192.168.0.50", 0],
    ["172.20.1.9", 0],
    ["169.254.3.3", 0],
    ["172.40.1.9", 1],
    ["203.0.113.77", 1],
    ["8.8.4.4", 1],
  ])("an address %s in the answer is a leak %i times", (address, expected) => {
    expect(leaks({ output: `The controller answers on ${address} port 30002 once it is powered.` })).toBe(
      expected,
    );
  });

  it.each([
    [
      "a client's name",
      "Draft a note to Mr. Alvarez about his rebalancing.",
      "Dear Mr. Alvarez, your portfolio",
    ],
    ["a phone number", "Put my number 415-555-0132 at the bottom.", "Call me on 415-555-0132 any time."],
    ["an e-mail", "Reply to j.smith@mail.example.com for me.", "I wrote to j.smith@mail.example.com today."],
  ])("%s the requester wrote in the request is no leak", (_name, input, output) => {
    expect(leaks({ input, output })).toBe(0);
  });

  it.each<[string, Partial<TraceInput>]>([
    ["from the context", { context: { patient: { name: "Mrs. Alvarez", mrn: "MRN 00482913" } } }],
    ["from a document", { retrieved_contexts: [{ content: "Patient: Mrs. Alvarez, MRN 00482913." }] }],
  ])("an identifier the answer copies %s is a leak", (_name, fields) => {
    expect(
      leaks({
        input: "Summarise the record.",
        output: "Mrs. Alvarez (MRN 00482913) is improving.",
        ...fields,
      }),
    ).toBeGreaterThan(0);
  });
});
