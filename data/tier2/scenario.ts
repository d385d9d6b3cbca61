import { fnv1a64 } from "../../src/eval/version";
import type { TraceInput } from "../../src/schema/trace";

export type Random = () => number;

/**
 * A seeded pseudo-random stream in [0, 1): the engine's FNV-based content hash of "counter:seed"
 * (the varying part first, so every later character mixes it into the high bits that are kept). The
 * corpus and the split are the same on every run; ample for picking templates and values.
 */
export function seededRandom(seed: number): Random {
  let counter = 0;
  return () => {
    counter += 1;
    return Number.parseInt(fnv1a64(`${counter}:${seed}`).slice(0, 8), 16) / 2 ** 32;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

export function between(random: Random, low: number, high: number): number {
  return low + random() * (high - low);
}

export type Slots = Readonly<Record<string, string>>;
/** Trace fields beyond input and output that a scenario adds (context, tool calls, an RL episode...). */
export type TraceExtras = Omit<Partial<TraceInput>, "input" | "output" | "domain" | "id">;

/**
 * One kind of situation with one label. Every output template is a phrasing group: the held-out split
 * keeps a group's examples together, so held-out phrasings were never seen in training.
 */
export interface Scenario {
  id: string;
  label: 0 | 1;
  why: string;
  /** User inputs; `{slot}` placeholders are filled from `slots`. */
  inputs: readonly string[];
  /** Assistant outputs, one phrasing group each. */
  outputs: readonly string[];
  slots?: (random: Random) => Slots;
  extras?: (random: Random, slots: Slots) => TraceExtras;
  /** inputs[i] is the question outputs[i] answers; otherwise any input goes with any output. */
  paired?: boolean;
  /**
   * Users type fast: each drawn input is passed through `userVoice` (lower case, dropped apostrophes
   * and question marks, texting abbreviations, a transposed letter) with the scenario's stream.
   */
  casual?: boolean;
  /** Draws per output template, when the slot tables are rich enough for more (default 3). */
  draws?: number;
}

export interface DomainScenarios {
  domain: string;
  /** application_type values that route to the domain; some examples name one instead of the domain. */
  applicationTypes: readonly string[];
  scenarios: readonly Scenario[];
}

/** Slot values drawn as one row of a table whose columns are slot names. */
export function slotsFrom(table: readonly Slots[]): (random: Random) => Slots {
  return (random) => pick(random, table);
}

/** Slot values from several independent tables, drawn in order. */
export function joinSlots(...sources: readonly ((random: Random) => Slots)[]): (random: Random) => Slots {
  return (random) => Object.assign({}, ...sources.map((draw) => draw(random)));
}

/** A one-column table: each value becomes the slot `name`. */
export function column(name: string, values: readonly (string | number)[]): readonly Slots[] {
  return values.map((value) => ({ [name]: String(value) }));
}

/** The fields of one side of a pair that differ between the unsafe and the safe answer. */
export type Answer = Pick<Scenario, "id" | "why" | "outputs" | "extras">;

/**
 * An unsafe and a safe answer to the same questions: each is the other's hard negative, since the
 * question (and often much of the answer's vocabulary) is shared.
 */
export function twins(
  question: Omit<Scenario, "id" | "label" | "why" | "outputs">,
  unsafe: Answer,
  safe: Answer,
): Scenario[] {
  return [
    { ...question, ...unsafe, label: 1 },
    { ...question, ...safe, label: 0 },
  ];
}

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** Fills `{slot}` placeholders; an unknown slot is a mistake in the scenario, not something to skip. */
export function fill(template: string, slots: Slots, where: string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = slots[name];
    if (value === undefined) throw new Error(`${where}: no value for {${name}}`);
    return value;
  });
}

export type RlStep = NonNullable<TraceInput["rl_episode"]>["steps"][number];

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/**
 * A healthy episode: varied actions, states that move, noisy shaped rewards, and a terminal success
 * reward with done = true.
 */
export function healthyEpisode(
  random: Random,
  actions: readonly string[],
  length: number,
  goalReward: number,
): RlStep[] {
  const steps: RlStep[] = [];
  let x = 0;
  let y = 0;
  for (let i = 0; i < length - 1; i += 1) {
    const action = pick(random, actions);
    x += Math.round(between(random, -1, 2));
    y += Math.round(between(random, -1, 2));
    steps.push({ state: { x, y }, action, reward: round(between(random, -0.2, 0.6)) });
  }
  steps.push({ state: { x, y }, action: pick(random, actions), reward: goalReward, done: true });
  return steps;
}

/** Sparse reward: nothing until the goal, then one payout. */
export function sparseEpisode(random: Random, actions: readonly string[], length: number): RlStep[] {
  return Array.from({ length }, (_, i) => {
    const last = i === length - 1;
    return {
      state: { cell: `${Math.floor(i / 3)}-${i % 7}` },
      action: pick(random, actions),
      reward: last ? 1 : 0,
      ...(last ? { done: true } : {}),
    };
  });
}

/**
 * Reward hacking: the policy found a loop that pays on every step (a respawning pickup, a checkpoint
 * it can re-cross); `noise` adds jitter so the reward is not perfectly constant.
 */
export function hackedEpisode(
  random: Random,
  loop: readonly string[],
  length: number,
  reward: number,
  noise: number,
): RlStep[] {
  return Array.from({ length }, (_, i) => ({
    state: { x: i % 2, y: 0 },
    action: loop[i % loop.length] ?? "noop",
    reward: round(reward + between(random, -noise, noise)),
  }));
}

/** Every step costs a little and the task is achieved: constant reward, but an honest one. */
export function stepCostEpisode(random: Random, actions: readonly string[], length: number): RlStep[] {
  return Array.from({ length }, (_, i) => ({
    state: { x: i, y: Math.round(between(random, 0, 3)) },
    action: pick(random, actions),
    reward: -0.01,
    ...(i === length - 1 ? { done: true, info: { success: true } } : {}),
  }));
}

/** Texting abbreviations a hurried user types; whole words only, case-insensitive on the first letter. */
const ABBREVIATIONS: readonly (readonly [RegExp, string])[] = [
  [/\byou\b/g, "u"],
  [/\bplease\b/g, "pls"],
  [/\bbecause\b/g, "bc"],
  [/\btomorrow\b/g, "tmrw"],
  [/\bokay\b/g, "ok"],
  [/\bare\b/g, "r"],
  [/\bwith\b/g, "w/"],
  [/\bthanks\b/g, "thx"],
];

/**
 * A drawn user message as people type it: sometimes all lower case, without apostrophes or the final
 * question mark, with texting abbreviations or one pair of adjacent letters swapped. Digits and units
 * are never touched, so a dose or a distance in the question stays what the scenario says.
 */
export function userVoice(random: Random, text: string): string {
  let out = text;
  if (random() < 0.35) out = out.toLowerCase();
  if (random() < 0.3) out = out.replace(/(\p{L})['\u2019](\p{L})/gu, "$1$2");
  if (random() < 0.3) out = out.replace(/[?.]+$/, "");
  if (random() < 0.2) {
    for (const [pattern, short] of ABBREVIATIONS) out = out.replace(pattern, short);
  }
  if (random() < 0.2) {
    const words = [...out.matchAll(/\b[a-z]{6,}\b/g)];
    const word = words.length > 0 ? pick(random, words) : undefined;
    if (word?.index !== undefined) {
      const at = word.index + 2 + Math.floor(random() * (word[0].length - 3));
      out = `${out.slice(0, at)}${out[at + 1]}${out[at]}${out.slice(at + 2)}`;
    }
  }
  return out;
}
