import type { RlEpisode } from "../../schema/trace";
import type { CompiledRule } from "../compiled";
import { makeIssue, valueEvidence } from "../issue";
import type { RuleOfKind } from "../pack-schema";
import type { Evidence, RuleMeta } from "../types";

type RlCheck = RuleOfKind<"rl_episode">["check"];
type Steps = RlEpisode["steps"];

interface Finding {
  detail: string;
  evidence: Evidence | null;
}

/** Identity of an action or a state for counting distinct ones (key order as sent). */
function key(value: unknown): string {
  return typeof value === "string" ? `s:${value}` : (JSON.stringify(value) ?? "undefined");
}

function distinct(values: readonly unknown[]): number {
  return new Set(values.map(key)).size;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(3));

/** One function per metric: given the steps and thresholds, a finding or null. */
const METRICS: {
  [M in RlCheck["metric"]]: (steps: Steps, check: Extract<RlCheck, { metric: M }>) => Finding | null;
} = {
  reward_hacking(steps, { min_steps, max_cv }) {
    if (steps.length < min_steps) return null;
    const mean = steps.reduce((sum, s) => sum + s.reward, 0) / steps.length;
    if (mean === 0) return null;
    const variance = steps.reduce((sum, s) => sum + (s.reward - mean) ** 2, 0) / steps.length;
    const cv = Math.sqrt(variance) / Math.abs(mean);
    if (cv >= max_cv) return null;
    return {
      detail: `reward is nearly constant (mean ${fmt(mean)}, coefficient of variation ${fmt(cv)} < ${max_cv}) over ${steps.length} steps`,
      evidence: null,
    };
  },
  action_exploitation(steps, { min_steps, max_distinct_ratio }) {
    if (steps.length < min_steps) return null;
    const ratio = distinct(steps.map((s) => s.action)) / steps.length;
    if (ratio >= max_distinct_ratio) return null;
    return {
      detail: `${fmt(ratio * steps.length)} distinct actions over ${steps.length} steps (ratio ${fmt(ratio)} < ${max_distinct_ratio})`,
      evidence: null,
    };
  },
  reward_task_mismatch(steps, { min_cumulative_reward }) {
    const total = steps.reduce((sum, s) => sum + s.reward, 0);
    const last = steps[steps.length - 1];
    if (total <= min_cumulative_reward || last === undefined || (last.done === true && last.reward > 0))
      return null;
    return {
      detail: `cumulative reward ${fmt(total)} > ${min_cumulative_reward} but the episode does not end done with a positive reward`,
      evidence: valueEvidence(`rl_episode.steps[${steps.length - 1}]`, {
        reward: last.reward,
        done: last.done ?? false,
      }),
    };
  },
  poor_exploration(steps, { min_steps, max_distinct_state_ratio }) {
    const states = steps.filter((s) => s.state !== undefined).map((s) => s.state);
    if (states.length < min_steps) return null;
    const distinctStates = distinct(states);
    const ratio = distinctStates / states.length;
    if (ratio >= max_distinct_state_ratio) return null;
    return {
      detail: `${distinctStates} distinct states over ${states.length} steps (ratio ${fmt(ratio)} < ${max_distinct_state_ratio})`,
      evidence: null,
    };
  },
  policy_divergence(steps, { min_steps, max_divergent_ratio }) {
    const compared = steps.filter((s) => s.info !== undefined && Object.hasOwn(s.info, "baseline_action"));
    if (compared.length < min_steps) return null;
    const divergent = compared.filter((s) => key(s.action) !== key(s.info?.baseline_action)).length;
    if (divergent / compared.length <= max_divergent_ratio) return null;
    return {
      detail: `${divergent} of ${compared.length} steps differ from the baseline action`,
      evidence: null,
    };
  },
  reward_oscillation(steps, { min_steps, max_sign_change_ratio }) {
    if (steps.length < min_steps) return null;
    let changes = 0;
    let previousSign = 0;
    for (let i = 1; i < steps.length; i += 1) {
      const sign = Math.sign((steps[i]?.reward ?? 0) - (steps[i - 1]?.reward ?? 0));
      if (sign !== 0 && previousSign !== 0 && sign !== previousSign) changes += 1;
      if (sign !== 0) previousSign = sign;
    }
    if (changes <= max_sign_change_ratio * steps.length) return null;
    return {
      detail: `reward direction changes ${changes} times over ${steps.length} steps (> ${max_sign_change_ratio} × steps)`,
      evidence: null,
    };
  },
  reward_divergence(steps, { min_reward }) {
    const index = steps.findIndex((s) => s.reward < min_reward);
    const step = steps[index];
    if (step === undefined) return null;
    return {
      detail: `reward ${fmt(step.reward)} at step ${index} is below ${min_reward}`,
      evidence: valueEvidence(`rl_episode.steps[${index}].reward`, step.reward),
    };
  },
};

function runMetric<M extends RlCheck["metric"]>(
  steps: Steps,
  check: Extract<RlCheck, { metric: M }>,
): Finding | null {
  const metric: (steps: Steps, check: Extract<RlCheck, { metric: M }>) => Finding | null =
    METRICS[check.metric];
  return metric(steps, check);
}

export function compileRlRule(rule: RuleOfKind<"rl_episode">, meta: RuleMeta): CompiledRule {
  return {
    meta,
    evaluate(view, out) {
      const steps = view.trace.rl_episode?.steps;
      if (steps === undefined || steps.length === 0) return;
      const finding = runMetric(steps, rule.check);
      if (finding !== null) out.push(makeIssue(meta, `${meta.message}: ${finding.detail}`, finding.evidence));
      else
        view.check(
          meta.id,
          "safe",
          `${steps.length} steps checked for ${rule.check.metric.replace(/_/g, " ")}`,
        );
    },
  };
}
