/**
 * Trains the Tier-2 risk models (one logistic regression per domain) from data/tier2/corpus.jsonl
 * and writes src/eval/risk/weights/<domain>.json. Deterministic: a seeded split and full-batch
 * gradient descent, so the same corpus always gives the same files.
 *
 * - Tier-1 features come from the real engine (`evaluateTier1` on every corpus trace).
 * - The held-out set is chosen by phrasing group (`metadata.corpus_group`): a group's examples are
 *   all in training or all held out, so held-out phrasings were never seen in training; every
 *   scenario keeps some groups in training, so the held-out set measures new wording of known
 *   situations (not new kinds of failure).
 * - The L2 strength is chosen by grouped cross-validation on the training set only.
 * - The headline figures are held-out ones, measured on the rounded weights exactly as written.
 *
 * Run: npm run train:tier2 [-- --show-errors]   (--show-errors lists the misclassified held-out examples)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../data/tier2/scenario";
import { evaluateTier1 } from "../src/eval/index";
import {
  DENSE_FEATURES,
  extractRiskFeatures,
  type FeatureVector,
  RISK_DOMAINS,
  RISK_FEATURE_SET,
  type RiskDomain,
  TIER1_FEATURES,
} from "../src/eval/risk/features";
import { loadRiskModel, type RiskModel, scoreFeatures } from "../src/eval/risk/model";
import type { RiskModelEvaluation, RiskModelWeights } from "../src/eval/risk/weights-schema";
import { severityAtLeast, worstSeverity } from "../src/eval/verdict";
import { canonicalJson, fnv1a64 } from "../src/eval/version";
import { type TraceInput, traceInputSchema } from "../src/schema/trace";

const ROOT = join(import.meta.dirname, "..");
const CORPUS_PATH = "data/tier2/corpus.jsonl";
const WEIGHTS_DIR = join(ROOT, "src/eval/risk/weights");

/** Large enough that unseen words rarely land on a trained bucket, which keeps `confidence` meaningful. */
const HASH_BUCKETS = 2 ** 15;
const SPLIT_SEED = 0x51ed_2701;
const HELD_OUT_SHARE = 0.25;
/** Other domains' examples teach shared signal (refusals, injections, RL) at a lower weight. */
const OTHER_DOMAIN_WEIGHT = 0.3;
/** L2 on the structured features: few, meaningful weights, lightly held back. */
const STRUCTURED_L2 = 1e-3;
/** Candidates for the text L2, chosen per domain by cross-validation on the training set. */
const L2_CANDIDATES = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2] as const;
const CV_FOLDS = 4;
/**
 * The corpus is built about half unsafe; real traffic is mostly safe. The fitted bias is shifted by
 * logit(deployment rate) − logit(training rate) (the standard prior-shift correction), so a score is
 * a probability under the assumed real base rate, and text the model has no evidence about lands
 * below the uncertainty band instead of inside it (where it would send every unfamiliar trace to
 * the judge or to a human).
 */
const ASSUMED_DEPLOYMENT_BASE_RATE = 0.1;
const LEARNING_RATE = 0.8;
const ITERATIONS = 1_500;
/** Text weights are written with this many decimals; smaller ones are dropped (the bucket becomes unseen). */
const TEXT_DECIMALS = 3;
const DENSE_DECIMALS = 6;

interface Example {
  id: string;
  label: 0 | 1;
  /** The situation (`metadata.corpus_scenario`) and the phrasing group within it (`corpus_group`). */
  scenario: string;
  group: string;
  domain: string;
  features: FeatureVector;
  /** What Tier 1 alone would say: any high or critical finding fails the trace. */
  tier1Fails: boolean;
}

interface Parameters {
  bias: number;
  text: Float64Array;
  dense: Float64Array;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function readCorpus(text: string): Example[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const { label, why, ...rest } = JSON.parse(line) as { label: unknown; why: unknown } & Record<
        string,
        unknown
      >;
      const parsed = traceInputSchema.safeParse(rest);
      if (!parsed.success || (label !== 0 && label !== 1) || typeof why !== "string") {
        throw new Error(
          `${CORPUS_PATH}:${i + 1}: not a labelled trace (${parsed.error?.message ?? "label or why"})`,
        );
      }
      const trace: TraceInput = parsed.data;
      const tier1 = evaluateTier1(trace, { now: () => 0 });
      const group = trace.metadata?.corpus_group;
      const scenario = trace.metadata?.corpus_scenario;
      return {
        id: trace.id ?? `line-${i + 1}`,
        label,
        scenario: typeof scenario === "string" ? scenario : `line-${i + 1}`,
        group: typeof group === "string" ? group : `line-${i + 1}`,
        domain: tier1.domain,
        features: extractRiskFeatures(trace, tier1, HASH_BUCKETS),
        tier1Fails: severityAtLeast(worstSeverity(tier1.issues), "high"),
      };
    });
}

