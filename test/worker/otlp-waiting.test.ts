// OTel traces that wait for their content: what is stored while they wait (log records of any body,
// keyed without giving PHI away), when they are refused (at once, and reported wherever they are),
// what they are charged, and how the scheduled sweep makes them (all of them, per organization).
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { awaitContentStatements } from "../../src/db/spans";
import type { Env } from "../../src/env";
import { canonicalJson } from "../../src/eval";
import worker from "../../src/index";
import { sha256Hex } from "../../src/lib/crypto";
import { decodeJsonLogsRequest } from "../../src/otlp/json";
import { logRecords, Rejections } from "../../src/otlp/model";
import {
  ANSWER,
  CONTENT_TYPES,
  chatContentLogs,
  chatWithoutContent,
  type OtlpEncoding,
  otlpBody,
  otlpLogsBody,
  otlpLogsResponse,
  otlpResponse,
  QUESTION,
  recordLogs,
  recordSpans,
} from "../support/otel";
import { call, createKey, createOrg, ingest, type TestOrg, trace } from "./helpers";

async function postLogs(org: TestOrg, logs: ReadableLogRecord[], encoding: OtlpEncoding = "json") {
  return call("POST", "/otlp/v1/logs", {
    key: org.key,
    rawBody: otlpLogsBody(logs, encoding),
    headers: { "Content-Type": CONTENT_TYPES[encoding] },
  });
}

async function exportLogs(org: TestOrg, logs: ReadableLogRecord[], encoding: OtlpEncoding = "json") {
  const response = await postLogs(org, logs, encoding);
  expect(response.status, await response.clone().text()).toBe(200);
  return otlpLogsResponse(new Uint8Array(await response.arrayBuffer()), encoding);
}

