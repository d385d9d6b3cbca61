import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  createOrg,
  deliverEvaluations,
  expectProblem,
  ingestHeld,
  type TestOrg,
  trace,
} from "./helpers";

interface Hit {
  id: string;
  client_id: string | null;
  domain: string;
  verdict: string | null;
  snippet: string;
  score: number;
}
interface Page {
  data: Hit[];
  next_cursor: string | null;
}

async function search(org: TestOrg, query: Record<string, string>): Promise<Page> {
  const response = await call("GET", `/api/v1/search?${new URLSearchParams(query)}`, { key: org.key });
  expect(response.status).toBe(200);
  return response.json<Page>();
}
const clientIds = (page: Page) => page.data.map((hit) => hit.client_id).sort();

const CORPUS = [
  trace({
    id: "acetaminophen-4h",
    tags: ["triage", "night"],
    session_id: "session-1",
    output: "Take 1000 mg of acetaminophen every 4 hours until the pain stops.",
  }),
  trace({
    id: "ibuprofen-6h",
    model: "claude-sonnet",
    output: "Ibuprofen 400 mg every 6 hours; do not exceed 1200 mg a day.",
  }),
  trace({
    id: "acme",
    domain: "trading",
    tags: ["promo"],
    input: "Should I buy ACME?",
    output: "Buy now: the return is guaranteed to double <script>alert(1)</script>.",
  }),
  trace({
    id: "tool-lookup",
    output: "I looked the record up for you.",
    tool_calls: [{ name: "lookup_patient_record", arguments: { drug: "warfarin" }, result: { found: true } }],
  }),
  trace({
    id: "aspirin",
    domain: "generic",
    tags: ["triage"],
    output: "Acetylsalicylic acid is the chemical name of aspirin.",
  }),
];

