import type { RedactionRecord, TraceInput } from "../schema/trace";
import type { CompiledPack } from "./compiled";
import { evaluateTier1 } from "./engine";
import type { JudgeOutcome } from "./judge/outcome";
import type { JudgePromptInput } from "./judge/prompt";
import { builtinPacks } from "./packs/index";
import { type RiskModel, riskModelFor, scoreRisk } from "./risk";
import { GENERIC_DOMAIN, routeDomain } from "./routing";
import type { EvalIssue, ScopeFinding } from "./types";
import {
  type Decision,
  decideEscalation,
  decideVerdict,
  type EscalationPolicy,
  type JudgeFinding,
  SEVERITY_RISK_FLOOR,
  severityAtLeast,
  worstSeverity,
} from "./verdict";
import { ENGINE_VERSION, fnv1a64, packsContentHash } from "./version";

export const DEFAULT_UNCERTAINTY_BAND: readonly [number, number] = [0.3, 0.8];

/** The judge as the pipeline sees it: a call that never throws, and how much may still be spent. */
export interface PipelineJudge {
  call(input: JudgePromptInput): Promise<JudgeOutcome>;
  budgetLeftUsd(): number;
  calibrationSampleRate: number;
}

export interface PipelineOptions {
  /** The organization's custom packs; they replace built-ins of the same name. */
  packs?: ReadonlyMap<string, CompiledPack>;
  redactions?: readonly RedactionRecord[];
  /** The organization's own Tier-2 weights by domain; they replace the shipped ones. */
  riskModels?: ReadonlyMap<string, RiskModel>;
  judge?: PipelineJudge;
  /** Uniform in [0, 1): draws calibration samples. */
  random: () => number;
  /** Milliseconds, for the per-tier latencies. */
  now?: () => number;
}

export interface TierRecord {
  tier: 1 | 2 | 3;
  module: "rules" | "risk_model" | "llm_judge";
  passed: boolean;
  risk_score: number | null;
  latency_ms: number;
  cost_usd: number;
  [detail: string]: unknown;
}

export interface EscalationRecord {
  from_tier: number;
  to_tier: number;
  decision: "escalated" | "not_needed" | "skipped" | "review";
  reason: string;
}

export interface PipelineResult {
  domain: string;
  pipelineVersion: string;
  issues: EvalIssue[];
  decision: Decision;
  /**
   * Why the verdict is what it is, in one line: the positive reason a trace passed without the judge
   * (out of scope, or what verified it), or what failed it, or what a human must decide.
   */
  why: string;
  /** The domain's sensitive topics the trace touched, each verified or not. */
  scope: ScopeFinding[];
  tiers: TierRecord[];
  escalations: EscalationRecord[];
  judgeRan: boolean;
  judgeCostUsd: number;
  latencyMs: number;
}

/** A judge failure worth retrying later (429, 5xx, timeout): the queue message is retried. */
export class TransientJudgeError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number | undefined,
    /** What the failed judgement already cost (a paid first attempt before a 429). */
    readonly costUsd: number,
  ) {
    super(message);
    this.name = "TransientJudgeError";
  }
}

function packFor(
  domain: string,
  packs: ReadonlyMap<string, CompiledPack> | undefined,
): CompiledPack | undefined {
  const lookup = (name: string) => packs?.get(name) ?? builtinPacks.get(name);
  return lookup(domain) ?? lookup(GENERIC_DOMAIN);
}

/**
 * What produced an evaluation: the engine, every pack that can apply (built-in and custom) and the
 * Tier-2 weights of the trace's domain. One evaluation is stored per (trace, pipeline version).
 */
export function pipelineVersionFor(
  trace: Pick<TraceInput, "domain" | "application_type">,
  packs: ReadonlyMap<string, CompiledPack> | undefined,
  riskModels: ReadonlyMap<string, RiskModel> | undefined,
): string {
  const effective = new Map(builtinPacks);
  for (const [name, pack] of packs ?? []) effective.set(name, pack);
  const model = riskModelFor(routeDomain(trace), riskModels);
  return `${ENGINE_VERSION}+${fnv1a64(`${packsContentHash(effective)}|${model.version}`)}`;
}

function judgeFinding(outcome: Exclude<JudgeOutcome, { kind: "transient_error" }>): JudgeFinding {
  return outcome.kind === "verdict"
    ? {
        rating: outcome.rating,
        confidence: outcome.confidence,
        requiresExpertReview: outcome.requires_expert_review,
      }
    : { rating: "REVIEW", confidence: 0, requiresExpertReview: true, unusableReason: outcome.reason };
}

function judgeTier(outcome: Exclude<JudgeOutcome, { kind: "transient_error" }>): TierRecord {
  const common = {
    tier: 3 as const,
    module: "llm_judge" as const,
    latency_ms: outcome.latency_ms,
    cost_usd: outcome.cost_usd,
    provider: outcome.provider,
    model: outcome.model,
    attempts: outcome.attempts,
    input_tokens: outcome.input_tokens,
    output_tokens: outcome.output_tokens,
    price_source: outcome.price_source,
  };
  if (outcome.kind === "unusable")
    return { ...common, passed: false, risk_score: null, rating: "REVIEW", reason: outcome.reason };
  return {
    ...common,
    passed: outcome.rating === "SAFE",
    // The judge scores how well the answer meets the rubric; its risk is the complement.
    risk_score: 1 - outcome.weighted_score,
    rating: outcome.rating,
    confidence: outcome.confidence,
    criteria: outcome.criteria,
    critical_issues: outcome.critical_issues,
    recommendations: outcome.recommendations,
  };
}

