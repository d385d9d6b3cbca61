import { describe, expect, it } from "vitest";
import { createJudge, MAX_JUDGE_CALLS_IN_FLIGHT } from "../../src/judge/client";
import { Semaphore } from "../../src/judge/semaphore";
import { anthropicAnswer, openAiAnswer, type Step, useFakeProvider } from "./fake-provider";
import { JUDGE_INPUT, judgeReply } from "./fixtures";

const fake = useFakeProvider();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("calls in flight", () => {
  it("sends at most five at once across all judges of the isolate; the sixth waits for a free slot", async () => {
    const deps = {
      fetch,
      openai: { baseUrl: `${fake.server.origin}/v1`, apiKey: "sk-test" },
      anthropic: { baseUrl: fake.server.origin, apiKey: "sk-ant-test" },
      now: Date.now,
    };
    const base = { daily_budget_usd: 10, calibration_sample_rate: 0 };
    const openai = createJudge({ ...base, provider: "openai", model: "gpt-4o-mini" }, deps);
    const anthropic = createJudge({ ...base, provider: "anthropic", model: "claude-3-5-haiku-latest" }, deps);

    // The server holds every request until the test opens its gate (gates are in arrival order), then
    // answers in the wire format of the path it was sent to.
    const reply = JSON.stringify(judgeReply());
    const gates: (() => void)[] = [];
    const heldAnswer: Step = (request) =>
      new Promise((answer) => {
        gates.push(() =>
          answer(request.path.endsWith("/messages") ? anthropicAnswer(reply) : openAiAnswer(reply)),
        );
      });
    fake.server.script(...Array.from({ length: 6 }, () => heldAnswer));

    const outcomes = Promise.all(
      [openai, anthropic, openai, anthropic, openai, anthropic].map((judge) => judge.evaluate(JUDGE_INPUT)),
    );

    await fake.server.waitForRequests(MAX_JUDGE_CALLS_IN_FLIGHT);
    await sleep(200);
    expect(fake.server.requests).toHaveLength(5);

    gates[0]?.();
    await fake.server.waitForRequests(6);
    expect(fake.server.requests).toHaveLength(6);

    for (const open of gates.slice(1)) open();
    const results = await outcomes;
    expect(results.map((r) => r.kind)).toEqual(Array(6).fill("verdict"));
    expect(new Set(fake.server.requests.map((r) => r.path))).toEqual(
      new Set(["/v1/chat/completions", "/v1/messages"]),
    );
  });
});

describe("Semaphore", () => {
  it("frees the slot of a task that throws, and serves waiters in arrival order", async () => {
    const slots = new Semaphore(1);
    const order: string[] = [];
    const failing = slots.run(async () => {
      await sleep(10);
      throw new Error("boom");
    });
    const first = slots.run(async () => order.push("first"));
    const second = slots.run(async () => order.push("second"));
    await expect(failing).rejects.toThrow("boom");
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
  });
});

describe("a deadline for starting calls", () => {
  it.each([
    { startBy: -1, kind: "transient_error", sent: 0 },
    { startBy: 60_000, kind: "verdict", sent: 1 },
  ])("with startBy now%+d ms: $kind, $sent request(s) sent", async ({ startBy, kind, sent }) => {
    fake.server.script(openAiAnswer(JSON.stringify(judgeReply())));
    const judge = createJudge(
      { daily_budget_usd: 10, calibration_sample_rate: 0, provider: "openai", model: "gpt-4o-mini" },
      {
        fetch,
        openai: { baseUrl: `${fake.server.origin}/v1`, apiKey: "sk-test" },
        anthropic: {},
        now: Date.now,
        startBy: Date.now() + startBy,
      },
    );
    const outcome = await judge.evaluate(JUDGE_INPUT);
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === "transient_error") expect(outcome.error).toMatch(/no time was left/);
    expect(fake.server.requests).toHaveLength(sent);
  });
});