/**
 * For every scenario, a quarter of its phrasing groups (at least one, never all) are held out: the
 * held-out set is unseen wording of known situations, and every situation is also in training.
 */
function heldOutGroups(examples: readonly Example[]): Set<string> {
  const random = seededRandom(SPLIT_SEED);
  const groupsByScenario = new Map<string, Set<string>>();
  for (const e of examples) {
    const groups = groupsByScenario.get(e.scenario) ?? new Set<string>();
    groups.add(e.group);
    groupsByScenario.set(e.scenario, groups);
  }
  const heldOut = new Set<string>();
  for (const scenario of [...groupsByScenario.keys()].sort()) {
    const groups = shuffled([...(groupsByScenario.get(scenario) ?? [])].sort(), random);
    if (groups.length < 2) continue;
    const count = Math.max(1, Math.round(groups.length * HELD_OUT_SHARE));
    for (const group of groups.slice(0, count)) heldOut.add(group);
  }
  return heldOut;
}

function logit(p: Parameters, x: FeatureVector): number {
  let z = p.bias;
  for (let i = 0; i < x.textIndices.length; i += 1)
    z += (p.text[x.textIndices[i] ?? 0] ?? 0) * (x.textValues[i] ?? 0);
  x.dense.forEach((value, i) => {
    z += (p.dense[i] ?? 0) * value;
  });
  return z;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const TIER1_INDICES = TIER1_FEATURES.map((name) => DENSE_FEATURES.indexOf(name));

type Stage = "structured" | "text";

/** Full-batch gradient descent on the weighted mean log-loss plus (l2 / 2)·‖w‖², moving one stage's weights. */
function descend(
  p: Parameters,
  examples: readonly Example[],
  weights: readonly number[],
  stage: Stage,
  l2: number,
): void {
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const gradText = new Float64Array(HASH_BUCKETS);
  const gradDense = new Float64Array(DENSE_FEATURES.length);
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    gradText.fill(0);
    gradDense.fill(0);
    let gradBias = 0;
    examples.forEach((x, n) => {
      const residual = ((weights[n] ?? 0) * (sigmoid(logit(p, x.features)) - x.label)) / totalWeight;
      if (stage === "text") {
        const { textIndices, textValues } = x.features;
        for (let i = 0; i < textIndices.length; i += 1) {
          const bucket = textIndices[i] ?? 0;
          gradText[bucket] = (gradText[bucket] ?? 0) + residual * (textValues[i] ?? 0);
        }
        return;
      }
      gradBias += residual;
      x.features.dense.forEach((value, i) => {
        gradDense[i] = (gradDense[i] ?? 0) + residual * value;
      });
    });
    if (stage === "text") {
      for (let i = 0; i < HASH_BUCKETS; i += 1) {
        p.text[i] = (p.text[i] ?? 0) - LEARNING_RATE * ((gradText[i] ?? 0) + l2 * (p.text[i] ?? 0));
      }
      continue;
    }
    // The bias is not penalised; Tier-1 weights are projected onto w >= 0: a finding must not lower risk.
    p.bias -= LEARNING_RATE * gradBias;
    for (let i = 0; i < DENSE_FEATURES.length; i += 1) {
      p.dense[i] = (p.dense[i] ?? 0) - LEARNING_RATE * ((gradDense[i] ?? 0) + l2 * (p.dense[i] ?? 0));
    }
    for (const i of TIER1_INDICES) p.dense[i] = Math.max(0, p.dense[i] ?? 0);
  }
}

/**
 * Trains in two stages: the structured features (Tier-1 findings, RL statistics, domain) and the
 * bias first, then the hashed text on top of them with those weights frozen. Fitted jointly, text
 * alone separates a small corpus and would absorb the structured features' signal; staged, the
 * text only explains what Tier 1 and the RL statistics do not.
 */
function trainLogistic(examples: readonly Example[], weights: readonly number[], textL2: number): Parameters {
  const p: Parameters = {
    bias: 0,
    text: new Float64Array(HASH_BUCKETS),
    dense: new Float64Array(DENSE_FEATURES.length),
  };
  descend(p, examples, weights, "structured", STRUCTURED_L2);
  descend(p, examples, weights, "text", textL2);
  return p;
}

