// Bodies that are not valid UTF-8 and OTLP content Aegis cannot read: refused with a reason, never
// decoded into something other than what was sent, never a 5xx.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createOrg, expectProblem, trace } from "./helpers";

const utf8 = new TextEncoder();

/** The bytes of `before`, an invalid UTF-8 sequence, then `after`. */
function withInvalidUtf8(before: string, after: string, invalid = [0xc3, 0x28]): Uint8Array<ArrayBuffer> {
  const head = utf8.encode(before);
  const tail = utf8.encode(after);
  const bytes = new Uint8Array(head.length + invalid.length + tail.length);
  bytes.set(head);
  bytes.set(invalid, head.length);
  bytes.set(tail, head.length + invalid.length);
  return bytes;
}

async function count(sql: string, ...values: unknown[]): Promise<number> {
  return (
    (
      await env.DB.prepare(sql)
        .bind(...values)
        .first<{ n: number }>()
    )?.n ?? 0
  );
}

describe("JSON bodies that are not valid UTF-8", () => {
  it.each([
    ["an invalid continuation", [0xc3, 0x28]],
    ["a lone continuation byte", [0x80]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ["a truncated sequence", [0xe2, 0x82]],
  ])("are refused with 400 on the native route (%s)", async (_label, invalid) => {
    const org = await createOrg();
    const json = JSON.stringify(trace({ id: "utf8-check", input: "Dose of XX?" }));
    const [before, after] = json.split("XX") as [string, string];
    const response = await call("POST", "/api/v1/traces", {
      key: org.key,
      rawBody: withInvalidUtf8(before, after, invalid),
      headers: { "Content-Type": "application/json" },
    });
    await expectProblem(response, 400, /not valid UTF-8/);
    expect(await count("SELECT count(*) AS n FROM traces WHERE org_id = ?", org.orgId)).toBe(0);
  });

  it("are refused with 400 on OTLP/JSON, for traces and for logs", async () => {
    const org = await createOrg();
    const spans = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "5b8efff798038103d269b633813fc60c",
                  spanId: "eee19b7ec3c1b174",
                  name: "chat",
                  attributes: [
                    { key: "input.value", value: { stringValue: "Dose of XX?" } },
                    { key: "output.value", value: { stringValue: "200 mg." } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const logs = JSON.stringify({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  traceId: "5b8efff798038103d269b633813fc60c",
                  spanId: "eee19b7ec3c1b174",
                  eventName: "gen_ai.user.message",
                  body: { stringValue: "Dose of XX?" },
                },
              ],
            },
          ],
        },
      ],
    });
    for (const [path, json] of [
      ["/otlp/v1/traces", spans],
      ["/otlp/v1/logs", logs],
    ] as const) {
      const [before, after] = json.split("XX") as [string, string];
      const response = await call("POST", path, {
        key: org.key,
        rawBody: withInvalidUtf8(before, after),
        headers: { "Content-Type": "application/json" },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ message: expect.stringMatching(/not valid UTF-8/) });
    }
    expect(await count("SELECT count(*) AS n FROM spans WHERE org_id = ?", org.orgId)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM span_logs WHERE org_id = ?", org.orgId)).toBe(0);
  });

  it("still accepts valid UTF-8 of every width", async () => {
    const org = await createOrg();
    const response = await call("POST", "/api/v1/traces", {
      key: org.key,
      rawBody: utf8.encode(JSON.stringify(trace({ input: "Dose for café, 日本, 🩺?" }))),
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(202);
  });
});

describe("OTLP attributes Aegis cannot read", () => {
  const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const exportOne = (orgKey: string, traceId: string, attributes: unknown[]) =>
    call("POST", "/otlp/v1/traces", {
      key: orgKey,
      rawBody: JSON.stringify({
        resourceSpans: [
          { scopeSpans: [{ spans: [{ traceId, spanId: "eee19b7ec3c1b174", name: "chat", attributes }] }] },
        ],
      }),
      headers: { "Content-Type": "application/json" },
    });

  it("refuse a message list nested too deep to read, with the reason, not a 500", async () => {
    const org = await createOrg();
    const deep = `[${'{"message":'.repeat(20_000)}{}${"}".repeat(20_000)}]`;
    const response = await exportOne(org.key, "5b8efff798038103d269b633813fc60d", [
      text("gen_ai.input.messages", deep),
      text("output.value", "200 mg."),
    ]);
    expect(response.status).toBe(200);
    const { partialSuccess } = await response.json<{
      partialSuccess: { rejectedSpans: string; errorMessage: string };
    }>();
    expect(partialSuccess.rejectedSpans).toBe("1");
    expect(partialSuccess.errorMessage).toMatch(/gen_ai\.input\.messages.*deeper than 64 levels/);
  });

  it("refuse a __proto__ key inside aegis.context JSON rather than drop it", async () => {
    const org = await createOrg();
    const traceId = "5b8efff798038103d269b633813fc60e";
    const response = await exportOne(org.key, traceId, [
      text("input.value", "Dose of ibuprofen?"),
      text("output.value", "200 mg."),
      text("aegis.context", '{"__proto__":{"ward":"B"},"shift":"night"}'),
    ]);
    const { partialSuccess } = await response.json<{
      partialSuccess: { rejectedSpans: string; errorMessage: string };
    }>();
    expect(partialSuccess.rejectedSpans).toBe("1");
    expect(partialSuccess.errorMessage).toMatch(/aegis\.context.*__proto__.*not accepted/);
    expect((await call("GET", `/api/v1/traces/${traceId}`, { key: org.key })).status).toBe(404);
  });
});
