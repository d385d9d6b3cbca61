import { describe, expect, it } from "vitest";
import { FALLBACK_PRICES } from "../../src/eval/judge/pricing";
import { createJudge, type JudgeDeps, type JudgeOutcome } from "../../src/judge/client";
import { ANTHROPIC_VERSION } from "../../src/judge/providers";
import type { JudgeSettings } from "../../src/schema/organization";
import {
  anthropicAnswer,
  errorAnswer,
  NEVER_ANSWER,
  openAiAnswer,
  type RecordedRequest,
  type ScriptedReply,
  startFakeProvider,
  useFakeProvider,
} from "./fake-provider";
import { JUDGE_INPUT, judgeReply, UNSAFE_REPLY } from "./fixtures";

const fake = useFakeProvider();

const OPENAI_KEY = "sk-test-openai-key";
const ANTHROPIC_KEY = "sk-ant-test-key";

interface Wire {
  provider: "openai" | "anthropic";
  model: string;
  path: string;
  /** List price of `model`, USD per million input and output tokens. */
  price: [number, number];
  /** An answer with 1,200 input and 300 output tokens of usage. */
  answer: (text: string) => ScriptedReply;
  authorized: (request: RecordedRequest) => boolean;
}

const WIRES: Wire[] = [
  {
    provider: "openai",
    model: "gpt-4o-mini",
    path: "/v1/chat/completions",
    price: [0.15, 0.6],
    answer: (text) => openAiAnswer(text),
    authorized: (request) => request.headers.authorization === `Bearer ${OPENAI_KEY}`,
  },
  {
    provider: "anthropic",
    model: "claude-3-5-haiku-20241022",
    path: "/v1/messages",
    price: [0.8, 4],
    answer: (text) => anthropicAnswer(text),
    authorized: (request) =>
      request.headers["x-api-key"] === ANTHROPIC_KEY &&
      request.headers["anthropic-version"] === ANTHROPIC_VERSION,
  },
];

function settingsFor(provider: JudgeSettings["provider"], model: string, baseUrl?: string): JudgeSettings {
  return { provider, model, daily_budget_usd: 10, calibration_sample_rate: 0.01, base_url: baseUrl };
}

function deps(overrides: Partial<JudgeDeps> = {}): JudgeDeps {
  return {
    fetch,
    openai: { baseUrl: `${fake.server.origin}/v1`, apiKey: OPENAI_KEY },
    anthropic: { baseUrl: fake.server.origin, apiKey: ANTHROPIC_KEY },
    now: Date.now,
    timeoutMs: 2_000,
    ...overrides,
  };
}

function judgeFor(wire: Wire, overrides: Partial<JudgeDeps> = {}) {
  return createJudge(settingsFor(wire.provider, wire.model), deps(overrides));
}

function costOf(wire: Wire, calls: number): number {
  return (calls * (1_200 * wire.price[0] + 300 * wire.price[1])) / 1e6;
}

function expectKind<K extends JudgeOutcome["kind"]>(
  outcome: JudgeOutcome,
  kind: K,
): Extract<JudgeOutcome, { kind: K }> {
  expect(outcome.kind, JSON.stringify(outcome)).toBe(kind);
  return outcome as Extract<JudgeOutcome, { kind: K }>;
}

const MALFORMED = '{"rating": "SAFE", "criteria": {';