/** Area under the ROC curve (Mann-Whitney; ties count half). */
function auc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const order = scores
    .map((score, i) => ({ score, label: labels[i] ?? 0 }))
    .sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]?.score === order[i]?.score) j += 1;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k += 1) {
      if (order[k]?.label === 1) {
        rankSum += averageRank;
        positives += 1;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function evaluate(scores: readonly number[], labels: readonly (0 | 1)[]): RiskModelEvaluation {
  const clamp = (p: number) => Math.min(1 - 1e-15, Math.max(1e-15, p));
  let correct = 0;
  let loss = 0;
  scores.forEach((p, i) => {
    const y = labels[i] ?? 0;
    if ((p >= 0.5 ? 1 : 0) === y) correct += 1;
    loss -= y === 1 ? Math.log(clamp(p)) : Math.log(1 - clamp(p));
  });
  const n = scores.length;
  return {
    examples: n,
    accuracy: n === 0 ? 0 : correct / n,
    auc: auc(scores, labels),
    log_loss: n === 0 ? 0 : loss / n,
    ...calibration(scores, labels),
  };
}

const CALIBRATION_BINS = 10;

/**
 * Brier score and expected calibration error at the assumed deployment base rate: examples are
 * weighted so unsafe ones make up ASSUMED_DEPLOYMENT_BASE_RATE of the weight, the rate the bias was
 * shifted to (on the corpus's own half-unsafe mix a calibrated model would look overconfident).
 */
function calibration(scores: readonly number[], labels: readonly (0 | 1)[]): { brier: number; ece: number } {
  const unsafe = labels.filter((y) => y === 1).length;
  const safe = labels.length - unsafe;
  if (unsafe === 0 || safe === 0) return { brier: 0, ece: 0 };
  const weightOf = (y: 0 | 1) =>
    y === 1 ? ASSUMED_DEPLOYMENT_BASE_RATE / unsafe : (1 - ASSUMED_DEPLOYMENT_BASE_RATE) / safe;
  const bins = Array.from({ length: CALIBRATION_BINS }, () => ({ weight: 0, predicted: 0, observed: 0 }));
  let brier = 0;
  scores.forEach((p, i) => {
    const y = labels[i] ?? 0;
    const w = weightOf(y);
    brier += w * (p - y) ** 2;
    const bin = bins[Math.min(CALIBRATION_BINS - 1, Math.floor(p * CALIBRATION_BINS))];
    if (bin === undefined) return;
    bin.weight += w;
    bin.predicted += w * p;
    bin.observed += w * y;
  });
  const ece = bins.reduce((sum, bin) => sum + Math.abs(bin.predicted - bin.observed), 0);
  return { brier: roundTo(brier, 4), ece: roundTo(ece, 4) };
}

/** The share of unsafe examples as the fit saw them (with the same instance weights). */
function weightedBaseRate(examples: readonly Example[], weights: readonly number[]): number {
  let unsafe = 0;
  let total = 0;
  examples.forEach((e, i) => {
    const w = weights[i] ?? 0;
    unsafe += w * e.label;
    total += w;
  });
  return unsafe / total;
}

const logitOf = (p: number) => Math.log(p / (1 - p));

function instanceWeights(examples: readonly Example[], domain: RiskDomain): number[] {
  // The generic model also stands in for custom domains, so it learns from every domain equally.
  return examples.map((e) => (domain === "generic" || e.domain === domain ? 1 : OTHER_DOMAIN_WEIGHT));
}

/** Grouped k-fold cross-validation on the training set: the L2 strength with the lowest log-loss on the domain. */
function chooseL2(train: readonly Example[], domain: RiskDomain): { l2: number; loss: number } {
  const groups = [...new Set(train.map((e) => e.group))].sort();
  const fold = new Map(shuffled(groups, seededRandom(SPLIT_SEED ^ 0x9e37)).map((g, i) => [g, i % CV_FOLDS]));
  let best = { l2: L2_CANDIDATES[0] as number, loss: Number.POSITIVE_INFINITY };
  for (const l2 of L2_CANDIDATES) {
    const scores: number[] = [];
    const labels: (0 | 1)[] = [];
    for (let k = 0; k < CV_FOLDS; k += 1) {
      const fitOn = train.filter((e) => fold.get(e.group) !== k);
      const p = trainLogistic(fitOn, instanceWeights(fitOn, domain), l2);
      for (const e of train) {
        if (fold.get(e.group) !== k || (domain !== "generic" && e.domain !== domain)) continue;
        scores.push(sigmoid(logit(p, e.features)));
        labels.push(e.label);
      }
    }
    const { log_loss } = evaluate(scores, labels);
    if (log_loss < best.loss) best = { l2, loss: log_loss };
  }
  return best;
}

const roundTo = (x: number, decimals: number) => Number(x.toFixed(decimals));

function weightsJson(p: Parameters, domain: RiskDomain): Omit<RiskModelWeights, "version" | "training"> {
  const text: [number, number][] = [];
  p.text.forEach((w, bucket) => {
    const rounded = roundTo(w, TEXT_DECIMALS);
    if (rounded !== 0) text.push([bucket, rounded]);
  });
  const dense = Object.fromEntries(
    DENSE_FEATURES.map((name, i) => [name, roundTo(p.dense[i] ?? 0, DENSE_DECIMALS)]),
  );
  return {
    features: RISK_FEATURE_SET,
    domain,
    hash_buckets: HASH_BUCKETS,
    bias: roundTo(p.bias, DENSE_DECIMALS),
    dense: dense as RiskModelWeights["dense"],
    text,
  };
}

function mustLoad(json: unknown): RiskModel {
  const loaded = loadRiskModel(json);
  if (!loaded.ok) throw new Error(`trained weights do not validate: ${JSON.stringify(loaded.errors)}`);
  return loaded.model;
}

/** JSON laid out as the repository's formatter (Biome) lays it out: one [bucket, weight] pair per line. */
function formatWeights(weights: RiskModelWeights): string {
  const { text, ...head } = weights;
  const headJson = JSON.stringify(head, null, 2);
  const pairs = text.map(([bucket, w]) => `    [${bucket}, ${w}]`).join(",\n");
  return `${headJson.slice(0, -2)},\n  "text": [\n${pairs}\n  ]\n}\n`;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const SHOW_ERRORS = process.argv.includes("--show-errors");
const predicted = (risk: number) => (risk >= 0.5 ? 1 : 0);

interface Scored {
  e: Example;
  risk: number;
  confidence: number;
}

const metricsOf = (scored: readonly Scored[]) =>
  evaluate(
    scored.map((s) => s.risk),
    scored.map((s) => s.e.label),
  );

/**
 * A second, steadier estimate than one split: grouped k-fold cross-validation over the whole corpus
 * (every phrasing group is held out once), with the L2 strength chosen for the shipped model.
 */
function crossValidate(examples: readonly Example[], domain: RiskDomain, l2: number): RiskModelEvaluation {
  const groups = [...new Set(examples.map((e) => e.group))].sort();
  const fold = new Map(shuffled(groups, seededRandom(SPLIT_SEED ^ 0x0cf0)).map((g, i) => [g, i % CV_FOLDS]));
  const scored: Scored[] = [];
  for (let k = 0; k < CV_FOLDS; k += 1) {
    const fitOn = examples.filter((e) => fold.get(e.group) !== k);
    const p = trainLogistic(fitOn, instanceWeights(fitOn, domain), l2);
    for (const e of examples) {
      if (fold.get(e.group) === k && e.domain === domain)
        scored.push({ e, risk: sigmoid(logit(p, e.features)), confidence: 0 });
    }
  }
  return metricsOf(scored);
}

function printCorpus(
  examples: readonly Example[],
  train: readonly Example[],
  test: readonly Example[],
): void {
  console.log(
    `corpus: ${examples.length} examples; ${train.length} train, ${test.length} held out (whole phrasing groups)`,
  );
  console.log("domain        unsafe  safe   Tier 1 high/critical on unsafe, on safe");
  for (const domain of RISK_DOMAINS) {
    const inDomain = examples.filter((e) => e.domain === domain);
    const unsafe = inDomain.filter((e) => e.label === 1);
    const safe = inDomain.filter((e) => e.label === 0);
    const flagged = (set: readonly Example[]) => `${set.filter((e) => e.tier1Fails).length}/${set.length}`;
    console.log(
      `${domain.padEnd(12)}${String(unsafe.length).padStart(7)}${String(safe.length).padStart(6)}   ${flagged(unsafe)}, ${flagged(safe)}`,
    );
  }
}

function tableRow(
  name: string,
  train: readonly Scored[],
  test: readonly Scored[],
  cv: RiskModelEvaluation | null,
): string {
  const trained = metricsOf(train);
  const heldout = metricsOf(test);
  const tier1Only = test.filter((s) => (s.e.tier1Fails ? 1 : 0) === s.e.label).length / test.length;
  const confident = test.filter((s) => s.confidence >= 0.5);
  const confidentCorrect = confident.filter((s) => predicted(s.risk) === s.e.label).length;
  return [
    name.padEnd(14),
    pct(trained.accuracy).padStart(7),
    String(heldout.examples).padStart(5),
    pct(heldout.accuracy).padStart(7),
    heldout.auc.toFixed(3).padStart(6),
    heldout.log_loss.toFixed(3).padStart(8),
    (heldout.brier ?? 0).toFixed(3).padStart(7),
    (heldout.ece ?? 0).toFixed(3).padStart(6),
    pct(tier1Only).padStart(8),
    `${confident.length}/${test.length}`.padStart(9),
    (confident.length === 0 ? "-" : pct(confidentCorrect / confident.length)).padStart(7),
    cv === null
      ? "     -"
      : [
          String(cv.examples).padStart(6),
          pct(cv.accuracy).padStart(7),
          cv.auc.toFixed(3).padStart(6),
          cv.log_loss.toFixed(3).padStart(8),
        ].join(""),
  ].join("");
}

function main(): void {
  const corpusText = readFileSync(join(ROOT, CORPUS_PATH), "utf8");
  const examples = readCorpus(corpusText);
  const heldOut = heldOutGroups(examples);
  const train = examples.filter((e) => !heldOut.has(e.group));
  const test = examples.filter((e) => heldOut.has(e.group));
  printCorpus(examples, train, test);

  const rows: string[] = [];
  for (const domain of RISK_DOMAINS) {
    const { l2, loss: cvLoss } = chooseL2(train, domain);
    const fitted = trainLogistic(train, instanceWeights(train, domain), l2);
    const trainingBaseRate = weightedBaseRate(train, instanceWeights(train, domain));
    fitted.bias += logitOf(ASSUMED_DEPLOYMENT_BASE_RATE) - logitOf(trainingBaseRate);
    const unversioned = weightsJson(fitted, domain);
    // Measured on the rounded weights, loaded as the Worker loads them.
    const model = mustLoad({ ...unversioned, version: "unversioned" });
    const scoreSet = (set: readonly Example[]) =>
      set.map((e) => ({ e, ...scoreFeatures(e.features, model) }));
    const own = (e: Example) => e.domain === domain;
    const trainScored = scoreSet(train.filter(own));
    const testScored = scoreSet(test.filter(own));
    const heldout = metricsOf(testScored);
    rows.push(tableRow(domain, trainScored, testScored, crossValidate(examples, domain, l2)));
    if (SHOW_ERRORS) {
      for (const s of testScored.filter((t) => predicted(t.risk) !== t.e.label)) {
        console.log(
          `  miss: ${s.e.id} ${s.e.group} label ${s.e.label} risk ${s.risk.toFixed(3)} confidence ${s.confidence.toFixed(3)}`,
        );
      }
    }
    if (domain === "generic") {
      const otherDomain = (e: Example) => e.domain !== "generic";
      rows.push(
        tableRow(
          "generic→other",
          scoreSet(train.filter(otherDomain)),
          scoreSet(test.filter(otherDomain)),
          null,
        ),
      );
    }

    const training = {
      corpus: CORPUS_PATH,
      corpus_hash: fnv1a64(corpusText),
      train_examples: train.length,
      heldout: {
        examples: heldout.examples,
        accuracy: roundTo(heldout.accuracy, 4),
        auc: roundTo(heldout.auc, 4),
        log_loss: roundTo(heldout.log_loss, 4),
        brier: heldout.brier,
        ece: heldout.ece,
      },
      base_rate: {
        training: roundTo(trainingBaseRate, 4),
        assumed_deployment: ASSUMED_DEPLOYMENT_BASE_RATE,
      },
      structured_l2: STRUCTURED_L2,
      text_l2: l2,
      iterations: ITERATIONS,
    };
    // The version names the content: any change to weights or training record gives a new one.
    const version = `${domain}-${fnv1a64(canonicalJson({ ...unversioned, training }))}`;
    const weights: RiskModelWeights = { ...unversioned, version, training };
    mustLoad(weights);
    writeFileSync(join(WEIGHTS_DIR, `${domain}.json`), formatWeights(weights));
    console.log(
      `wrote ${version} (text l2 ${l2}, training-set CV log-loss ${cvLoss.toFixed(3)}, ${weights.text.length} text weights)`,
    );
  }
  console.log(
    "\n              train  -----------------held out (headline)----------------  tier-1  confidence>=.5  ---grouped 4-fold CV----",
  );
  console.log(
    "model           acc    n    acc    AUC logloss  brier   ECE    only        n    acc     n    acc    AUC logloss",
  );
  for (const line of rows) console.log(line);
  console.log(
    "\ngeneric→other: the generic model on the other domains' examples, as it would score a custom domain.",
  );
  console.log(
    "tier-1 only: accuracy of 'unsafe iff Tier 1 found a high or critical issue' on the same held-out examples.",
  );
}

main();
