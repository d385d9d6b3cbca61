// The examples in examples/, run against `npm start` (wrangler dev) with the local model stand-in:
// each must store its trace and get a verdict back.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CallbackHandlerMethods } from "@langchain/core/callbacks/base";
import { AegisCallbackHandler, run as runLangChain } from "../../examples/langchain-handler";
import { type StandIn, startModelStandIn } from "../../examples/model-stand-in";
import { run as runChat } from "../../examples/openai-chat";
import { ask, setupTracing } from "../../examples/otel-setup";
import { Aegis, type LiveEvent } from "../../sdk/src/index";
import { aegisForSuite } from "../support/e2e";

const QUESTION = "My head hurts, how much acetaminophen can I take?";

// The handler is a LangChain callback handler by its shape alone.
const asLangChainHandler: (handler: AegisCallbackHandler) => CallbackHandlerMethods = (handler) => handler;

describe("examples", () => {
  const server = aegisForSuite("examples", 9100);
  let model: StandIn | undefined;
  const aegis = () => new Aegis({ apiKey: server.key, baseUrl: server.base });
  const config = () => ({
    aegisUrl: server.base,
    apiKey: server.key,
    modelUrl: model?.url ?? "",
    question: QUESTION,
  });

  before(async () => {
    model = await startModelStandIn();
  });

  after(async () => {
    await model?.close();
  });

  it("openai-chat: logs a chat completion with the SDK and reads its verdict", async () => {
    const result = await runChat(config());
    assert.match(result.answer, /1000 mg/);
    assert.equal(result.evaluation.status, "completed", JSON.stringify(result.evaluation));
    assert.equal(result.evaluation.verdict, "fail");
    const trace = await aegis().traces.get(result.traceId);
    assert.equal(trace.model, "gpt-4o-mini-2024-07-18");
    assert.equal(trace.domain, "healthcare");
    assert.ok((trace.usage?.output_tokens ?? 0) > 0);
  });

  it("langchain-handler: turns a LangChain run with a tool call into one trace", async () => {
    const result = await runLangChain(config());
    assert.match(result.answer, /1000 mg/);
    assert.equal(result.evaluation.verdict, "fail", JSON.stringify(result.evaluation));
    const trace = await aegis().traces.get(result.traceId);
    assert.equal(trace.input, QUESTION);
    assert.equal(trace.output, result.answer);
    assert.equal(trace.model, "gpt-4o-mini-2024-07-18");
    assert.deepEqual(trace.tool_calls, [
      {
        name: "lookup_dose",
        arguments: { drug: "acetaminophen" },
        result: { drug: "acetaminophen", max_daily_mg: 4000 },
      },
    ]);
    assert.ok((trace.usage?.input_tokens ?? 0) > 0);
    assert.equal(typeof asLangChainHandler(new AegisCallbackHandler(aegis())).handleChainEnd, "function");
  });

  it("otel-setup: exports GenAI spans configured by the standard variables", async () => {
    const saved = { ...process.env };
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `${server.base}/otlp`;
    process.env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer%20${server.key}`;
    process.env.OTEL_RESOURCE_ATTRIBUTES = "aegis.domain=healthcare";
    const provider = setupTracing("pharmacy-assistant");
    process.env = saved;
    const { traceId, answer } = await ask(provider, model?.url ?? "", QUESTION);
    await provider.shutdown();
    assert.match(answer, /1000 mg/);
    const evaluation = await aegis().evaluations.get(traceId, { wait: 30 });
    assert.equal(evaluation.verdict, "fail", JSON.stringify(evaluation));
    const trace = await aegis().traces.get(traceId);
    assert.equal(trace.input, QUESTION);
    assert.equal(trace.domain, "healthcare");
    assert.equal(trace.model, "gpt-4o-mini-2024-07-18");
    assert.equal(trace.spans.length, 2);
  });

  for (const transport of ["websocket", "sse"] as const) {
    it(`the SDK's live feed over ${transport}: a new trace, then its verdict`, async () => {
      const events: LiveEvent[] = [];
      const client = aegis();
      const subscription = client.live.subscribe({ domain: "healthcare" }, (event) => events.push(event), {
        transport,
      });
      await subscription.ready;
      const created = await client.traces.create({
        domain: "healthcare",
        input: QUESTION,
        output: "Take 1000 mg every hour.",
      });
      const deadline = Date.now() + 30_000;
      while (!events.some((e) => e.type === "evaluation.completed") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await client.shutdown();
      const mine = events.filter((e) => e.data.trace_id === created.id).map((e) => e.type);
      assert.deepEqual(mine.slice(0, 2), ["trace.received", "evaluation.completed"]);
    });
  }
});
