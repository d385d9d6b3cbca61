import type { RedactionRecord, TraceInput } from "../schema/trace";
import type { CompiledPack, CompiledRule, CompiledTopic } from "./compiled";
import { MAX_ISSUES_PER_RULE, makeIssue } from "./issue";
import { builtinPacks } from "./packs/index";
import { GENERIC_DOMAIN, routeDomain } from "./routing";
import { detectTopics, settleTopics } from "./scope";
import { TraceView } from "./trace-view";
import type { EvalIssue, ModuleTiming, RuleMeta, Tier1Result } from "./types";

export interface Tier1Options {
  /** Custom packs by name; they replace built-ins of the same name (including "generic"). */
  packs?: ReadonlyMap<string, CompiledPack>;
  /** Redaction records stored with the trace: `phi.leak` reports those of the output. */
  redactions?: readonly RedactionRecord[];
  /** Clock in milliseconds for the per-module timings. */
  now?: () => number;
  /** Evaluate against this pack instead of routing (a dry run against a named pack). */
  domain?: string;
}

interface ModulePlan {
  module: string;
  rules: readonly CompiledRule[];
}

interface Plan {
  modules: ModulePlan[];
  /** The domain pack's scope topics, then the generic pack's (a domain topic replaces one of its id). */
  scope: CompiledTopic[];
}

/**
 * The rules to run for a domain pack plus the generic pack: the domain's own rules first; a domain
 * rule with the id of a generic rule replaces it (healthcare makes `phi.leak` critical). Grouped by module.
 */
function buildPlan(domainPack: CompiledPack | undefined, genericPack: CompiledPack | undefined): Plan {
  const rules = new Map<string, CompiledRule>();
  for (const rule of domainPack?.rules ?? []) rules.set(rule.meta.id, rule);
  if (genericPack !== domainPack) {
    for (const rule of genericPack?.rules ?? []) if (!rules.has(rule.meta.id)) rules.set(rule.meta.id, rule);
  }
  const modules = new Map<string, CompiledRule[]>();
  for (const rule of rules.values()) {
    const list = modules.get(rule.meta.module);
    if (list === undefined) modules.set(rule.meta.module, [rule]);
    else list.push(rule);
  }
  const scope = new Map<string, CompiledTopic>();
  for (const topic of domainPack?.scope ?? []) scope.set(topic.id, topic);
  if (genericPack !== domainPack) {
    for (const topic of genericPack?.scope ?? []) if (!scope.has(topic.id)) scope.set(topic.id, topic);
  }
  return {
    modules: [...modules].map(([module, list]) => ({ module, rules: list })),
    scope: [...scope.values()],
  };
}

/** Plans are built once per (domain pack, generic pack) pair and reused for every trace. */
const planCache = new WeakMap<object, WeakMap<object, Plan>>();
/** Cache key standing for "no such pack". */
const ABSENT = {};

function planFor(domainPack: CompiledPack | undefined, genericPack: CompiledPack | undefined): Plan {
  const outer = domainPack ?? ABSENT;
  const inner = genericPack ?? ABSENT;
  let byGeneric = planCache.get(outer);
  if (byGeneric === undefined) {
    byGeneric = new WeakMap();
    planCache.set(outer, byGeneric);
  }
  let plan = byGeneric.get(inner);
  if (plan === undefined) {
    plan = buildPlan(domainPack, genericPack);
    byGeneric.set(inner, plan);
  }
  return plan;
}

const ENGINE_ERROR: Omit<RuleMeta, "message"> = {
  id: "engine.rule_error",
  module: "engine",
  severity: "low",
  description: "A rule failed on this trace; the other rules still ran.",
};

const defaultNow = () => performance.now();

function lookup(options: Tier1Options, name: string): CompiledPack | undefined {
  return options.packs?.get(name) ?? builtinPacks.get(name);
}

/**
 * Tier 1: the deterministic rules of the routed domain's pack plus the generic pack. Pure and
 * synchronous; time per module is measured with `now`.
 */
export function evaluateTier1(trace: TraceInput, options: Tier1Options = {}): Tier1Result {
  const routed = options.domain ?? routeDomain(trace);
  const domainPack = lookup(options, routed);
  const genericPack = lookup(options, GENERIC_DOMAIN);
  const now = options.now ?? defaultNow;
  const view = new TraceView(trace, options.redactions ?? []);
  const issues: EvalIssue[] = [];
  const modules: ModuleTiming[] = [];
  const plan = planFor(domainPack, genericPack);

  const scopeStarted = now();
  const touched = detectTopics(plan.scope, view);
  const needed = new Set(touched.flatMap(({ topic }) => topic.verifiedBy));
  let scopeMs = now() - scopeStarted;

  for (const { module, rules } of plan.modules) {
    const started = now();
    const before = issues.length;
    for (const rule of rules) {
      if (rule.verifierOnly && !needed.has(rule.meta.id)) continue;
      const ruleStart = issues.length;
      const checksStart = view.checks.length;
      try {
        rule.evaluate(view, issues);
      } catch (error) {
        // A defect in one rule must not hide the findings of the others, nor vouch for anything.
        issues.length = ruleStart;
        view.checks.length = checksStart;
        const reason = error instanceof Error ? error.message : String(error);
        const message = `rule ${rule.meta.id} failed: ${reason}`;
        issues.push(makeIssue({ ...ENGINE_ERROR, message }, message, null));
      }
      if (issues.length - ruleStart > MAX_ISSUES_PER_RULE) issues.length = ruleStart + MAX_ISSUES_PER_RULE;
    }
    modules.push({ module, latency_ms: now() - started, issues: issues.length - before });
  }
  const settleStarted = now();
  const scope = settleTopics(touched, view, view.checks);
  scopeMs += now() - settleStarted;
  modules.push({ module: "scope", latency_ms: scopeMs, issues: 0 });
  return {
    domain: domainPack === undefined ? GENERIC_DOMAIN : routed,
    issues,
    modules,
    checks: view.checks,
    scope,
  };
}
