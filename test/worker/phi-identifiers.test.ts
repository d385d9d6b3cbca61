// Identifiers a client looks traces up by (its own id, OTel trace ids), and what redaction does to
// them and to OTLP content: review items 3, 9, 11, 15 and 16.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { insertSpanStatements } from "../../src/db/spans";
import { findTrace } from "../../src/db/traces";
import { call, createOrg, deliverEvaluations, recordingQueue, type TestOrg, trace } from "./helpers";

async function withMode(mode: string, org?: TestOrg): Promise<TestOrg> {
  const target = org ?? (await createOrg());
  const response = await call("PATCH", "/api/v1/organization/settings", {
    key: target.key,
    body: { phi_redaction: mode },
  });
  expect(response.status).toBe(200);
  return target;
}

async function post(org: TestOrg, body: Record<string, unknown>) {
  const response = await call("POST", "/api/v1/traces", { key: org.key, body });
  return { status: response.status, id: (await response.json<{ id: string }>()).id };
}

async function storedClientId(traceId: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT client_id FROM traces WHERE id = ?")
    .bind(traceId)
    .first<{ client_id: string | null }>();
  return row?.client_id ?? null;
}

async function traceCount(orgId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM traces WHERE org_id = ?")
    .bind(orgId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

async function spanCount(orgId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM spans WHERE org_id = ?")
    .bind(orgId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------------
// OTLP/JSON, written out so the test chooses the trace id.
// ---------------------------------------------------------------------------------------------------

type Attribute = { key: string; value: { stringValue: string } };
const attr = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } });

interface SpanJson {
  spanId: string;
  parentSpanId?: string;
  attributes: Attribute[];
}

function otlpJson(traceId: string, spans: SpanJson[]) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr("aegis.domain", "healthcare")] },
        scopeSpans: [
          {
            scope: { name: "test" },
            spans: spans.map((span) => ({
              traceId,
              spanId: span.spanId,
              ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
              name: "chat",
              kind: 3,
              startTimeUnixNano: String(now - 1_000_000_000n),
              endTimeUnixNano: String(now),
              attributes: span.attributes,
            })),
          },
        ],
      },
    ],
  };
}

async function exportJson(
  org: TestOrg,
  traceId: string,
  spans: SpanJson[],
  via: { call: typeof call } = { call },
) {
  const response = await via.call("POST", "/otlp/v1/traces", {
    key: org.key,
    body: otlpJson(traceId, spans),
  });
  expect(response.status).toBe(200);
  return response.json<{ partialSuccess?: { rejectedSpans?: string; errorMessage?: string } }>();
}

const ROOT = "0102030405060708";
const CHILD = "1112131415161718";
const LATE = "2122232425262728";

interface TraceWithSpans {
  id: string;
  client_id: string | null;
  spans: { span_id: string; attributes: Record<string, unknown> }[];
}

async function readTrace(org: TestOrg, id: string) {
  const response = await call("GET", `/api/v1/traces/${encodeURIComponent(id)}`, { key: org.key });
  return { status: response.status, body: await response.json<TraceWithSpans>() };
}

