import { parse as parseYaml } from "yaml";
import { formatPath } from "../lib/field-path";
import { jsonValueProblem } from "../lib/json-value";
import type { CompiledPack, CompiledRule, CompiledTopic } from "./compiled";
import { compileCitationRule } from "./kinds/citation";
import { compileCounterfactualRule } from "./kinds/counterfactual";
import { compileDoseRule } from "./kinds/dose";
import { compileInteractionRule } from "./kinds/interaction";
import { compileMotionLimitRule } from "./kinds/motion-limit";
import { compileMultiAgentRule } from "./kinds/multi-agent";
import { compileNumericBoundRule } from "./kinds/numeric-bound";
import { compileOrderRule } from "./kinds/order";
import { compilePhiRule } from "./kinds/phi-rule";
import { compileRlRule } from "./kinds/rl";
import { compileTextRule, compileVerifierRule } from "./kinds/text-rules";
import { compileTimeLimitRule } from "./kinds/time-limit";
import { type DomainPack, domainPackSchema, RULE_KINDS, type Rule } from "./pack-schema";
import { type PackError, RuleErrors } from "./regex-tools";
import { compileTopic } from "./scope";
import type { RuleMeta } from "./types";
import { canonicalJson, fnv1a64 } from "./version";

/** Modules of the generic pack's rules, which every trace runs: a topic may name their rules. */
const GENERIC_RULE_MODULES: ReadonlySet<string> = new Set(["phi", "rl", "multi_agent", "counterfactual"]);

export type { PackError };
export type LoadResult = { ok: true; pack: CompiledPack } | { ok: false; errors: PackError[] };

function compileRule(rule: Rule, meta: RuleMeta, errors: RuleErrors): CompiledRule | null {
  switch (rule.kind) {
    case "pattern":
    case "phrases":
      return compileTextRule(rule, meta, errors);
    case "dose_limit":
      return compileDoseRule(rule, meta, errors);
    case "interaction":
      return compileInteractionRule(rule, meta, errors);
    case "numeric_bound":
      return compileNumericBoundRule(rule, meta, errors);
    case "citation":
      return compileCitationRule(rule, meta);
    case "phi":
      return compilePhiRule(rule, meta);
    case "rl_episode":
      return compileRlRule(rule, meta);
    case "multi_agent":
      return compileMultiAgentRule(rule, meta);
    case "counterfactual":
      return compileCounterfactualRule(rule, meta);
    case "verifier":
      return compileVerifierRule(rule, meta, errors);
    case "order_limit":
      return compileOrderRule(rule, meta, errors);
    case "time_limit":
      return compileTimeLimitRule(rule, meta, errors);
    case "motion_limit":
      return compileMotionLimitRule(rule, meta, errors);
  }
}

/** Compiles a validated pack: regexes, paths and tables are checked here, with the rule id in each error. */
export function compilePack(definition: DomainPack): LoadResult {
  const errors: PackError[] = [];
  const seen = new Set<string>();
  const rules: CompiledRule[] = [];
  definition.rules.forEach((rule, i) => {
    const ruleErrors = new RuleErrors(errors, `rules[${i}]`, rule.id);
    if (seen.has(rule.id)) ruleErrors.add(".id", "duplicate rule id in this pack");
    seen.add(rule.id);
    const meta: RuleMeta = {
      id: rule.id,
      module: rule.id.slice(0, rule.id.indexOf(".")),
      // A verifier raises no issue: its severity is never shown.
      severity: rule.kind === "verifier" ? "low" : rule.severity,
      description: rule.description,
      message: rule.kind === "verifier" ? rule.description : (rule.message ?? rule.description),
    };
    const compiled = compileRule(rule, meta, ruleErrors);
    if (compiled !== null) rules.push(compiled);
  });
  const scope: CompiledTopic[] = [];
  const ruleIds = new Set(definition.rules.map((rule) => rule.id));
  definition.scope.forEach((topic, i) => {
    const topicErrors = new RuleErrors(errors, `scope[${i}]`, topic.id);
    for (const [j, id] of topic.verified_by.entries()) {
      // Rules of the generic pack apply to every trace, so a topic may name them too.
      if (!ruleIds.has(id) && !id.startsWith("generic.") && !GENERIC_RULE_MODULES.has(id.split(".")[0] ?? ""))
        topicErrors.add(`.verified_by[${j}]`, `no rule "${id}" in this pack or the generic pack`);
    }
    const compiled = compileTopic(topic, topicErrors);
    if (compiled !== null) scope.push(compiled);
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    pack: {
      name: definition.name,
      version: definition.version,
      definition,
      rules,
      scope,
      contentHash: fnv1a64(canonicalJson(definition)),
    },
  };
}

function ruleIdAt(raw: unknown, index: PropertyKey | undefined): string | undefined {
  if (typeof raw !== "object" || raw === null || !("rules" in raw) || !Array.isArray(raw.rules))
    return undefined;
  const rule: unknown = typeof index === "number" ? raw.rules[index] : undefined;
  return typeof rule === "object" && rule !== null && "id" in rule && typeof rule.id === "string"
    ? rule.id
    : undefined;
}

/** The document when the text is JSON, else undefined (YAML, or JSON with a syntax error for YAML to report). */
function jsonDocument(source: string): unknown {
  if (!source.trimStart().startsWith("{")) return undefined;
  try {
    return JSON.parse(source) as unknown;
  } catch {
    return undefined;
  }
}

/** Parses (YAML or JSON text, or an object), validates and compiles a domain pack. */
export function loadDomainPack(source: string | unknown): LoadResult {
  let raw: unknown = source;
  if (typeof source === "string") {
    try {
      // JSON is read as JSON (iteratively: a hostile nesting is then refused with its path below);
      // anything else as YAML, a superset of JSON, whose alias expansion the parser caps (billion-laughs).
      raw = jsonDocument(source) ?? parseYaml(source, { maxAliasCount: 100 });
    } catch (error) {
      return {
        ok: false,
        errors: [
          {
            path: "",
            message: `not valid YAML or JSON: ${error instanceof Error ? error.message : String(error)}`,
          },
        ],
      };
    }
  }
  const problem = jsonValueProblem(raw);
  if (problem) return { ok: false, errors: [{ path: formatPath(problem.path), message: problem.message }] };
  const parsed = domainPackSchema.safeParse(raw);
  if (parsed.success) return compilePack(parsed.data);
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = formatPath(issue.path);
      const isUnknownKind = issue.code === "invalid_union" && issue.path[issue.path.length - 1] === "kind";
      const message = isUnknownKind
        ? `unknown kind; expected one of ${RULE_KINDS.join(", ")}`
        : issue.message;
      const ruleId = issue.path[0] === "rules" ? ruleIdAt(raw, issue.path[1]) : undefined;
      return { path, message: ruleId === undefined ? message : `rule "${ruleId}": ${message}` };
    }),
  };
}
