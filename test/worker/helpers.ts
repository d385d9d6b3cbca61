import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect, inject } from "vitest";
import { app } from "../../src/app";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import type { EvaluationMessage } from "../../src/queue/messages";

export const BASE = "http://aegis.test";

export interface CallOptions {
  key?: string;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

function request(method: string, path: string, options: CallOptions): Request {
  const headers = new Headers(options.headers);
  if (options.key !== undefined) headers.set("Authorization", `Bearer ${options.key}`);
  let body = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return new Request(`${BASE}${path}`, { method, headers, body });
}

/** Calls the deployed Worker's fetch handler, exactly as a client's request would. */
export function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  return exports.default.fetch(request(method, path, options));
}

/** The messages the app sent to EVAL_QUEUE during calls made through `callRecordingQueue`. */
export interface QueueRecorder {
  messages: EvaluationMessage[];
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
}

export type QueueBehaviour = "forward" | "hold" | "fail";

/**
 * Calls the app with an EVAL_QUEUE that records each message, then passes it to the real queue
 * ("forward"), keeps it for the test to deliver by hand ("hold"), or refuses the send ("fail").
 */
export function recordingQueue(behaviour: QueueBehaviour = "forward"): QueueRecorder {
  const failSends = behaviour === "fail";
  const messages: EvaluationMessage[] = [];
  const real = env.EVAL_QUEUE;
  const queue = {
    async send(body: EvaluationMessage, options?: QueueSendOptions) {
      if (failSends) throw new Error("queue unavailable");
      messages.push(body);
      if (behaviour === "forward") await real.send(body, options);
    },
    async sendBatch(batch: Iterable<MessageSendRequest<EvaluationMessage>>, options?: QueueSendBatchOptions) {
      if (failSends) throw new Error("queue unavailable");
      const list = [...batch];
      messages.push(...list.map((m) => m.body));
      if (behaviour === "forward") await real.sendBatch(list, options);
    },
  } as unknown as Queue<EvaluationMessage>;
  const recordingEnv: Env = { ...env, EVAL_QUEUE: queue };
  return {
    messages,
    async call(method, path, options = {}) {
      const ctx = createExecutionContext();
      const response = await app.fetch(request(method, path, options), recordingEnv, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    },
  };
}

export const ADMIN_TOKEN = "test-operator-token-0123456789";

export interface TestOrg {
  orgId: string;
  key: string;
  keyId: string;
}

let orgCounter = 0;

export async function createOrg(
  name = `Org ${++orgCounter}`,
  plan = "free",
  extra: Record<string, unknown> = {},
): Promise<TestOrg> {
  const response = await call("POST", "/api/v1/admin/organizations", {
    key: ADMIN_TOKEN,
    body: { name, plan, ...extra },
  });
  expect(response.status).toBe(201);
  const body = await response.json<{ organization: { id: string }; api_key: { id: string; key: string } }>();
  return { orgId: body.organization.id, key: body.api_key.key, keyId: body.api_key.id };
}

export async function createKey(admin: TestOrg, scopes: string[], extra: Record<string, unknown> = {}) {
  const response = await call("POST", "/api/v1/keys", {
    key: admin.key,
    body: { name: "test key", scopes, ...extra },
  });
  expect(response.status).toBe(201);
  return response.json<{ id: string; key: string; prefix: string; scopes: string[] }>();
}

export function trace(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    domain: "healthcare",
    model: "gpt-4o",
    input: "What is a safe dose of ibuprofen for a headache?",
    output:
      "For adults, 200-400 mg every 4 to 6 hours as needed, up to 1,200 mg a day without a prescription.",
    ...overrides,
  };
}

export async function ingest(org: TestOrg, body: Record<string, unknown> = trace()): Promise<string> {
  const response = await call("POST", "/api/v1/traces", { key: org.key, body });
  expect(response.status).toBe(202);
  return (await response.json<{ id: string }>()).id;
}

export async function expectProblem(response: Response, status: number, detail?: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
  const body = await response.json<{
    type: string;
    title: string;
    status: number;
    detail: string;
    request_id: string;
    errors?: { path: string; message: string }[];
  }>();
  expect(body.status).toBe(status);
  expect(body.request_id).toBe(response.headers.get("X-Request-Id"));
  if (detail) expect(body.detail).toMatch(detail);
  return body;
}

/** Ingests a batch with the queue held: the stored ids, and the messages for the test to deliver. */
export async function ingestHeld(org: TestOrg, traces: Record<string, unknown>[]) {
  const queue = recordingQueue("hold");
  const response = await queue.call("POST", "/api/v1/traces/batch", { key: org.key, body: { traces } });
  expect(response.status).toBe(207);
  const { results } = await response.json<{ results: { id: string }[] }>();
  return { ids: results.map((result) => result.id), messages: queue.messages };
}

/** Runs the evaluation consumer on one batch of messages, as the runtime delivers them; none may retry. */
export async function deliverEvaluations(messages: EvaluationMessage[], workerEnv: Env = env) {
  const batch = createMessageBatch<EvaluationMessage>(
    "aegis-evaluations",
    messages.map((body, i) => ({ id: `delivery-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, workerEnv, ctx);
  expect((await getQueueResult(batch, ctx)).retryMessages).toEqual([]);
}

/** The judge origin of the local fake provider (test/support/fake-judge-server.ts). */
export const judgeOrigin = inject("judgeOrigin");

/** The deployment's judge configuration, pointed at the local fake provider. */
export const judgeEnv: Env = {
  ...env,
  OPENAI_BASE_URL: `${judgeOrigin}/v1`,
  OPENAI_API_KEY: "sk-test-deployment-key",
  // Ample for the local server to answer on a loaded machine; short enough for the timeout test.
  JUDGE_TIMEOUT_MS: "1500",
};