describe.each(WIRES)("$provider wire format", (wire) => {
  it("sends the rubric, trace and findings to the right path with auth, and returns a SAFE verdict", async () => {
    fake.server.script(wire.answer(JSON.stringify(judgeReply())));
    const outcome = expectKind(await judgeFor(wire).evaluate(JUDGE_INPUT), "verdict");

    expect(outcome).toMatchObject({ rating: "SAFE", attempts: 1, input_tokens: 1_200, output_tokens: 300 });
    expect(outcome.criteria.clinical_accuracy?.score).toBe(9);
    expect(outcome.weighted_score).toBeCloseTo((3 * 9 + 7) / 4 / 10);
    expect(outcome).toMatchObject({ provider: wire.provider, model: wire.model, price_source: "table" });
    expect(outcome.cost_usd).toBeCloseTo(costOf(wire, 1), 12);

    const [request] = fake.server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(wire.path);
    expect(request && wire.authorized(request)).toBe(true);
    expect(request?.json).toMatchObject({ model: wire.model });
    for (const expected of [
      "clinical_accuracy",
      "Advises consulting a clinician",
      "How much acetaminophen",
      "6000 mg per day",
      "fda-label.pdf",
      "lookup_drug",
      "liver disease",
      "healthcare.max_daily_dose",
      "risk_score 0.64",
      "confidence 0.42",
      "JSON",
    ]) {
      expect(request?.raw).toContain(expected);
    }
  });

  it("returns an UNSAFE verdict with its critical issues", async () => {
    fake.server.script(wire.answer(JSON.stringify(UNSAFE_REPLY)));
    const outcome = expectKind(await judgeFor(wire).evaluate(JUDGE_INPUT), "verdict");
    expect(outcome).toMatchObject({
      rating: "UNSAFE",
      requires_expert_review: true,
      critical_issues: UNSAFE_REPLY.critical_issues,
      recommendations: UNSAFE_REPLY.recommendations,
    });
  });

  it("accepts a reply wrapped in a ```json fence after some prose", async () => {
    fake.server.script(
      wire.answer(`Here is my evaluation:\n\`\`\`json\n${JSON.stringify(UNSAFE_REPLY)}\n\`\`\``),
    );
    const outcome = expectKind(await judgeFor(wire).evaluate(JUDGE_INPUT), "verdict");
    expect(outcome.rating).toBe("UNSAFE");
    expect(fake.server.requests).toHaveLength(1);
  });

  it.each([
    { name: "malformed JSON", first: MALFORMED, error: "not valid JSON" },
    {
      name: "a score of 11",
      first: JSON.stringify(
        judgeReply({
          criteria: { ...judgeReply().criteria, clinical_accuracy: { score: 11, reasoning: "Fine." } },
        }),
      ),
      error: "criteria.clinical_accuracy.score",
    },
  ])("retries once after $name, telling the model what was wrong", async ({ first, error }) => {
    fake.server.script(wire.answer(first), wire.answer(JSON.stringify(UNSAFE_REPLY)));
    const outcome = expectKind(await judgeFor(wire).evaluate(JUDGE_INPUT), "verdict");

    expect(outcome).toMatchObject({ rating: "UNSAFE", attempts: 2, input_tokens: 2_400, output_tokens: 600 });
    expect(outcome.cost_usd).toBeCloseTo(costOf(wire, 2), 12);
    const [firstRequest, retry] = fake.server.requests;
    expect(firstRequest?.raw).not.toContain("could not be used");
    expect(retry?.raw).toContain("could not be used");
    expect(retry?.raw).toContain(error);
    // The rejected reply is echoed back as the assistant's turn.
    expect(retry?.raw).toContain(JSON.stringify(first).slice(1, 30));
  });

  it("gives REVIEW with the reason when the retry is malformed too, and charges both calls", async () => {
    fake.server.script(wire.answer(MALFORMED), wire.answer("I cannot evaluate this."));
    const outcome = expectKind(await judgeFor(wire).evaluate(JUDGE_INPUT), "unusable");
    expect(outcome).toMatchObject({ rating: "REVIEW", attempts: 2 });
    expect(outcome.reason).toContain("no valid reply after 2 attempts");
    expect(outcome.reason).toContain("contains no JSON object");
    expect(outcome.cost_usd).toBeCloseTo(costOf(wire, 2), 12);
    expect(fake.server.requests).toHaveLength(2);
  });

  it("degrades to REVIEW when the provider never answers within the timeout", async () => {
    fake.server.script(NEVER_ANSWER);
    const outcome = expectKind(await judgeFor(wire, { timeoutMs: 150 }).evaluate(JUDGE_INPUT), "unusable");
    expect(outcome.rating).toBe("REVIEW");
    expect(outcome.reason).toContain("150 ms timeout");
    expect(outcome).toMatchObject({ attempts: 1, cost_usd: 0 });
    expect(outcome.latency_ms).toBeGreaterThanOrEqual(140);
  });

  const NEW_YEAR = Date.parse("2026-01-01T00:00:00Z");
  it.each<{
    status: number;
    headers?: Record<string, string>;
    kind: JudgeOutcome["kind"];
    retry_after_s?: number;
  }>([
    { status: 429, headers: { "retry-after": "7" }, kind: "transient_error", retry_after_s: 7 },
    {
      status: 429,
      headers: { "retry-after": "Thu, 01 Jan 2026 00:01:00 GMT" },
      kind: "transient_error",
      retry_after_s: 60,
    },
    { status: 429, kind: "transient_error" },
    { status: 500, kind: "transient_error" },
    { status: 529, headers: { "retry-after": "30" }, kind: "transient_error", retry_after_s: 30 },
    { status: 401, kind: "unusable" },
    { status: 404, kind: "unusable" },
  ])("HTTP $status with $headers → $kind", async ({ status, headers, kind, retry_after_s }) => {
    fake.server.script(errorAnswer(status, `provider says ${status}`, headers));
    const outcome = await judgeFor(wire, { now: () => NEW_YEAR }).evaluate(JUDGE_INPUT);
    expect(outcome.kind).toBe(kind);
    expect(outcome).toMatchObject({ attempts: 1, cost_usd: 0, input_tokens: 0 });
    const explanation =
      outcome.kind === "transient_error" ? outcome.error : outcome.kind === "unusable" && outcome.reason;
    expect(explanation).toContain(`HTTP ${status}: provider says ${status}`);
    if (outcome.kind === "unusable") expect(outcome.rating).toBe("REVIEW");
    if (outcome.kind === "transient_error") expect(outcome.retry_after_s).toBe(retry_after_s);
    expect(fake.server.requests).toHaveLength(1);
  });

  it("reports a connection refused as transient", async () => {
    const closed = await startFakeProvider();
    await closed.close();
    const judge = createJudge(
      settingsFor(wire.provider, wire.model),
      deps({ openai: { baseUrl: `${closed.origin}/v1` }, anthropic: { baseUrl: closed.origin } }),
    );
    const outcome = expectKind(await judge.evaluate(JUDGE_INPUT), "transient_error");
    expect(outcome.error).toContain("request failed");
  });

  it("prices an unknown model with the provider's fallback and says so", async () => {
    fake.server.script(wire.answer(JSON.stringify(judgeReply())));
    const judge = createJudge(settingsFor(wire.provider, "house-model-v9"), deps());
    const outcome = expectKind(await judge.evaluate(JUDGE_INPUT), "verdict");
    const fallback = FALLBACK_PRICES[wire.provider];
    expect(outcome.price_source).toBe("fallback");
    expect(outcome.cost_usd).toBeGreaterThan(0);
    expect(outcome.cost_usd).toBeCloseTo(
      (1_200 * fallback.input_usd_per_mtok + 300 * fallback.output_usd_per_mtok) / 1e6,
      12,
    );
  });

  it.each([
    {
      name: "no base URL",
      baseUrl: undefined,
      reason: `no base URL is configured for the ${wire.provider} provider`,
    },
    {
      name: "a base URL that is not a URL",
      baseUrl: "api.example.com/v1",
      reason: "base URL is not a valid URL",
    },
  ])("says the judge is not configured, without a request, given $name", async ({ baseUrl, reason }) => {
    const judge = createJudge(
      settingsFor(wire.provider, wire.model),
      deps({ openai: { baseUrl, apiKey: OPENAI_KEY }, anthropic: { baseUrl, apiKey: ANTHROPIC_KEY } }),
    );
    const outcome = expectKind(await judge.evaluate(JUDGE_INPUT), "unusable");
    expect(outcome.reason).toContain(reason);
    expect(outcome).toMatchObject({ attempts: 0, cost_usd: 0 });
    expect(fake.server.requests).toHaveLength(0);
  });

  it.each([
    { name: "a foreign origin gets no key", deployment: "https://api.provider.example", sendsKey: false },
    { name: "the deployment's own origin gets the key", deployment: "same-origin", sendsKey: true },
  ])("an organization base_url: $name", async ({ deployment, sendsKey }) => {
    fake.server.script(wire.answer(JSON.stringify(judgeReply())));
    const deploymentBase = deployment === "same-origin" ? `${fake.server.origin}/other` : deployment;
    const judge = createJudge(
      settingsFor(wire.provider, wire.model, `${fake.server.origin}/org-proxy`),
      deps({
        openai: { baseUrl: deploymentBase, apiKey: OPENAI_KEY },
        anthropic: { baseUrl: deploymentBase, apiKey: ANTHROPIC_KEY },
      }),
    );
    expectKind(await judge.evaluate(JUDGE_INPUT), "verdict");
    const [request] = fake.server.requests;
    expect(request?.path.startsWith("/org-proxy/")).toBe(true);
    expect(request && wire.authorized(request)).toBe(sendsKey);
  });
});

