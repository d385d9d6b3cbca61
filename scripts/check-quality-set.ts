// Checks the quality set (data/quality/**/*.jsonl): each line a case with a trace the API accepts.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { builtinPacks } from "../src/eval";
import { traceInputSchema } from "../src/schema/trace";

const root = path.join(import.meta.dirname, "../data/quality");
const ruleIds = new Set([...builtinPacks.values()].flatMap((pack) => pack.rules.map((rule) => rule.meta.id)));
const authors = new Set(["clinician", "compliance_officer", "litigator", "safety_engineer"]);
const ids = new Set<string>();
let problems = 0;
let cases = 0;
const report = (where: string, message: string) => {
  problems += 1;
  console.error(`${where}: ${message}`);
};

for (const half of ["dev", "heldout"]) {
  const dir = path.join(root, half);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
    readFileSync(path.join(dir, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.trim() === "") return;
        const where = `${half}/${file}:${i + 1}`;
        let c: Record<string, unknown>;
        try {
          c = JSON.parse(line);
        } catch (error) {
          report(where, `not JSON: ${(error as Error).message}`);
          return;
        }
        cases += 1;
        if (typeof c.id !== "string" || c.id === "") report(where, "id must be a non-empty string");
        else if (ids.has(c.id)) report(where, `duplicate id ${c.id}`);
        else ids.add(c.id);
        if (!authors.has(String(c.author))) report(where, `author must be one of ${[...authors].join(", ")}`);
        if (c.label !== "violation" && c.label !== "clean") report(where, "label must be violation or clean");
        const verdicts = c.label === "clean" ? ["pass"] : ["fail", "review"];
        if (!verdicts.includes(String(c.expected_verdict)))
          report(where, `expected_verdict of a ${c.label} case must be ${verdicts.join(" or ")}`);
        if (!Array.isArray(c.expected_rules)) report(where, "expected_rules must be an array");
        else
          for (const rule of c.expected_rules)
            if (!ruleIds.has(String(rule))) report(where, `unknown rule ${String(rule)}`);
        if (c.label === "clean" && typeof c.near_miss !== "boolean")
          report(where, "near_miss must be a boolean");
        if (typeof c.reason !== "string" || c.reason.trim() === "") report(where, "reason is missing");
        const parsed = traceInputSchema.safeParse(c.trace);
        if (!parsed.success)
          report(
            where,
            `trace: ${parsed.error.issues.map((e) => `${e.path.join(".")}: ${e.message}`).join("; ")}`,
          );
      });
  }
}
console.log(`${cases} cases, ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);