async function exportSpans(org: TestOrg, spans: ReadableSpan[], encoding: OtlpEncoding = "json") {
  const response = await call("POST", "/otlp/v1/traces", {
    key: org.key,
    rawBody: otlpBody(spans, encoding),
    headers: { "Content-Type": CONTENT_TYPES[encoding] },
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return otlpResponse(new Uint8Array(await response.arrayBuffer()), encoding);
}

async function readTrace(org: TestOrg, id: string) {
  const response = await call("GET", `/api/v1/traces/${id}`, { key: org.key });
  return { status: response.status, body: await response.json<Record<string, unknown>>() };
}

const traceIdOf = (spans: ReadableSpan[]) => spans[0]?.spanContext().traceId ?? "";

async function count(sql: string, ...values: unknown[]): Promise<number> {
  return (
    (
      await env.DB.prepare(sql)
        .bind(...values)
        .first<{ n: number }>()
    )?.n ?? 0
  );
}

/** Makes the traces waiting in an organization look as if they had waited past the 30 s. */
async function overdue(orgId: string) {
  await env.DB.prepare("UPDATE traces_awaiting_content SET root_received_at = ? WHERE org_id = ?")
    .bind(Date.now() - 31_000, orgId)
    .run();
}

async function runSweep(workerEnv: Env = env) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController(), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
}

/** Log records whose bodies are a bare string and a boolean (AnyValue allows any value). */
function scalarBodies(span: ReadableSpan | undefined) {
  return recordLogs(span?.spanContext(), [
    { eventName: "gen_ai.user.message", body: QUESTION },
    { eventName: "gen_ai.assistant.message", body: true, attributes: { "gen_ai.system": "openai" } },
    { eventName: "gen_ai.choice", body: { index: 0, message: { content: ANSWER } } },
  ]);
}

describe("log records whose body is not an object", () => {
  it.each(["json", "protobuf"] as const)(
    "are stored as the JSON they are, logs first or root first (%s)",
    async (encoding) => {
      for (const logsFirst of [true, false]) {
        const org = await createOrg();
        const spans = recordSpans(chatWithoutContent());
        const logs = scalarBodies(spans[0]);
        if (logsFirst) {
          await exportLogs(org, logs, encoding);
          expect((await exportSpans(org, spans, encoding)).partialSuccess).toBeUndefined();
        } else {
          await exportSpans(org, spans, encoding);
          expect((await exportLogs(org, logs, encoding)).partialSuccess).toBeUndefined();
        }
        const { status, body } = await readTrace(org, traceIdOf(spans));
        expect(status).toBe(200);
        expect(body).toMatchObject({ input: QUESTION, output: ANSWER, status: "queued" });
        const rows = await env.DB.prepare("SELECT body FROM span_logs WHERE org_id = ? ORDER BY seq")
          .bind(org.orgId)
          .all<{ body: string }>();
        expect(rows.results.map((r) => JSON.parse(r.body))).toEqual([
          QUESTION,
          true,
          { index: 0, message: { content: ANSWER } },
        ]);
      }
    },
  );
});

describe("the scheduled sweep of waiting OTel traces", () => {
  it("finds them noted in a few statements, not one per trace", () => {
    const waiting = Array.from({ length: 520 }, (_, i) => ({ traceId: `t${i}`, since: i }));
    // Three parameters a trace, within D1's 100 a statement.
    expect(awaitContentStatements(createDb(env.DB), "org", waiting)).toHaveLength(16);
  });

  it("makes every overdue trace in one run, more than a page of them", async () => {
    const org = await createOrg("Many waiting", "pro");
    const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
    const spans = Array.from({ length: 520 }, (_, i) => ({
      traceId: `${hex(i + 1, 8)}${"ab".repeat(12)}`,
      spanId: hex(i + 1, 16),
      name: "chat",
      startTimeUnixNano: "1764230400000000000",
      endTimeUnixNano: "1764230400100000000",
      attributes: [{ key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } }],
    }));
    const response = await call("POST", "/otlp/v1/traces", {
      key: org.key,
      rawBody: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
      headers: { "Content-Type": "application/json" },
    });
    expect(await response.json()).toMatchObject({
      partialSuccess: { errorMessage: expect.stringMatching(/520 trace\(s\) have no GenAI content yet/) },
    });
    expect(await count("SELECT count(*) AS n FROM traces_awaiting_content WHERE org_id = ?", org.orgId)).toBe(
      520,
    );
    await overdue(org.orgId);
    await runSweep();
    expect(await count("SELECT count(*) AS n FROM traces WHERE org_id = ?", org.orgId)).toBe(520);
    expect(await count("SELECT count(*) AS n FROM traces_awaiting_content WHERE org_id = ?", org.orgId)).toBe(
      0,
    );
  });

  it("goes on with the other organizations when one of them fails", async () => {
    const broken = await createOrg();
    const healthy = await createOrg();
    const brokenSpans = recordSpans(chatWithoutContent());
    const healthySpans = recordSpans(chatWithoutContent());
    await exportSpans(broken, brokenSpans);
    await exportSpans(healthy, healthySpans);
    // A row that cannot be read back (as an older build stored a string body): reading the broken
    // organization's trace throws.
    await env.DB.prepare(
      "INSERT INTO span_logs (org_id, trace_id, span_id, digest, event_name, time_ms, seq, body, attributes, redactions, created_at) VALUES (?, ?, ?, 'x', 'gen_ai.user.message', 0, 0, 'not json', '{}', '[]', ?)",
    )
      .bind(broken.orgId, traceIdOf(brokenSpans), brokenSpans[0]?.spanContext().spanId, Date.now())
      .run();
    await env.DB.prepare("UPDATE traces_awaiting_content SET root_received_at = ? WHERE org_id = ?")
      .bind(Date.now() - 40_000, broken.orgId)
      .run();
    await overdue(healthy.orgId);
    await runSweep();
    expect((await readTrace(healthy, traceIdOf(healthySpans))).body).toMatchObject({ status: "failed" });
    expect((await readTrace(broken, traceIdOf(brokenSpans))).status).toBe(404);
    expect(
      await count("SELECT count(*) AS n FROM traces_awaiting_content WHERE org_id = ?", broken.orgId),
    ).toBe(1);
    // Mended, so that later sweeps in this file find nothing broken.
    await env.DB.prepare("DELETE FROM span_logs WHERE org_id = ?").bind(broken.orgId).run();
  });

  it("charges the traces it makes to the monthly quota, and stores one over it failed, saying so", async () => {
    const org = await createOrg("Sweep quota", "enterprise", {
      limits: { traces_per_month: 2, requests_per_minute: 1_000 },
    });
    const first = recordSpans(chatWithoutContent());
    const second = recordSpans(chatWithoutContent());
    await exportSpans(org, first);
    await exportSpans(org, second);
    await ingest(org, trace());
    await overdue(org.orgId);
    await runSweep();
    const made = await Promise.all([first, second].map((spans) => readTrace(org, traceIdOf(spans))));
    const errors = made.map(({ body }) => String(body.error));
    expect(made.map(({ body }) => body.status)).toEqual(["failed", "failed"]);
    expect(errors.filter((e) => /no GenAI content arrived/.test(e))).toHaveLength(1);
    expect(errors.filter((e) => /monthly quota of 2 traces was used up/.test(e))).toHaveLength(1);
    const quota = await call("GET", "/api/v1/organization", { key: org.key });
    expect(quota.headers.get("RateLimit")).toMatch(/"traces-monthly";r=0;/);
  });
});

