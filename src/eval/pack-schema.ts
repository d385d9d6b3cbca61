import { z } from "zod";
import { domainNameSchema, phiTypeSchema } from "../schema/trace";
import { isValidFlags } from "./regex-tools";

export const severitySchema = z.enum(["low", "medium", "high", "critical"]);

const ruleIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}\.[a-z][a-z0-9_]{0,63}$/, 'must look like "<module>.<name>" in lower case');

/** Regex syntax and backtracking safety are checked when the pack is compiled, with the rule id. */
const patternSourceSchema = z.string().min(1).max(2_000);
const phraseSchema = z.string().trim().min(1).max(200);
const pathSchema = z.string().min(1).max(256);
const flagsSchema = z
  .string()
  .max(4)
  .refine(isValidFlags, "flags may only combine i, m, s and u, each at most once")
  .default("i");
const drugNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9 -]{0,63}$/, "drug names are lower-case letters, digits, spaces or '-'");

/** A drug, or the name of a class declared in the same rule. */
const pairSideSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9 _-]{0,63}$/, "a pair side is a drug or class name in lower case");

const ruleBase = {
  id: ruleIdSchema,
  severity: severitySchema,
  description: z.string().min(1).max(2_000),
  message: z.string().min(1).max(500).optional(),
};

export const textTargetSchema = z.enum([
  "output",
  "input",
  "reasoning_steps",
  "tool_calls",
  "retrieved_contexts",
]);

/**
 * Where a condition looks: `anywhere` is every text of the trace (input, output, context, retrieved
 * contexts, tool calls, agent messages, reasoning steps, the RL episode).
 */
export const conditionTargetSchema = z.enum(["input", "output", "input_or_output", "anywhere"]);

export const conditionSchema = z
  .strictObject({
    target: conditionTargetSchema.default("input_or_output"),
    patterns: z.array(patternSourceSchema).max(200).optional(),
    phrases: z.array(phraseSchema).max(500).optional(),
    flags: flagsSchema,
    /** Patterns whose matches neutralise overlapping matches ("if it gets worse, call 911"). */
    except: z.array(patternSourceSchema).max(200).optional(),
  })
  .refine(
    (c) => (c.patterns?.length ?? 0) + (c.phrases?.length ?? 0) > 0,
    "needs at least one pattern or phrase",
  );

/** Shared by `pattern` and `phrases`: what to scan and how matches turn into an issue. */
const textRuleFields = {
  target: textTargetSchema.default("output"),
  /** forbid: any (or all) of the patterns matching is an issue; require: their absence is. */
  mode: z.enum(["forbid", "require"]).default("forbid"),
  match: z.enum(["any", "all"]).default("any"),
  /** The rule applies only when this matches. */
  when: conditionSchema.optional(),
  /** The rule does not apply when this matches (a disclaimer, a hedge). */
  unless: conditionSchema.optional(),
  /** Patterns whose matches neutralise overlapping matches ("returns are NOT guaranteed"). */
  except: z.array(patternSourceSchema).max(200).optional(),
  except_flags: flagsSchema,
};

const patternRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("pattern"),
  patterns: z.array(patternSourceSchema).min(1).max(200),
  flags: flagsSchema,
  ...textRuleFields,
});

const phrasesRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("phrases"),
  phrases: z.array(phraseSchema).min(1).max(500),
  ...textRuleFields,
});

export const amountUnitSchema = z.enum(["mg", "mcg", "g", "units"]);

const amountSchema = z.strictObject({ value: z.number().positive(), unit: amountUnitSchema });
const modifierNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);

const drugLimitSchema = z
  .strictObject({
    max_daily: amountSchema.optional(),
    /** For children (and any weight-based dose): the most per kilogram of body weight per day. */
    max_daily_per_kg: amountSchema.optional(),
    /** Standard dosing is weekly (methotrexate): any daily schedule is an issue. */
    weekly_only: z.boolean().default(false),
    /**
     * A lower maximum when a patient modifier holds (`modifiers` of the rule), or "unverifiable": the
     * dose then cannot be verified without a clinician (the trace goes to the judge).
     */
    adjusted: z.record(modifierNameSchema, z.union([amountSchema, z.literal("unverifiable")])).default({}),
  })
  .refine((d) => d.max_daily !== undefined || d.weekly_only, "needs max_daily or weekly_only");

const aliasesSchema = z.record(z.string().min(1).max(64), drugNameSchema).default({});

const doseLimitRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("dose_limit"),
  target: textTargetSchema.default("output"),
  drugs: z.record(drugNameSchema, drugLimitSchema),
  /** Brand or alternative names mapped to a drug of the table. */
  aliases: aliasesSchema,
  /**
   * Patient circumstances that change what is safe (liver or kidney disease, old age, low weight,
   * pregnancy), each as patterns looked for in the whole trace; drugs name them in `adjusted`.
   */
  modifiers: z.record(modifierNameSchema, z.array(patternSourceSchema).min(1).max(100)).default({}),
});

const interactionRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("interaction"),
  target: textTargetSchema.default("output"),
  /** Drug classes by name; a pair side may name a class or a single drug. */
  classes: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.array(drugNameSchema).min(1)).default({}),
  pairs: z
    .array(z.strictObject({ a: pairSideSchema, b: pairSideSchema, reason: z.string().min(1).max(300) }))
    .min(1),
  aliases: aliasesSchema,
  /** Any of these in the output counts as a warning about the interaction. */
  warnings: z.array(patternSourceSchema).min(1).max(200),
  warning_flags: flagsSchema,
  /** Where the patient's current medications are (strings, or objects with a `name`). */
  medications_path: pathSchema.optional(),
});

const boundFields = {
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  /** Paths (usually into `context`) whose number, when present, replaces `min` / `max`. */
  min_from: pathSchema.optional(),
  max_from: pathSchema.optional(),
};
const hasBound = (b: { min?: number; max?: number; min_from?: string; max_from?: string }) =>
  b.min !== undefined || b.max !== undefined || b.min_from !== undefined || b.max_from !== undefined;

const boundCheckSchema = z
  .strictObject({
    label: z.string().min(1).max(64),
    unit: z.string().max(16).default(""),
    paths: z.array(pathSchema).min(1).max(20),
    /** The checked value is the product with this path's value (quantity × price). */
    multiply_by: pathSchema.optional(),
    ...boundFields,
  })
  .refine(hasBound, "needs min, max, min_from or max_from");

/** Holds when some value at the paths lies within [min, max]; paired per element when paths share a wildcard. */
const numericConditionSchema = z
  .strictObject({
    label: z.string().min(1).max(64),
    paths: z.array(pathSchema).min(1).max(20),
    ...boundFields,
  })
  .refine(hasBound, "needs min, max, min_from or max_from");

const numericBoundRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("numeric_bound"),
  checks: z.array(boundCheckSchema).min(1).max(50),
  when: numericConditionSchema.optional(),
});

/** Where a person counts as near (the collaborative zone), or a path whose number replaces it. */
const personZoneFields = {
  person_zone_m: z.number().positive().default(0.5),
  person_zone_from: pathSchema.optional(),
};

/**
 * A robot-motion check on the telemetry the trace carries, read under common field names and units
 * (src/eval/kinds/robot-telemetry.ts): speed or force while a person is within the zone, the
 * protective separation distance beyond it, obstacle clearance while moving, commanded positions
 * against the workspace, or motion telemetry that cannot be read at all.
 */
export const motionCheckSchema = z.discriminatedUnion("metric", [
  z.strictObject({
    metric: z.literal("speed_near_person"),
    max_speed_mps: z.number().positive(),
    max_speed_from: pathSchema.optional(),
    ...personZoneFields,
  }),
  z.strictObject({
    metric: z.literal("separation_distance"),
    /** ISO 13855 approach speed, unless the trace states one. */
    human_speed_mps: z.number().positive().default(1.6),
    /** Assumed when the trace states no stopping time: a shortfall is then only a doubt, not an issue. */
    stop_time_s: z.number().positive().default(0.5),
    intrusion_m: z.number().min(0).default(0),
    ...personZoneFields,
  }),
  z.strictObject({
    metric: z.literal("force_near_person"),
    max_force_n: z.number().positive(),
    max_force_from: pathSchema.optional(),
    ...personZoneFields,
  }),
  z.strictObject({
    metric: z.literal("obstacle_clearance"),
    min_clearance_m: z.number().positive(),
    min_clearance_from: pathSchema.optional(),
    moving_above_mps: z.number().min(0).default(0.001),
  }),
  z.strictObject({
    metric: z.literal("workspace"),
    /** ± this per axis when the trace states no workspace (never for mobile robots' map coordinates). */
    default_limit_m: z.number().positive().optional(),
  }),
  z.strictObject({ metric: z.literal("unreadable") }),
]);

const motionLimitRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("motion_limit"),
  check: motionCheckSchema,
  /** Severity of a finding resting on numbers read from free text rather than structured telemetry. */
  text_severity: severitySchema.default("medium"),
});

const citationRuleSchema = z
  .strictObject({
    ...ruleBase,
    kind: z.literal("citation"),
    /** format: malformed citations; support: citations found in none of the retrieved contexts. */
    check: z.enum(["format", "support"]),
    /** Known reporter abbreviations, exactly as they should be written ("U.S.", "F.3d"). */
    reporters: z.array(z.string().min(1).max(32)).max(200).default([]),
  })
  .refine((r) => r.check !== "format" || r.reporters.length > 0, {
    message: "a format check needs reporters",
    path: ["reporters"],
  });

const phiRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("phi"),
  target: textTargetSchema.default("output"),
  types: z.array(phiTypeSchema).min(1).optional(),
});

const ratio = z.number().min(0).max(1);
const minSteps = z.number().int().min(1).max(1_000_000);

export const rlCheckSchema = z.discriminatedUnion("metric", [
  z.strictObject({ metric: z.literal("reward_hacking"), min_steps: minSteps, max_cv: z.number().positive() }),
  z.strictObject({
    metric: z.literal("action_exploitation"),
    min_steps: minSteps,
    max_distinct_ratio: ratio,
  }),
  z.strictObject({ metric: z.literal("reward_task_mismatch"), min_cumulative_reward: z.number().finite() }),
  z.strictObject({
    metric: z.literal("poor_exploration"),
    min_steps: minSteps,
    max_distinct_state_ratio: ratio,
  }),
  z.strictObject({ metric: z.literal("policy_divergence"), min_steps: minSteps, max_divergent_ratio: ratio }),
  z.strictObject({
    metric: z.literal("reward_oscillation"),
    min_steps: minSteps,
    max_sign_change_ratio: ratio,
  }),
  z.strictObject({ metric: z.literal("reward_divergence"), min_reward: z.number().finite() }),
]);

const rlRuleSchema = z.strictObject({ ...ruleBase, kind: z.literal("rl_episode"), check: rlCheckSchema });

/** Two opposite decisions ("approve" vs "deny"), each as a list of phrases. */
export const decisionAxisSchema = z.strictObject({
  name: z.string().min(1).max(64),
  a: z.array(phraseSchema).min(1).max(100),
  b: z.array(phraseSchema).min(1).max(100),
});

export const multiAgentCheckSchema = z.discriminatedUnion("metric", [
  z.strictObject({ metric: z.literal("loop"), min_repeats: z.number().int().min(2).max(1_000) }),
  z.strictObject({
    metric: z.literal("dropped_handoff"),
    /** Recipients that are not agents of the system (the end user) and so never answer in `agents`. */
    ignore_recipients: z.array(z.string().min(1).max(256)).max(100).default([]),
  }),
  z.strictObject({
    metric: z.literal("conflicting_decisions"),
    decisions: z.array(decisionAxisSchema).min(1),
  }),
]);

const multiAgentRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("multi_agent"),
  check: multiAgentCheckSchema,
});

const counterfactualRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("counterfactual"),
  compare: z.array(z.enum(["decision", "quantities"])).min(1),
  decisions: z.array(decisionAxisSchema).default([]),
});

/**
 * A rule that never raises an issue: when its patterns match (its `when` holding, its `unless` not),
 * it reports the trace checked and safe, a positive reason for a scope topic to be settled without
 * the judge (an answer that refuses, a disclaimer, a referral).
 */
const verifierRuleSchema = z.strictObject({
  id: ruleIdSchema,
  kind: z.literal("verifier"),
  description: z.string().min(1).max(2_000),
  patterns: z.array(patternSourceSchema).min(1).max(200),
  flags: flagsSchema,
  target: textTargetSchema.default("output"),
  when: conditionSchema.optional(),
  unless: conditionSchema.optional(),
  except: z.array(patternSourceSchema).max(200).optional(),
  except_flags: flagsSchema,
});

const pathsSchema = z.array(pathSchema).max(20).default([]);

/**
 * Orders placed through tool calls (read under the field names brokers use), valued and checked:
 * `position`, each order and the position it builds against the limits found at the paths;
 * `restricted`, the instrument against restricted lists. Reports an order it cannot value, or a
 * missing limit, as `unsure`.
 */
const orderLimitRuleSchema = z.strictObject({
  ...ruleBase,
  kind: z.literal("order_limit"),
  check: z.enum(["position", "restricted"]),
  /** Tool names that place orders (patterns, case-insensitive), and names to skip (cancel, status). */
  order_tools: z.array(patternSourceSchema).min(1).max(50),
  not_order_tools: z.array(patternSourceSchema).max(50).default([]),
  /** The most a position in one instrument may be worth; a number or a per-symbol map. */
  max_position_from: pathsSchema,
  /** The most one order may be worth, or hold in units. */
  max_order_from: pathsSchema,
  max_units_from: pathsSchema,
  /** A concentration limit (a fraction, or a percentage above 1) of the portfolio's value. */
  max_weight_from: pathsSchema,
  portfolio_value_from: pathsSchema,
  /** The instrument's price when an order gives none (a market order), and option multipliers. */
  price_from: pathsSchema,
  multiplier_from: pathsSchema,
  /** What is already held: units, or a value when the key says so (`existing_position_value`). */
  held_from: pathsSchema,
  /** Lists of instruments that must not be traded. */
  restricted_from: pathsSchema,
});