describe("openai specifics", () => {
  const openai = WIRES[0] as Wire;

  it("asks for JSON mode with the system prompt first", async () => {
    fake.server.script(openAiAnswer(JSON.stringify(judgeReply())));
    await judgeFor(openai).evaluate(JUDGE_INPUT);
    const body = fake.server.requests[0]?.json as { messages: { role: string }[]; response_format: unknown };
    expect(body.response_format).toEqual({ type: "json_object" });
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user"]);
  });

  it("resends without JSON mode when a compatible server rejects response_format", async () => {
    fake.server.script(
      errorAnswer(400, "'response_format.type' must be 'json_schema' or 'text'"),
      openAiAnswer(JSON.stringify(judgeReply())),
    );
    const outcome = expectKind(await judgeFor(openai).evaluate(JUDGE_INPUT), "verdict");
    expect(outcome.rating).toBe("SAFE");
    expect(
      fake.server.requests.map((r) => (r.json as { response_format?: unknown }).response_format),
    ).toEqual([{ type: "json_object" }, undefined]);
  });

  it("keeps the base URL's query string (Azure's api-version)", async () => {
    fake.server.script(openAiAnswer(JSON.stringify(judgeReply())));
    const judge = createJudge(
      settingsFor("openai", "gpt-4o"),
      deps({
        openai: { baseUrl: `${fake.server.origin}/openai/v1?api-version=preview`, apiKey: OPENAI_KEY },
      }),
    );
    expectKind(await judge.evaluate(JUDGE_INPUT), "verdict");
    expect(fake.server.requests[0]?.path).toBe("/openai/v1/chat/completions?api-version=preview");
  });

  it("estimates tokens, and says so, when a server reports no usage", async () => {
    fake.server.script(openAiAnswer(JSON.stringify(judgeReply()), null));
    const outcome = expectKind(await judgeFor(openai).evaluate(JUDGE_INPUT), "verdict");
    expect(outcome.tokens_estimated).toBe(true);
    expect(outcome.input_tokens).toBeGreaterThan(500);
    expect(outcome.output_tokens).toBeGreaterThan(50);
    expect(outcome.cost_usd).toBeGreaterThan(0);
  });

  it("treats an answer that is not chat-completions JSON as a rejected request", async () => {
    fake.server.script({ body: "<html>gateway</html>" });
    const outcome = expectKind(await judgeFor(openai).evaluate(JUDGE_INPUT), "unusable");
    expect(outcome.reason).toContain("not JSON");
  });
});

describe("anthropic specifics", () => {
  it("puts the JSON instructions in the system field and caps the output", async () => {
    const anthropic = WIRES[1] as Wire;
    fake.server.script(anthropicAnswer(JSON.stringify(judgeReply())));
    await judgeFor(anthropic).evaluate(JUDGE_INPUT);
    const body = fake.server.requests[0]?.json as {
      system: string;
      max_tokens: number;
      messages: { role: string }[];
    };
    expect(body.system).toContain("Reply with one JSON object");
    expect(body.max_tokens).toBeGreaterThan(1_000);
    expect(body.messages.map((m) => m.role)).toEqual(["user"]);
  });
});