describe("a waiting trace its other fields make invalid", () => {
  it("is refused when its root arrives, with its spans, not left to wait and be dropped silently", async () => {
    const org = await createOrg();
    const spans = recordSpans(chatWithoutContent(), { "aegis.domain": "Not A Domain" });
    const { partialSuccess } = await exportSpans(org, spans);
    expect(Number(partialSuccess?.rejectedSpans)).toBe(1);
    expect(partialSuccess?.errorMessage).toMatch(/is not a valid Aegis trace: domain: must be lower-case/);
    expect(await count("SELECT count(*) AS n FROM spans WHERE org_id = ?", org.orgId)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM traces_awaiting_content WHERE org_id = ?", org.orgId)).toBe(
      0,
    );
  });

  it("is reported in the logs request whose content makes it invalid", async () => {
    const org = await createOrg();
    const spans = recordSpans(chatWithoutContent());
    await exportSpans(org, spans);
    const logs = recordLogs(spans[0]?.spanContext(), chatContentLogs("x".repeat(100_001)));
    const { partialSuccess } = await exportLogs(org, logs);
    expect(Number(partialSuccess?.rejectedLogRecords)).toBe(3);
    expect(partialSuccess?.errorMessage).toMatch(
      /3 log record\(s\): trace \w+ is not a valid Aegis trace: input/,
    );
    expect(await count("SELECT count(*) AS n FROM span_logs WHERE org_id = ?", org.orgId)).toBe(0);
    expect((await readTrace(org, traceIdOf(spans))).status).toBe(404);
  });
});

describe("what a logs request is charged", () => {
  it("stores nothing when its request is over the key's rate limit", async () => {
    const org = await createOrg();
    const limited = await createKey(org, ["traces:write"], { rate_limit_per_minute: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const spans = recordSpans(chatWithoutContent());
      const logs = recordLogs(spans[0]?.spanContext(), chatContentLogs(`${QUESTION} (${i})`));
      statuses.push((await postLogs({ ...org, key: limited.key }, logs)).status);
    }
    expect(statuses).toEqual([200, 429, 429]);
    expect(await count("SELECT count(*) AS n FROM span_logs WHERE org_id = ?", org.orgId)).toBe(3);
  });
});

describe("the digest that dedupes a retried log record", () => {
  it("is keyed, not a plain hash of the record as sent, when the organization redacts PHI", async () => {
    const org = await createOrg();
    await call("PATCH", "/api/v1/organization/settings", { key: org.key, body: { phi_redaction: "mask" } });
    const spans = recordSpans(chatWithoutContent());
    const logs = recordLogs(spans[0]?.spanContext(), [
      { eventName: "gen_ai.user.message", body: { content: "My SSN is 123-45-6789, what dose?" } },
    ]);
    await exportLogs(org, logs);
    await exportLogs(org, logs);
    const rows = await env.DB.prepare("SELECT digest FROM span_logs WHERE org_id = ?")
      .bind(org.orgId)
      .all<{ digest: string }>();
    expect(rows.results).toHaveLength(1);
    const sent = new TextDecoder().decode(otlpLogsBody(logs, "json"));
    const [record] = logRecords(
      decodeJsonLogsRequest(sent, () => undefined),
      new Rejections(),
    ).records;
    expect(record).toBeDefined();
    expect(rows.results[0]?.digest).not.toBe(await sha256Hex(canonicalJson(record)));
  });
});