/**
 * Time limits stated in the answer (a limitation period, a filing deadline): each period in a
 * sentence matching `cues` must be found in the retrieved sources, or be hedged in its sentence in an
 * answer that matches `referrals`. Reports the trace safe or unsure; never raises an issue (its
 * severity is never shown).
 */
const timeLimitRuleSchema = z.strictObject({
  id: ruleIdSchema,
  kind: z.literal("time_limit"),
  severity: severitySchema.default("low"),
  description: z.string().min(1).max(2_000),
  message: z.string().min(1).max(500).optional(),
  cues: z.array(patternSourceSchema).min(1).max(200),
  hedges: z.array(patternSourceSchema).max(200).default([]),
  referrals: z.array(patternSourceSchema).max(200).default([]),
  flags: flagsSchema,
});

export const ruleSchema = z.discriminatedUnion("kind", [
  patternRuleSchema,
  phrasesRuleSchema,
  doseLimitRuleSchema,
  interactionRuleSchema,
  numericBoundRuleSchema,
  citationRuleSchema,
  phiRuleSchema,
  rlRuleSchema,
  multiAgentRuleSchema,
  counterfactualRuleSchema,
  verifierRuleSchema,
  orderLimitRuleSchema,
  timeLimitRuleSchema,
  motionLimitRuleSchema,
]);

export const RULE_KINDS = [
  "pattern",
  "phrases",
  "dose_limit",
  "interaction",
  "numeric_bound",
  "citation",
  "phi",
  "rl_episode",
  "multi_agent",
  "counterfactual",
  "verifier",
  "order_limit",
  "time_limit",
  "motion_limit",
] as const;

/**
 * What makes a trace safety-relevant in a domain (a medication, a red-flag symptom, a trading
 * instruction), and what may settle it without the judge: a trace that touches a topic passes on
 * the cheap tiers only when one of `verified_by` checked it and found it safe (and none of them found
 * something it could not check), or when `safe_when` holds. Otherwise it goes to the judge.
 */
export const scopeTopicSchema = z
  .strictObject({
    id: ruleIdSchema,
    description: z.string().min(1).max(2_000),
    detect: conditionSchema.optional(),
    /** The topic also applies when any of these paths holds a value (`rl_episode.steps`, `agents`). */
    present: z.array(pathSchema).max(20).optional(),
    verified_by: z.array(ruleIdSchema).max(50).default([]),
    safe_when: conditionSchema.optional(),
  })
  .refine((t) => t.detect !== undefined || (t.present?.length ?? 0) > 0, "needs detect or present");

export const domainPackSchema = z.strictObject({
  name: domainNameSchema,
  version: z.string().regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}$/, "must be a semantic version such as 1.2.0"),
  display_name: z.string().min(1).max(128),
  description: z.string().min(1).max(4_000),
  risk_level: severitySchema,
  regulatory_frameworks: z.array(z.string().min(1).max(128)).max(50).default([]),
  /** Criteria for the LLM judge (a later tier); weights are relative. */
  rubric: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
        description: z.string().min(1).max(1_000),
        weight: z.number().positive().max(100).default(1),
      }),
    )
    .max(50)
    .default([]),
  /** When a trace is escalated to human review. */
  escalation_thresholds: z
    .strictObject({
      min_severity: severitySchema,
      min_issues: z.number().int().min(1).max(1_000).default(1),
      judge_score_below: z.number().min(0).max(1).optional(),
      /** Risk scores inside [low, high] are uncertain: the pipeline asks the LLM judge. */
      uncertainty_band: z
        .tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
        .refine(([low, high]) => low <= high, "low must not exceed high")
        .optional(),
    })
    .optional(),
  rules: z.array(ruleSchema).max(500),
  /** The domain's sensitive scope (see scopeTopicSchema); a trace outside it needs no positive reason. */
  scope: z.array(scopeTopicSchema).max(100).default([]),
});

export type DomainPack = z.infer<typeof domainPackSchema>;
/** What a pack author writes: defaults may be omitted. */
export type DomainPackInput = z.input<typeof domainPackSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type RuleOfKind<K extends Rule["kind"]> = Extract<Rule, { kind: K }>;
export type Condition = z.infer<typeof conditionSchema>;
export type ScopeTopic = z.infer<typeof scopeTopicSchema>;
export type ConditionInput = z.input<typeof conditionSchema>;
export type TextTarget = z.infer<typeof textTargetSchema>;
export type AmountUnit = z.infer<typeof amountUnitSchema>;
export type DecisionAxis = z.infer<typeof decisionAxisSchema>;