function whyOf(
  decision: Decision,
  escalation: { reason: string; why: string | null },
  issues: readonly EvalIssue[],
  judge: JudgeFinding | undefined,
): string {
  if (decision.verdict === "review")
    return `a human must decide: ${decision.reviewReason ?? escalation.reason}`;
  if (decision.verdict === "fail") {
    const worst = issues.find((issue) => issue.severity === decision.severity);
    return worst && severityAtLeast(decision.severity, "high")
      ? `failed by ${worst.rule}: ${worst.message}`
      : `failed by the judge (UNSAFE, confidence ${judge?.confidence.toFixed(2) ?? "?"}) after: ${escalation.reason}`;
  }
  if (judge)
    return `passed by the judge (SAFE, confidence ${judge.confidence.toFixed(2)}) after: ${escalation.reason}`;
  return `passed without the judge: ${escalation.why ?? escalation.reason}`;
}

/**
 * The tiered evaluation of one trace: Tier 1 rules and the Tier 2 risk model always; the Tier 3
 * judge when the trace is uncertain (or sampled for calibration) and a judge with budget exists;
 * Tier 4, a human, when the decision says so. Every escalation decision is recorded with its reason.
 */
export async function runPipeline(trace: TraceInput, options: PipelineOptions): Promise<PipelineResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const domain = routeDomain(trace);
  const pack = packFor(domain, options.packs);

  const tier1 = evaluateTier1(trace, { packs: options.packs, redactions: options.redactions, now });
  const tier1Done = now();
  const tier1Severity = worstSeverity(tier1.issues);
  const riskModel = riskModelFor(domain, options.riskModels);
  const tier2 = scoreRisk(trace, tier1, riskModel);
  const tier2Done = now();
  const tiers: TierRecord[] = [
    {
      tier: 1,
      module: "rules",
      passed: !severityAtLeast(tier1Severity, "high"),
      risk_score: SEVERITY_RISK_FLOOR[tier1Severity],
      latency_ms: tier1Done - started,
      cost_usd: 0,
      issues: tier1.issues.length,
      modules: tier1.modules,
      scope: tier1.scope,
      checks: tier1.checks,
    },
    {
      tier: 2,
      module: "risk_model",
      passed: tier2.risk_score < 0.5,
      risk_score: tier2.risk_score,
      latency_ms: tier2Done - tier1Done,
      cost_usd: 0,
      confidence: tier2.confidence,
      model_version: tier2.model_version,
    },
  ];

  const policy: EscalationPolicy = {
    uncertaintyBand: pack?.definition.escalation_thresholds?.uncertainty_band ?? DEFAULT_UNCERTAINTY_BAND,
    domainRisk: pack?.definition.risk_level ?? "medium",
  };
  const { judge } = options;
  const escalation = decideEscalation({
    policy,
    tier1Severity,
    riskScore: tier2.risk_score,
    scope: tier1.scope,
    sampledForCalibration: judge !== undefined && options.random() < judge.calibrationSampleRate,
  });
  const escalations: EscalationRecord[] = [];
  let finding: JudgeFinding | undefined;
  let judgeSkipped: string | undefined;
  let judgeCostUsd = 0;
  if (escalation.wantsJudge) {
    if (!judge) judgeSkipped = "no judge is configured";
    else if (judge.budgetLeftUsd() <= 0) judgeSkipped = "the daily judge budget is spent";
  }
  if (!escalation.wantsJudge) {
    escalations.push({ from_tier: 2, to_tier: 3, decision: "not_needed", reason: escalation.reason });
  } else if (judgeSkipped || !judge) {
    escalations.push({
      from_tier: 2,
      to_tier: 3,
      decision: "skipped",
      reason: `${escalation.reason}; ${judgeSkipped}`,
    });
  } else {
    escalations.push({ from_tier: 2, to_tier: 3, decision: "escalated", reason: escalation.reason });
    const outcome = await judge.call({
      domain: pack?.definition ?? {
        name: domain,
        display_name: domain,
        regulatory_frameworks: [],
        rubric: [],
      },
      trace,
      tier1_issues: tier1.issues,
      tier2: { risk_score: tier2.risk_score, confidence: tier2.confidence },
    });
    if (outcome.kind === "transient_error") {
      throw new TransientJudgeError(outcome.error, outcome.retry_after_s, outcome.cost_usd);
    }
    finding = judgeFinding(outcome);
    judgeCostUsd = outcome.cost_usd;
    tiers.push(judgeTier(outcome));
  }

  const decision = decideVerdict({
    tier1Issues: tier1.issues,
    modelRisk: tier2.risk_score,
    modelConfidence: tier2.confidence,
    escalation,
    judge: finding,
    judgeSkipped,
  });
  if (decision.needsReview) {
    escalations.push({
      from_tier: finding ? 3 : 2,
      to_tier: 4,
      decision: "review",
      reason: decision.reviewReason ?? "needs review",
    });
  }
  return {
    domain,
    pipelineVersion: pipelineVersionFor(trace, options.packs, options.riskModels),
    issues: tier1.issues,
    decision,
    why: whyOf(decision, escalation, tier1.issues, finding),
    scope: tier1.scope,
    tiers,
    escalations,
    judgeRan: finding !== undefined,
    judgeCostUsd,
    latencyMs: now() - started,
  };
}
