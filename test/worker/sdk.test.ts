import { exports } from "cloudflare:workers";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  Aegis,
  type Evaluation,
  type EvaluationState,
  type StoredTrace,
  type TraceInput,
  type TraceSpan,
  type TraceStatus,
} from "../../sdk/src/index";
import type { evaluationStateView, evaluationView, spanView, traceView } from "../../src/api/views";
import type { TraceStatus as ServerTraceStatus } from "../../src/db/schema";
import { agentRun, otlpBody, recordSpans } from "../support/otel";
import { BASE, call, createOrg, type TestOrg } from "./helpers";

const trace = (extra: Partial<TraceInput> = {}): TraceInput => ({
  domain: "healthcare",
  input: "What is a safe dose of ibuprofen for a headache?",
  output: "For adults, 200-400 mg every 4 to 6 hours, up to 1,200 mg a day without a prescription.",
  ...extra,
});

/** The SDK in the Workers runtime, calling the Worker itself as its fetch. */
const sdkFor = (org: TestOrg) =>
  new Aegis({
    apiKey: org.key,
    baseUrl: BASE,
    fetch: (input, init) => exports.default.fetch(new Request(input, init)),
  });

describe("the SDK against the Worker", () => {
  it("creates, reads and evaluates traces through the real queue", async () => {
    const aegis = sdkFor(await createOrg());
    const created = await aegis.traces.create(trace({ id: "sdk-1" }));
    expect(created).toMatchObject({ client_id: "sdk-1", status: "queued", created: true });
    expect(await aegis.traces.create(trace({ id: "sdk-1" }))).toMatchObject({
      id: created.id,
      created: false,
    });
    expect(await aegis.traces.get("sdk-1")).toMatchObject({
      id: created.id,
      domain: "healthcare",
      spans: [],
    });

    const verdict = await aegis.evaluate(
      trace({ output: "Take 1000 mg of acetaminophen every 4 hours, day and night, until the pain stops." }),
      { timeoutSeconds: 20 },
    );
    expect(verdict).toMatchObject({ status: "completed", verdict: "fail" });
  });

  it("reports each invalid item of a batch with its index and field", async () => {
    const aegis = sdkFor(await createOrg());
    const { results, failed } = await aegis.traces.createMany([trace(), trace({ input: " " }), trace()]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(failed[0]?.error.errors).toEqual([{ path: "traces[1].input", message: "must not be blank" }]);
  });

  it("reads an OTLP trace with its spans and its evaluation", async () => {
    const org = await createOrg();
    const spans = recordSpans(agentRun(), { "aegis.domain": "healthcare" });
    await call("POST", "/otlp/v1/traces", {
      key: org.key,
      rawBody: otlpBody(spans, "protobuf"),
      headers: { "Content-Type": "application/x-protobuf" },
    });
    const aegis = sdkFor(org);
    const traceId = spans[0]?.spanContext().traceId ?? "";
    const evaluation = await aegis.evaluations.get(traceId, { wait: 20 });
    expect(evaluation).toMatchObject({ status: "completed", verdict: "fail" });
    const stored = await aegis.traces.get(traceId);
    expect(stored.spans.map((s) => s.kind)).toEqual(["internal", "internal", "internal"]);
    expect(stored.evaluation?.issues.map((i) => i.rule)).toContain("healthcare.medication_overdose");
  });

  it("declares the shapes the server answers with", () => {
    expectTypeOf<TraceStatus>().toEqualTypeOf<ServerTraceStatus>();
    expectTypeOf<ReturnType<typeof evaluationView>>().toExtend<Evaluation>();
    expectTypeOf<ReturnType<typeof evaluationStateView>>().toExtend<EvaluationState>();
    expectTypeOf<ReturnType<typeof spanView>>().toExtend<TraceSpan>();
    // `domain` is always set (routed at ingestion) though the row-to-input type leaves it optional.
    expectTypeOf<Omit<ReturnType<typeof traceView>, "evaluation" | "domain">>().toExtend<
      Omit<StoredTrace, "evaluation" | "spans" | "domain">
    >();
  });
});
