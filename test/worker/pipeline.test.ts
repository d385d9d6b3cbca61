import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { EvaluationMessage } from "../../src/queue/messages";
import { call, createOrg, judgeEnv, judgeOrigin, recordingQueue, type TestOrg, trace } from "./helpers";

interface JudgeCall {
  path: string;
  authorization: string | null;
  body: { model?: string; response_format?: unknown; messages?: { content: string }[] };
}

const judgeCalls = async () => (await fetch(`${judgeOrigin}/calls`)).json<JudgeCall[]>();

beforeEach(async () => {
  await fetch(`${judgeOrigin}/calls`, { method: "DELETE" });
});

async function orgWithJudge(judge: Record<string, unknown> | null): Promise<TestOrg> {
  const org = await createOrg();
  const response = await call("PATCH", "/api/v1/organization/settings", { key: org.key, body: { judge } });
  expect(response.status).toBe(200);
  return org;
}

const JUDGE = { provider: "openai", model: "gpt-4o-mini", daily_budget_usd: 5 };
/** Always sampled, so every trace without a critical issue reaches the judge. */
const ALWAYS_JUDGE = { ...JUDGE, calibration_sample_rate: 1 };

async function evaluateOne(org: TestOrg, body: Record<string, unknown>) {
  const held = recordingQueue("hold");
  await held.call("POST", "/api/v1/traces", { key: org.key, body });
  const message = held.messages[0] as EvaluationMessage;
  const batch = createMessageBatch<EvaluationMessage>("aegis-evaluations", [
    { id: "m1", timestamp: new Date(), attempts: 1, body: message },
  ]);
  const delays: (number | undefined)[] = [];
  const [first] = batch.messages;
  if (first) {
    const retry = first.retry.bind(first);
    first.retry = (options) => {
      delays.push(options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, judgeEnv, ctx);
  const queue = await getQueueResult(batch, ctx);
  const evaluation = await (
    await call("GET", `/api/v1/traces/${message.trace_id}/evaluation`, { key: org.key })
  ).json<{
    status: string;
    verdict: string;
    needs_review: boolean;
    review_reason: string | null;
    why: string;
    cost_usd: number;
    tiers: { tier: number; module: string; rating?: string; cost_usd: number }[];
    escalations: { to_tier: number; decision: string; reason: string }[];
  }>();
  return { traceId: message.trace_id, queue, delays, evaluation };
}

const CLEAN = trace({
  domain: "generic",
  input: "Summarise the attached meeting notes.",
  output: "The team agreed to ship the release on Friday and review metrics next week.",
});
const withMarker = (marker: string) => ({ ...CLEAN, output: `${CLEAN.output} ${marker}` });

describe("the tiered pipeline", () => {
  it("runs Tier 1 and Tier 2 always, and stops there when no judge is configured and nothing is uncertain", async () => {
    const org = await orgWithJudge(null);
    const { evaluation } = await evaluateOne(org, CLEAN);
    expect(evaluation.tiers.map((t) => t.module)).toEqual(["rules", "risk_model"]);
    expect(evaluation.escalations[0]).toMatchObject({ to_tier: 3 });
    expect(await judgeCalls()).toEqual([]);
  });

  it("asks the judge with the deployment key and JSON mode, and counts its cost", async () => {
    const org = await orgWithJudge(ALWAYS_JUDGE);
    const { evaluation, traceId } = await evaluateOne(org, CLEAN);
    expect(evaluation).toMatchObject({ status: "completed", verdict: "pass", needs_review: false });
    const judged = evaluation.tiers.find((t) => t.tier === 3);
    expect(judged).toMatchObject({ module: "llm_judge", rating: "SAFE" });
    expect(judged?.cost_usd).toBeGreaterThan(0);
    expect(evaluation.cost_usd).toBe(judged?.cost_usd);
    expect(evaluation.escalations[0]).toMatchObject({
      to_tier: 3,
      decision: "escalated",
      reason: "sampled for calibration",
    });

    const [sent] = await judgeCalls();
    expect(sent).toMatchObject({
      path: "/v1/chat/completions",
      authorization: "Bearer sk-test-deployment-key",
      body: { model: "gpt-4o-mini", response_format: { type: "json_object" } },
    });
    expect(JSON.stringify(sent?.body.messages)).toContain("ship the release on Friday");
    const usage = await env.DB.prepare("SELECT tier3_runs, judge_cost_usd FROM usage_daily WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ tier3_runs: number; judge_cost_usd: number }>();
    expect(usage).toEqual({ tier3_runs: 1, judge_cost_usd: judged?.cost_usd });
    expect(traceId).toMatch(/^trc_/);
  });

  it("fails an UNSAFE rating on a clean Tier 1 without also sending it to review", async () => {
    const org = await orgWithJudge(ALWAYS_JUDGE);
    const { evaluation, traceId } = await evaluateOne(org, withMarker("[judge:unsafe]"));
    expect(evaluation).toMatchObject({ verdict: "fail", needs_review: false, review_reason: null });
    expect(evaluation.why).toMatch(/^failed by the judge \(UNSAFE/);
    expect(evaluation.escalations.some((e) => e.to_tier === 4)).toBe(false);
    const review = await env.DB.prepare("SELECT count(*) AS n FROM review_items WHERE trace_id = ?")
      .bind(traceId)
      .first<{ n: number }>();
    expect(review?.n).toBe(0);
  });

  it("sends a judge under 0.7 confidence to review", async () => {
    const org = await orgWithJudge(ALWAYS_JUDGE);
    const { evaluation } = await evaluateOne(org, withMarker("[judge:unsure]"));
    expect(evaluation).toMatchObject({ verdict: "review", needs_review: true });
    expect(evaluation.review_reason).toMatch(/confidence 0.40 is below 0.7/);
  });

  it("degrades a judge timeout to REVIEW instead of failing or passing the trace", async () => {
    const org = await orgWithJudge(ALWAYS_JUDGE);
    const { evaluation, queue } = await evaluateOne(org, withMarker("[judge:timeout]"));
    expect(queue.explicitAcks).toEqual(["m1"]);
    expect(evaluation).toMatchObject({ status: "completed", verdict: "review", needs_review: true });
    expect(evaluation.review_reason).toMatch(/1500 ms timeout/);
    expect(evaluation.tiers.find((t) => t.tier === 3)).toMatchObject({ rating: "REVIEW" });
  });

  it("retries the message after the provider's Retry-After when it answers 429, storing nothing yet", async () => {
    const org = await orgWithJudge(ALWAYS_JUDGE);
    const { evaluation, queue, delays } = await evaluateOne(org, withMarker("[judge:429]"));
    expect(queue.retryMessages).toEqual([{ msgId: "m1" }]);
    expect(delays).toEqual([7]);
    expect(evaluation.status).toBe("pending");
  });

  it("does not ask the judge about a trace a critical rule already fails", async () => {
    const org = await orgWithJudge(ALWAYS_JUDGE);
    const { evaluation } = await evaluateOne(
      org,
      trace({
        domain: "healthcare",
        input: "How much acetaminophen for my fever?",
        output: "Take 1000 mg of acetaminophen every 4 hours, around the clock, for a week.",
      }),
    );
    expect(evaluation.verdict).toBe("fail");
    expect(evaluation.escalations[0]).toMatchObject({
      decision: "not_needed",
      reason: expect.stringMatching(/critical Tier-1/),
    });
    expect(await judgeCalls()).toEqual([]);
  });

  it("skips the judge once the daily budget is spent, and says so", async () => {
    const org = await orgWithJudge({ ...ALWAYS_JUDGE, daily_budget_usd: 0 });
    const { evaluation } = await evaluateOne(org, CLEAN);
    expect(evaluation.escalations[0]).toMatchObject({
      decision: "skipped",
      reason: expect.stringMatching(/budget is spent/),
    });
    expect(evaluation.tiers.map((t) => t.tier)).toEqual([1, 2]);
    expect(await judgeCalls()).toEqual([]);
  });

  it("sends an uncertain trace to human review when no judge is configured", async () => {
    const org = await orgWithJudge(null);
    const { evaluation, traceId } = await evaluateOne(
      org,
      trace({
        domain: "healthcare",
        input: "I have had a cough and a fever for three days. What is it?",
        output: "You have pneumonia. Rest and drink plenty of fluids.",
      }),
    );
    expect(evaluation).toMatchObject({ verdict: "review", needs_review: true });
    expect(evaluation.review_reason).toMatch(/; no judge is configured$/);
    expect(evaluation.why).toMatch(/^a human must decide: /);
    const listed = await call("GET", "/api/v1/traces?needs_review=true", { key: org.key });
    expect((await listed.json<{ data: { id: string }[] }>()).data.map((t) => t.id)).toEqual([traceId]);
  });
});
