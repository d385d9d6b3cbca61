/**
 * Writes data/tier2/corpus.jsonl, the labelled corpus the Tier-2 risk model is trained on: every
 * scenario's output templates × a few draws of inputs and slot values, from a seeded PRNG, so the
 * file is the same on every run. See README.md beside this file.
 * Run: npx tsx data/tier2/generate.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fnv1a64 } from "../../src/eval/version";
import { type TraceInput, traceInputSchema } from "../../src/schema/trace";
import {
  type DomainScenarios,
  fill,
  pick,
  type Random,
  type Scenario,
  seededRandom,
  userVoice,
} from "./scenario";
import { generic } from "./scenarios/generic";
import { genericRealistic } from "./scenarios/generic-realistic";
import { healthcare } from "./scenarios/healthcare";
import { healthcareRealistic } from "./scenarios/healthcare-realistic";
import { legal } from "./scenarios/legal";
import { legalRealistic } from "./scenarios/legal-realistic";
import { robotics } from "./scenarios/robotics";
import { roboticsRealistic } from "./scenarios/robotics-realistic";
import { trading } from "./scenarios/trading";
import { tradingRealistic } from "./scenarios/trading-realistic";

const SEED = 0x7a3e_2002;
/** Draws per output template (other inputs and slot values); identical draws are dropped. */
const DRAWS_PER_TEMPLATE = 3;
/** Share of examples that name an application type instead of the domain (Tier 1 routes them). */
const APPLICATION_TYPE_SHARE = 0.25;
const MODELS = [
  "gpt-4o-mini",
  "claude-3-5-sonnet",
  "llama-3.1-70b-instruct",
  "mistral-large",
  "gemini-1.5-pro",
] as const;
/** A domain's first corpus, then the realistic material written for it later (appended, so ids stay put). */
const withMore = (domain: DomainScenarios, more: readonly Scenario[]): DomainScenarios => ({
  ...domain,
  scenarios: [...domain.scenarios, ...more],
});
const DOMAINS: readonly DomainScenarios[] = [
  withMore(healthcare, healthcareRealistic),
  withMore(trading, tradingRealistic),
  withMore(legal, legalRealistic),
  withMore(robotics, roboticsRealistic),
  withMore(generic, genericRealistic),
];

interface CorpusExample extends TraceInput {
  label: 0 | 1;
  why: string;
}

function example(
  random: Random,
  domain: DomainScenarios,
  scenario: Scenario,
  templateIndex: number,
  id: string,
): CorpusExample {
  const where = `${scenario.id}[${templateIndex}]`;
  const template = scenario.outputs[templateIndex] ?? "";
  const slots = scenario.slots?.(random) ?? {};
  const question = scenario.paired ? (scenario.inputs[templateIndex] ?? "") : pick(random, scenario.inputs);
  const filled = fill(question, slots, where);
  const input = scenario.casual ? userVoice(random, filled) : filled;
  const routing =
    random() < APPLICATION_TYPE_SHARE
      ? { application_type: pick(random, domain.applicationTypes) }
      : { domain: domain.domain };
  const trace: TraceInput = {
    id,
    ...routing,
    model: pick(random, MODELS),
    input,
    output: fill(template, slots, where),
    metadata: { corpus_scenario: scenario.id, corpus_group: `${scenario.id}/${templateIndex}` },
    ...scenario.extras?.(random, slots),
  };
  const parsed = traceInputSchema.safeParse(trace);
  if (!parsed.success) throw new Error(`${where}: not a valid trace: ${parsed.error.message}`);
  return { ...parsed.data, label: scenario.label, why: scenario.why };
}

function generateCorpus(): CorpusExample[] {
  const examples: CorpusExample[] = [];
  // Draws without slots or random extras repeat themselves; a duplicate would leak across the split.
  const seen = new Set<string>();
  for (const domain of DOMAINS) {
    let index = 0;
    for (const scenario of domain.scenarios) {
      // One stream per scenario: editing a scenario leaves every other scenario's examples as they were.
      const random = seededRandom(SEED ^ Number.parseInt(fnv1a64(scenario.id).slice(8), 16));
      // The held-out split keeps some of every scenario's phrasing groups for training, so it needs two.
      if (scenario.outputs.length < 2) throw new Error(`${scenario.id}: needs at least two output templates`);
      if (scenario.paired && scenario.inputs.length !== scenario.outputs.length) {
        throw new Error(`${scenario.id}: paired scenarios need one input per output`);
      }
      scenario.outputs.forEach((_, templateIndex) => {
        for (let draw = 0; draw < (scenario.draws ?? DRAWS_PER_TEMPLATE); draw += 1) {
          const id = `${domain.domain}-${String(index + 1).padStart(4, "0")}`;
          const drawn = example(random, domain, scenario, templateIndex, id);
          const key = JSON.stringify([
            drawn.input,
            drawn.output,
            drawn.context,
            drawn.tool_calls,
            drawn.rl_episode,
          ]);
          if (seen.has(key)) continue;
          seen.add(key);
          index += 1;
          examples.push(drawn);
        }
      });
    }
  }
  return examples;
}

const examples = generateCorpus();
const path = join(import.meta.dirname, "corpus.jsonl");
writeFileSync(path, `${examples.map((e) => JSON.stringify(e)).join("\n")}\n`);
console.log(`wrote ${examples.length} examples to ${path}`);
