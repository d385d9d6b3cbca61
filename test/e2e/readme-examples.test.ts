// The README's examples that show a verdict, run as written: each shell command that ingests a trace
// is executed with curl against `npm start`, and each evaluation the README prints is compared with
// what the server answers for the same request.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { root } from "../../scripts/dev-server";
import { aegisForSuite } from "../support/e2e";

const run = promisify(execFile);

interface ShellCommand {
  text: string;
  /** The comment lines right after it: what the README says it prints. */
  shown: string;
}

/** The commands of every `sh` block, joined across `\` continuations and quoted newlines. */
function readmeCommands(markdown: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  for (const [, block] of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let current = "";
    let quoted = false;
    const lines = (block ?? "").split("\n");
    for (const line of lines) {
      if (!quoted && current === "" && line.trimStart().startsWith("#")) {
        const last = commands.at(-1);
        if (last) last.shown += `${line.trimStart().replace(/^#\s?/, "")}\n`;
        continue;
      }
      current += current === "" ? line : `\n${line}`;
      for (const ch of line) if (ch === "'") quoted = !quoted;
      if (quoted || line.endsWith("\\")) continue;
      if (current.trim() !== "") commands.push({ text: current, shown: "" });
      current = "";
    }
  }
  return commands;
}

const readme = readFileSync(join(root, "README.md"), "utf8");
const commands = readmeCommands(readme);
const ingests = commands.filter((c) =>
  /curl\b[\s\S]*\/api\/v1\/traces(?:\/batch)?\s[\s\S]*\s-d\s/.test(c.text),
);
const shownEvaluations = commands.filter(
  (c) => /\/api\/v1\/traces\/[^/\s]+\/evaluation/.test(c.text) && c.shown.includes('"verdict"'),
);

/** The string, boolean or null value the README shows for each occurrence of `key`. */
function shownValues(shown: string, key: string): unknown[] {
  const pattern = new RegExp(`"${key}":("(?:[^"\\\\]|\\\\.)*"|true|false|null)`, "g");
  return [...shown.matchAll(pattern)].map(([, value]) => JSON.parse(value ?? "null"));
}

describe("README examples", () => {
  const server = aegisForSuite("readme", 9200);

  async function sh(command: string): Promise<string> {
    const { stdout } = await run("bash", ["-c", command], {
      env: { ...process.env, AEGIS: server.base, KEY: server.key },
    });
    return stdout;
  }

  it("finds the examples it runs", () => {
    assert.ok(ingests.length >= 2, `ingest commands found: ${ingests.length}`);
    assert.ok(shownEvaluations.length >= 1, "no evaluation with a verdict found in the README");
  });

  it("answers each shown evaluation as the README shows it", async () => {
    for (const ingest of ingests) await sh(ingest.text);
    for (const example of shownEvaluations) {
      const answer = JSON.parse(await sh(example.text));
      const context = `${example.text}\n→ ${JSON.stringify(answer)}`;
      for (const key of ["status", "verdict", "severity", "needs_review", "review_reason"]) {
        const [expected] = shownValues(example.shown, key);
        if (expected !== undefined) assert.deepEqual(answer[key], expected, `${key}: ${context}`);
      }
      const issues: { rule: string; severity: string; evidence: { excerpt?: string } | null }[] =
        answer.issues;
      for (const rule of shownValues(example.shown, "rule"))
        assert.ok(
          issues.some((issue) => issue.rule === rule),
          `rule ${rule}: ${context}`,
        );
      for (const excerpt of shownValues(example.shown, "excerpt"))
        assert.ok(
          issues.some((issue) => issue.evidence?.excerpt === excerpt),
          `excerpt ${excerpt}: ${context}`,
        );
    }
  });
});