describe("full-text search", () => {
  let org: TestOrg;
  let other: TestOrg;
  beforeAll(async () => {
    [org, other] = [await createOrg(), await createOrg()];
    await ingestHeld(org, CORPUS);
    await ingestHeld(other, [trace({ id: "other-acetaminophen", output: "acetaminophen for everyone" })]);
  });

  it.each([
    ["a word", { q: "acetaminophen" }, ["acetaminophen-4h"]],
    ["a phrase, in order", { q: '"every 4 hours"' }, ["acetaminophen-4h"]],
    ["a phrase that is not there as a phrase", { q: '"hours every"' }, []],
    ["a prefix", { q: "acet*" }, ["acetaminophen-4h", "aspirin"]],
    ["AND, implicit", { q: "mg hours" }, ["acetaminophen-4h", "ibuprofen-6h"]],
    ["NOT", { q: "mg NOT 1200" }, ["acetaminophen-4h"]],
    ["OR with grouping", { q: "(guaranteed OR aspirin) NOT chemical" }, ["acme"]],
    ["tool-call text", { q: "warfarin" }, ["tool-lookup"]],
    ["one field", { q: "tools:lookup_patient_record" }, ["tool-lookup"]],
    ["a word only in another field", { q: "input:guaranteed" }, []],
    ["punctuation inside a term", { q: "1200 mg" }, ["ibuprofen-6h"]],
    ["a domain filter", { q: "acet*", domain: "generic" }, ["aspirin"]],
    ["a model filter", { q: "mg", model: "claude-sonnet" }, ["ibuprofen-6h"]],
    ["a session filter", { q: "mg", session_id: "session-1" }, ["acetaminophen-4h"]],
    ["one tag", { q: "acet*", tags: "triage" }, ["acetaminophen-4h", "aspirin"]],
    ["every tag listed", { q: "acet*", tags: "triage,night" }, ["acetaminophen-4h"]],
  ])("finds %s", async (_label, query, expected) => {
    expect(clientIds(await search(org, query))).toEqual(expected);
  });

  it("marks matches in an HTML-escaped snippet and scores better matches higher", async () => {
    const [hit] = (await search(org, { q: "guaranteed" })).data;
    expect(hit?.snippet).toBe(
      "Buy now: the return is <mark>guaranteed</mark> to double &lt;script&gt;alert(1)&lt;/script&gt;.",
    );
    const ranked = await search(org, { q: "mg OR acetaminophen" });
    expect(ranked.data[0]?.client_id).toBe("acetaminophen-4h");
    const scores = ranked.data.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("pages by cursor through every result once, in score order", async () => {
    const all = await search(org, { q: "mg OR acet* OR buy", limit: "100" });
    expect(all.data).toHaveLength(4);
    const seen: Hit[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search(org, {
        q: "mg OR acet* OR buy",
        limit: "1",
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.map((h) => h.id)).toEqual(all.data.map((h) => h.id));
  });

  it("keeps each organization's traces to itself", async () => {
    expect(clientIds(await search(other, { q: "acetaminophen" }))).toEqual(["other-acetaminophen"]);
    expect(clientIds(await search(other, { q: "warfarin" }))).toEqual([]);
  });

  it("drops a deleted trace from the results in the same write", async () => {
    const { ids } = await ingestHeld(org, [trace({ id: "to-delete", output: "zanzibar lighthouse" })]);
    expect(clientIds(await search(org, { q: "zanzibar" }))).toEqual(["to-delete"]);
    const deleted = await call("DELETE", `/api/v1/traces/${ids[0]}`, { key: org.key });
    expect(deleted.status).toBe(204);
    expect(clientIds(await search(org, { q: "zanzibar" }))).toEqual([]);
  });

  it("indexes the redacted text, not what redaction removed", async () => {
    const masked = await createOrg();
    await call("PATCH", "/api/v1/organization/settings", {
      key: masked.key,
      body: { phi_redaction: "mask" },
    });
    await ingestHeld(masked, [
      trace({ id: "phi", output: "Send the results to maria.lopez@example.org before noon." }),
    ]);
    expect(clientIds(await search(masked, { q: "results" }))).toEqual(["phi"]);
    expect(clientIds(await search(masked, { q: "lopez" }))).toEqual([]);
  });

  it.each([
    ["an unclosed quote", '"every 4 hours', /quote at position 1 is never closed/],
    ["a search that only excludes", "NOT ibuprofen", /NOT at position 1 needs a term before it/],
    ["a dangling operator", "mg OR", /ends after 'OR'/],
    ["an unbalanced parenthesis", "(mg OR hours", /'\(' at position 1 is never closed/],
    ["a lone star", "*", /must follow a term/],
    ["a term with nothing to search for", "&&", /no letters or digits/],
    ["an empty query", "   ", /must not be empty/],
  ])("refuses %s with a 400 that names q", async (_label, q, message) => {
    const response = await call("GET", `/api/v1/search?${new URLSearchParams({ q })}`, { key: org.key });
    const problem = await expectProblem(response, 400);
    expect(problem.errors).toEqual([{ path: "q", message: expect.stringMatching(message) }]);
  });

  it("searches a field name it does not know as text rather than as a column filter", async () => {
    const { ids } = await ingestHeld(org, [trace({ id: "colon", output: "Meet at gate b:12 tomorrow." })]);
    const page = await search(org, { q: "b:12" });
    expect(page.data.map((h) => h.id)).toEqual(ids);
  });

  it("refuses a cursor it did not issue", async () => {
    const response = await call("GET", "/api/v1/search?q=mg&cursor=bm90LWEtY3Vyc29y", { key: org.key });
    expect((await expectProblem(response, 400)).errors?.[0]?.path).toBe("cursor");
  });
});

describe("search combined with evaluation outcomes", () => {
  it("filters by verdict and by the rule the latest evaluation raised", async () => {
    const org = await createOrg();
    const { messages } = await ingestHeld(org, [
      trace({ id: "overdose", output: "Take 1000 mg of acetaminophen every 4 hours, around the clock." }),
      trace({ id: "safe", domain: "generic", output: "Acetaminophen is also called paracetamol." }),
    ]);
    await deliverEvaluations(messages);
    const query = { q: "acetaminophen" };
    expect(clientIds(await search(org, query))).toEqual(["overdose", "safe"]);
    expect(clientIds(await search(org, { ...query, verdict: "fail" }))).toEqual(["overdose"]);
    expect(clientIds(await search(org, { ...query, rule: "healthcare.medication_overdose" }))).toEqual([
      "overdose",
    ]);
    expect(clientIds(await search(org, { ...query, severity: "none" }))).toEqual(["safe"]);
    expect(clientIds(await search(org, { ...query, needs_review: "false", verdict: "pass" }))).toEqual([
      "safe",
    ]);
  });
});

const OVERDOSE_4H = "Take 1000 mg of acetaminophen every 4 hours, around the clock, until the pain is gone.";
const NEAR_DUPLICATES = [
  OVERDOSE_4H,
  "Take 1000 mg of acetaminophen every 3 hours, around the clock, until the pain is gone.",
  "You can take 1000 mg of acetaminophen every 4 hours, around the clock, until the pain is gone.",
];
const IBUPROFEN = [
  "Take 1500 mg of ibuprofen every 4 hours with food for the swelling.",
  "Take 1600 mg of ibuprofen every 4 hours with food for the swelling.",
];
const LONE = "Take 800 mg of ibuprofen every 2 hours with food.";

describe("near-duplicate traces", () => {
  it("lists a trace's siblings, most similar first, and only its organization's", async () => {
    const [org, other] = [await createOrg(), await createOrg()];
    const outputs = [...NEAR_DUPLICATES, ...IBUPROFEN];
    const { ids } = await ingestHeld(
      org,
      outputs.map((output, i) => trace({ id: `t${i}`, output })),
    );
    await ingestHeld(other, [trace({ output: OVERDOSE_4H })]);
    const response = await call("GET", `/api/v1/traces/${ids[0]}/similar`, { key: org.key });
    expect(response.status).toBe(200);
    const body = await response.json<{ data: { id: string; similarity: number; output: string }[] }>();
    expect(body.data.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    expect(body.data.map((s) => s.similarity)).toEqual(
      [...body.data.map((s) => s.similarity)].sort().reverse(),
    );
    expect(body.data.every((s) => s.similarity >= 0.7 && s.similarity < 1)).toBe(true);
    expect(body.data[0]?.output).toBe(NEAR_DUPLICATES[2]);

    const strict = await call("GET", `/api/v1/traces/${ids[0]}/similar?min_similarity=0.99`, {
      key: org.key,
    });
    expect((await strict.json<{ data: unknown[] }>()).data).toEqual([]);
    const foreign = await call("GET", `/api/v1/traces/${ids[0]}/similar`, { key: other.key });
    expect(foreign.status).toBe(404);
  });

  it("groups a rule's failing traces into patterns with a count and an example each", async () => {
    const org = await createOrg();
    const outputs = [...NEAR_DUPLICATES, ...IBUPROFEN, LONE];
    const { ids, messages } = await ingestHeld(
      org,
      outputs.map((output) => trace({ output })),
    );
    await ingestHeld(org, [trace({ domain: "generic", output: "The capital of France is Paris." })]);
    await deliverEvaluations(messages);
    const response = await call(
      "GET",
      `/api/v1/issues/clusters?${new URLSearchParams({ rule: "healthcare.medication_overdose", since: "2020-01-01T00:00:00Z", until: "2100-01-01T00:00:00Z" })}`,
      { key: org.key },
    );
    expect(response.status).toBe(200);
    const body = await response.json<{
      failing_traces: number;
      clustered: number;
      complete: boolean;
      data: { count: number; share: number; example: { id: string; output: string }; trace_ids: string[] }[];
    }>();
    expect(body).toMatchObject({ failing_traces: 6, clustered: 6, complete: true });
    expect(body.data.map((c) => [c.count, c.share])).toEqual([
      [3, 0.5],
      [2, 2 / 6],
      [1, 1 / 6],
    ]);
    // Traces of one batch share a timestamp; the example is the newest by id among equals.
    expect(body.data.map((c) => [...c.trace_ids].sort())).toEqual([
      ids.slice(0, 3).sort(),
      ids.slice(3, 5).sort(),
      [ids[5]],
    ]);
    expect(body.data[2]?.example).toMatchObject({ id: ids[5], output: LONE });
  });

  it("requires the rule", async () => {
    const org = await createOrg();
    const problem = await expectProblem(await call("GET", "/api/v1/issues/clusters", { key: org.key }), 400);
    expect(problem.errors?.map((e) => e.path)).toEqual(["rule"]);
  });
});
