// The judge posts trace content to an organization's own base URL: what it must never be talked
// into calling instead (a redirect to an internal host), and how it treats a resolver it cannot ask.
import { describe, expect, it } from "vitest";
import { checkJudgeAddress, judgeAddressProblem } from "../../src/judge/address";
import { createJudge, type JudgeDeps } from "../../src/judge/client";
import type { JudgeSettings } from "../../src/schema/organization";
import { openAiAnswer, startFakeProvider } from "./fake-provider";
import { JUDGE_INPUT, judgeReply } from "./fixtures";

const settings = (baseUrl: string): JudgeSettings => ({
  provider: "openai",
  model: "gpt-4o-mini",
  daily_budget_usd: 10,
  calibration_sample_rate: 0.01,
  base_url: baseUrl,
});

const deps = (overrides: Partial<JudgeDeps> = {}): JudgeDeps => ({
  fetch,
  openai: { apiKey: "sk-test" },
  anthropic: {},
  now: Date.now,
  timeoutMs: 2_000,
  ...overrides,
});

describe("the judge's provider calls", () => {
  it.each([301, 302, 303, 307, 308])(
    "do not follow a %i redirect: the call fails for good, naming it, and the target hears nothing",
    async (status) => {
      const internal = await startFakeProvider();
      const redirecting = await startFakeProvider();
      try {
        internal.script(openAiAnswer(JSON.stringify(judgeReply())));
        redirecting.script({
          status,
          headers: { location: `${internal.origin}/v1/chat/completions` },
          body: "",
        });
        const outcome = await createJudge(settings(`${redirecting.origin}/v1`), deps()).evaluate(JUDGE_INPUT);
        expect(outcome.kind).toBe("unusable");
        expect(outcome.kind === "unusable" && outcome.reason).toMatch(
          new RegExp(`redirect \\(HTTP ${status} to ${internal.origin}/v1/chat/completions\\)`),
        );
        expect(redirecting.requests).toHaveLength(1);
        expect(internal.requests).toHaveLength(0);
      } finally {
        await internal.close();
        await redirecting.close();
      }
    },
  );

  it("treat a resolver that cannot be asked as transient: the message is retried, not sent to review", async () => {
    const policy = {
      allowPrivate: false,
      resolve: async () => {
        throw new Error("the DNS resolver answered 503");
      },
    };
    expect(await checkJudgeAddress("https://judge.example.com/v1", policy)).toEqual({
      problem: "could not be resolved (the DNS resolver answered 503)",
      transient: true,
    });
    const outcome = await createJudge(
      settings("https://judge.example.com/v1"),
      deps({ checkAddress: (url) => checkJudgeAddress(url, policy) }),
    ).evaluate(JUDGE_INPUT);
    expect(outcome.kind).toBe("transient_error");
    expect(outcome.kind === "transient_error" && outcome.error).toMatch(/could not be resolved/);
    expect(outcome.attempts).toBe(0);
  });

  it("still refuse for good a name that resolves to a private address", async () => {
    const policy = { allowPrivate: false, resolve: async () => ["10.0.0.7"] };
    const outcome = await createJudge(
      settings("https://judge.example.com/v1"),
      deps({ checkAddress: (url) => checkJudgeAddress(url, policy) }),
    ).evaluate(JUDGE_INPUT);
    expect(outcome.kind).toBe("unusable");
    expect(outcome.kind === "unusable" && outcome.reason).toMatch(/resolves to a private address/);
  });
});

describe("IPv4-translated IPv6 addresses (::ffff:0:0/96)", () => {
  it.each([
    "http://[::ffff:0:7f00:1]/v1",
    "http://[::ffff:0:127.0.0.1]/v1",
    "http://[0:0:0:0:ffff:0:a9fe:a9fe]/v1",
    "http://[::ffff:0:808:808]/v1",
  ])("refuses %s", async (url) => {
    expect(await judgeAddressProblem(url, { allowPrivate: false })).toMatch(
      /loopback, private or link-local/,
    );
  });
});