describe("OTel trace ids and UUIDs stay as sent (review item 9)", () => {
  // Luhn-valid digit runs: detected as a card number in free text.
  const otelId = "4111111111111111abcdefabcdefabcd";

  it("keeps the trace joined to its spans: read, late spans, delete", async () => {
    const org = await withMode("mask");
    await exportJson(org, otelId, [
      {
        spanId: ROOT,
        attributes: [
          attr("aegis.input", "How much ibuprofen?"),
          attr("aegis.output", "200 mg every 6 hours."),
        ],
      },
    ]);
    const read = await readTrace(org, otelId);
    expect(read.status).toBe(200);
    expect(read.body.client_id).toBe(otelId);
    expect(read.body.spans.map((s) => s.span_id)).toEqual([ROOT]);

    // A late span finds the made trace: no second trace (nor a second charge).
    await exportJson(org, otelId, [{ spanId: LATE, parentSpanId: ROOT, attributes: [] }]);
    expect(await traceCount(org.orgId)).toBe(1);
    expect((await readTrace(org, otelId)).body.spans).toHaveLength(2);

    const deleted = await call("DELETE", `/api/v1/traces/${otelId}`, { key: org.key });
    expect(deleted.status).toBe(204);
    expect(await spanCount(org.orgId)).toBe(0);
  });

  it("stores request ids that are UUIDs or hex as sent, in every mode", async () => {
    const org = await withMode("redact");
    const uuid = "41111111-1111-1111-1111-abcdefabcdef";
    const { status, id } = await post(org, trace({ id: uuid, session_id: otelId, user_id: uuid }));
    expect(status).toBe(202);
    expect(await storedClientId(id)).toBe(uuid);
    const listed = await call("GET", `/api/v1/traces?session_id=${otelId}`, { key: org.key });
    expect((await listed.json<{ data: { id: string; session_id: string }[] }>()).data).toEqual([
      expect.objectContaining({ id, session_id: otelId }),
    ]);
  });

  it("finds and deletes the spans of a trace whose client id is stored as its token", async () => {
    // Stored before this fix: the trace's client id as its token, its spans under the raw id.
    const org = await withMode("mask");
    const raw = "legacy.trace@example.com";
    const { id } = await post(org, trace({ id: raw }));
    const token = await storedClientId(id);
    expect(token).toMatch(/^phi_/);
    const db = createDb(env.DB);
    const now = Date.now();
    await db.batch(
      insertSpanStatements(db, [
        {
          orgId: org.orgId,
          traceId: raw,
          spanId: ROOT,
          parentSpanId: null,
          isRoot: true,
          name: "chat",
          kind: "client",
          startMs: now - 1000,
          endMs: now,
          statusCode: "unset",
          statusMessage: null,
          attributes: {},
          events: [],
          resource: {},
          redactions: [],
          createdAt: now,
        },
      ]) as [never],
    );
    expect((await readTrace(org, raw)).body.spans.map((s) => s.span_id)).toEqual([ROOT]);
    expect((await call("DELETE", `/api/v1/traces/${encodeURIComponent(raw)}`, { key: org.key })).status).toBe(
      204,
    );
    expect(await spanCount(org.orgId)).toBe(0);
  });
});

describe("phi.leak on OTLP content stored redacted (review item 3)", () => {
  it("is reported when the trace is made from spans stored earlier", async () => {
    const org = await withMode("mask");
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    // The answer arrives first, on a child span: stored redacted.
    await exportJson(org, traceId, [
      {
        spanId: CHILD,
        parentSpanId: ROOT,
        attributes: [
          attr("aegis.output", "Patient John Carter, SSN 123-45-6789, email john.carter@example.com"),
        ],
      },
    ]);
    // The root completes the trace from what is stored: a text with placeholders and no records.
    const queue = recordingQueue("hold");
    await exportJson(
      org,
      traceId,
      [{ spanId: ROOT, attributes: [attr("aegis.input", "Who is this?")] }],
      queue,
    );
    expect(queue.messages).toHaveLength(1);
    await deliverEvaluations(queue.messages);
    const evaluation = await call("GET", `/api/v1/traces/${traceId}/evaluation`, { key: org.key });
    const body = await evaluation.json<{
      verdict: string;
      issues: { rule: string; evidence: { excerpt: string } | null }[];
    }>();
    const leaks = body.issues.filter((issue) => issue.rule === "phi.leak");
    expect(leaks.map((issue) => issue.evidence?.excerpt)).toEqual(["[NAME]", "[SSN]", "[EMAIL]"]);
    expect(body.verdict).toBe("fail");
  });
});

describe("span attributes that become a trace's metadata and context (review item 11)", () => {
  it("are stored with their person names removed, as the trace's are", async () => {
    const org = await withMode("mask");
    const traceId = "1af7651916cd43dd8448eb211c80319c";
    await exportJson(org, traceId, [
      {
        spanId: ROOT,
        attributes: [
          attr("aegis.input", "Any interactions?"),
          attr("aegis.output", "None known."),
          attr("aegis.metadata.name", "John Smith"),
          attr(
            "aegis.context",
            JSON.stringify({ name: "Ann Lee", mobile: "5551234", patient: { name: "Bob" } }),
          ),
        ],
      },
    ]);
    const read = await readTrace(org, traceId);
    const attributes = read.body.spans[0]?.attributes ?? {};
    expect(attributes["aegis.metadata.name"]).toBe("[NAME]");
    expect(JSON.parse(String(attributes["aegis.context"]))).toEqual({
      name: "[NAME]",
      mobile: "[PHONE]",
      patient: { name: "[NAME]" },
    });
    expect(JSON.stringify(read.body)).not.toMatch(/John Smith|Ann Lee|5551234|"Bob"/);
  });
});

