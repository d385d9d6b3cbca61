import { z } from "zod";
import { domainNameSchema } from "../../schema/trace";
import { DENSE_FEATURES, RISK_FEATURE_SET, TIER1_FEATURES } from "./features";

const MIN_BUCKETS = 2 ** 8;
const MAX_BUCKETS = 2 ** 20;

const weight = z.number().finite();
const probability = z.number().min(0).max(1);

/** Held-out figures recorded by the trainer, so a weights file says how good it was when written. */
const evaluationSchema = z.strictObject({
  examples: z.number().int().nonnegative(),
  accuracy: probability,
  auc: probability,
  log_loss: z.number().nonnegative(),
  /** Brier score and expected calibration error, at the assumed deployment base rate. */
  brier: z.number().nonnegative().optional(),
  ece: z.number().nonnegative().optional(),
});

const trainingSchema = z.strictObject({
  corpus: z.string().min(1).max(256),
  corpus_hash: z.string().min(1).max(64),
  train_examples: z.number().int().nonnegative(),
  heldout: evaluationSchema,
  /** Unsafe share in the training data, and the real-traffic share the bias was shifted to. */
  base_rate: z.strictObject({ training: probability, assumed_deployment: probability }).optional(),
  structured_l2: z.number().nonnegative(),
  text_l2: z.number().nonnegative(),
  /** Gradient-descent iterations per stage (structured features, then text). */
  iterations: z.number().int().positive(),
});

/**
 * A logistic-regression risk model as data: the shipped per-domain files and per-organization weights
 * (stored in D1) go through this same schema.
 */
export const riskModelWeightsSchema = z
  .strictObject({
    features: z.literal(RISK_FEATURE_SET),
    version: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]{0,127}$/,
        "must be lower-case letters, digits, '.', '_' or '-' (at most 128)",
      ),
    domain: domainNameSchema,
    hash_buckets: z
      .number()
      .int()
      .min(MIN_BUCKETS)
      .max(MAX_BUCKETS)
      .refine((n) => (n & (n - 1)) === 0, "must be a power of two"),
    bias: weight,
    /** One weight per named feature, all of them. */
    dense: z.record(z.enum(DENSE_FEATURES), weight),
    /** Sparse hashed-text weights: [bucket, weight] pairs; absent buckets weigh 0 and count as unseen. */
    text: z.array(z.tuple([z.number().int().nonnegative(), weight])).max(MAX_BUCKETS),
    training: trainingSchema.optional(),
  })
  .superRefine((weights, ctx) => {
    for (const name of TIER1_FEATURES) {
      if ((weights.dense[name] ?? 0) < 0) {
        ctx.addIssue({
          code: "custom",
          path: ["dense", name],
          message: "must be >= 0: a Tier-1 finding must not lower the risk",
        });
      }
    }
    const seen = new Set<number>();
    weights.text.forEach(([bucket], i) => {
      if (bucket >= weights.hash_buckets) {
        ctx.addIssue({
          code: "custom",
          path: ["text", i, 0],
          message: `bucket must be below hash_buckets (${weights.hash_buckets})`,
        });
      } else if (seen.has(bucket)) {
        ctx.addIssue({ code: "custom", path: ["text", i, 0], message: `bucket ${bucket} appears twice` });
      }
      seen.add(bucket);
    });
  });

export type RiskModelWeights = z.infer<typeof riskModelWeightsSchema>;
export type RiskModelTraining = z.infer<typeof trainingSchema>;
export type RiskModelEvaluation = z.infer<typeof evaluationSchema>;