describe("dedupe across a change of redaction mode (review item 15)", () => {
  it("finds a trace stored under its token after redaction is turned off", async () => {
    const org = await withMode("mask");
    const first = await post(org, trace({ id: "john@example.com" }));
    expect(first.status).toBe(202);
    await withMode("off", org);
    const again = await post(org, trace({ id: "john@example.com" }));
    expect(again).toEqual({ status: 200, id: first.id });
    const batch = await call("POST", "/api/v1/traces/batch", {
      key: org.key,
      body: { traces: [trace({ id: "john@example.com" })] },
    });
    expect((await batch.json<{ results: { id: string; status: number }[] }>()).results).toEqual([
      expect.objectContaining({ id: first.id, status: 200 }),
    ]);
    expect(await traceCount(org.orgId)).toBe(1);
  });

  it("finds a trace stored as sent after redaction is turned on", async () => {
    const org = await withMode("off");
    const first = await post(org, trace({ id: "mary@example.com" }));
    expect(first.status).toBe(202);
    expect(await storedClientId(first.id)).toBe("mary@example.com");
    for (const mode of ["mask", "pseudonymize", "redact"]) {
      await withMode(mode, org);
      expect(await post(org, trace({ id: "mary@example.com" }))).toEqual({ status: 200, id: first.id });
    }
    expect(await traceCount(org.orgId)).toBe(1);
  });
});

describe("looking a trace up by a client id (review item 16)", () => {
  /** The statements a function sends to D1, with their parameters. */
  function recordingDb() {
    const statements: { sql: string; params: unknown[] }[] = [];
    const d1 = new Proxy(env.DB, {
      get(target, property) {
        if (property === "prepare") {
          return (sql: string) => {
            const statement = target.prepare(sql);
            const bind = statement.bind.bind(statement);
            statement.bind = (...params: unknown[]) => {
              statements.push({ sql, params });
              return bind(...params);
            };
            return statement;
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    return { db: createDb(d1), statements };
  }

  it("uses the primary key and the client id index, never a scan of the organization", async () => {
    const org = await withMode("mask");
    const { id } = await post(org, trace({ id: "planned@example.com" }));
    const token = (await storedClientId(id)) ?? "";
    const { db, statements } = recordingDb();
    expect((await findTrace(db, org.orgId, "planned@example.com", ["planned@example.com", token]))?.id).toBe(
      id,
    );
    expect((await findTrace(db, org.orgId, id, [id]))?.id).toBe(id);
    expect(statements.length).toBeGreaterThan(0);
    for (const { sql, params } of statements) {
      const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      for (const { detail } of plan.results) {
        if (!/\btraces\b/.test(detail)) continue;
        expect(detail).toMatch(
          /^SEARCH traces USING (?:INDEX sqlite_autoindex_traces_1 \(id=\?\)|INDEX traces_org_client_id_uq \(org_id=\? AND client_id=\?\))$/,
        );
      }
    }
  });

  it("prefers the Aegis id, then the client id forms in order", async () => {
    const org = await createOrg();
    const a = await post(org, trace({ id: "first-id" }));
    const b = await post(org, trace({ id: a.id }));
    const db = createDb(env.DB);
    expect((await findTrace(db, org.orgId, a.id))?.id).toBe(a.id);
    expect((await findTrace(db, org.orgId, "x", ["first-id", a.id]))?.id).toBe(a.id);
    expect((await findTrace(db, org.orgId, "x", [a.id, "first-id"]))?.id).toBe(b.id);
    expect(await findTrace(db, org.orgId, "missing", [])).toBeUndefined();
  });

  it("derives a client id's forms once per ?wait request, not on every poll", async () => {
    const org = await withMode("mask");
    const queue = recordingQueue("hold");
    const response = await queue.call("POST", "/api/v1/traces", {
      key: org.key,
      body: trace({ id: "waiting@example.com" }),
    });
    expect(response.status).toBe(202);
    const path = `/api/v1/traces/${encodeURIComponent("waiting@example.com")}/evaluation`;
    const signs = async (query: string) => {
      const sign = vi.spyOn(crypto.subtle, "sign");
      try {
        const answer = await call("GET", `${path}${query}`, { key: org.key });
        expect((await answer.json<{ status: string }>()).status).toBe("pending");
        return sign.mock.calls.length;
      } finally {
        sign.mockRestore();
      }
    };
    const once = await signs("");
    expect(once).toBeGreaterThan(0);
    // About five polls in 1.5 s: each used to derive the token again (two HMACs a poll).
    expect(await signs("?wait=1.5")).toBe(once);
  });
});
