import { z } from 'zod'

/** MNIST's split sizes (the limits of the subsets one may train and test on). */
export const MNIST_SIZES = { train: 60_000, test: 10_000 } as const

/** Training on a subset of MNIST: at least 100 images (one batch of the paper's size), at most all of them. */
export const TrainSubsetSchema = z.number().int().min(100).max(MNIST_SIZES.train)
export const TestSubsetSchema = z.number().int().min(100).max(MNIST_SIZES.test)

/** The paper's hyperparameters (section 2.2) are the defaults. */
export const AugmentationSchema = z.object({
  /** Random affine: rotation ±degrees, scale range, shift ±pixels (on the 28×28 image). */
  affine: z.boolean().default(false),
  rotationDegrees: z.number().min(0).max(45).default(12),
  scaleMin: z.number().min(0.5).max(1).default(0.85),
  scaleMax: z.number().min(1).max(1.5).default(1.15),
  shiftPixels: z.number().min(0).max(6).default(2),
  /** Elastic distortion as in Simard et al. 2003. */
  elastic: z.boolean().default(false),
  elasticAlpha: z.number().min(0).max(60).default(34),
  elasticSigma: z.number().min(1).max(10).default(4),
  /** Random stroke thickness: blend towards a 3×3 dilation (thicker) or erosion (thinner) by a random amount. */
  thickness: z.boolean().default(false),
  /** Random slant (horizontal shear, as handwriting leans): x += shear · y with |shear| up to slantMax. */
  slant: z.boolean().default(false),
  slantMax: z.number().min(0).max(1).default(0.3),
  /** Random aspect change: width and height scaled apart by up to ±aspectMax. */
  aspect: z.boolean().default(false),
  aspectMax: z.number().min(0).max(0.5).default(0.15),
  /** Random stroke breaks: short gaps erased across the strokes (pens skip, scans drop ink). */
  strokeBreaks: z.boolean().default(false),
  /** Random small crops: a thin band of one edge of the digit cut off (scans cropped tight). */
  crop: z.boolean().default(false),
  /** Writing styles MNIST lacks, added to the digits they belong to: crossed 7s, 1s with a flag or base. */
  styles: z.boolean().default(false)
})
export type Augmentation = z.infer<typeof AugmentationSchema>

/** The architectures the trainer knows. 'mlp' is the paper's network; 'cnn' the convolutional one. */
export const ArchitectureNameSchema = z.enum(['mlp', 'cnn'])
export type ArchitectureName = z.infer<typeof ArchitectureNameSchema>

/** The CNN's sizes: two 5×5 'valid' convolutions (ReLU, 2×2 max-pool each), one dense ReLU layer, softmax. */
export const CnnSettingsSchema = z.object({
  filters: z.tuple([z.number().int().min(1).max(256), z.number().int().min(1).max(256)]).default([32, 64]),
  kernelSize: z.number().int().min(3).max(5).default(5),
  denseUnits: z.number().int().min(1).max(4096).default(256)
})
export type CnnSettings = z.infer<typeof CnnSettingsSchema>

export const HyperparametersSchema = z.object({
  /** Which network: the paper's MLP (hiddenUnits) or the CNN (cnn). */
  architecture: ArchitectureNameSchema.default('mlp'),
  cnn: CnnSettingsSchema.default(CnnSettingsSchema.parse({})),
  hiddenUnits: z
    .tuple([z.number().int().min(1).max(4096), z.number().int().min(1).max(4096)])
    .default([100, 100]),
  learningRate: z.number().positive().max(1).default(0.001),
  /**
   * The paper gives the *initial* learning rate. When this is set, the rate falls from learningRate to this value
   * along a half cosine over the epochs; null keeps it constant.
   */
  finalLearningRate: z.number().positive().max(1).nullable().default(null),
  batchSize: z.number().int().min(1).max(10_000).default(100),
  epochs: z.number().int().min(1).max(1000).default(10),
  dropout: z.number().min(0).max(0.9).default(0),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** Keep the mean of the weights at the end of the last N epochs (stochastic weight averaging); 0 keeps the last. */
  averageLastEpochs: z.number().int().min(0).max(1000).default(0),
  /** Report every N batches (the paper prints every 100). */
  reportEvery: z.number().int().min(1).max(100_000).default(100),
  augmentation: AugmentationSchema.default(AugmentationSchema.parse({}))
})
export type Hyperparameters = z.infer<typeof HyperparametersSchema>

/** Every 100 batches: the paper's printed line. */
export const BatchProgressSchema = z.object({
  kind: z.literal('batch'),
  step: z.number().int(),
  epoch: z.number().int(),
  batchInEpoch: z.number().int(),
  batchesPerEpoch: z.number().int(),
  loss: z.number(),
  accuracy: z.number(),
  samplesPerSecond: z.number(),
  etaSeconds: z.number()
})
export type BatchProgress = z.infer<typeof BatchProgressSchema>

/** At the end of every epoch: the epoch's averages and the test set's (Figures 3 and 4). */
export const EpochSummarySchema = z.object({
  kind: z.literal('epoch'),
  epoch: z.number().int(),
  step: z.number().int(),
  trainLoss: z.number(),
  trainAccuracy: z.number(),
  testLoss: z.number(),
  testAccuracy: z.number(),
  seconds: z.number(),
  etaSeconds: z.number()
})
export type EpochSummary = z.infer<typeof EpochSummarySchema>

export const TrainingStateSchema = z.enum([
  'idle',
  'loading-data',
  'running',
  'paused',
  'saving',
  'done',
  'cancelled',
  'failed'
])
export type TrainingState = z.infer<typeof TrainingStateSchema>

/** Whether the taught model is worth using (src/core/personal/verdict.ts says how it is decided). */
export const TuningVerdictSchema = z.enum(['better', 'unchanged', 'worse', 'unmeasured'])
export type TuningVerdict = z.infer<typeof TuningVerdictSchema>

/** Before → after figures of a tuning run. */
export const TuningReportSchema = z.object({
  baseModel: z.string(),
  modelId: z.string().nullable(),
  out: z.string().nullable(),
  trainSamples: z.number().int(),
  heldOutSamples: z.number().int(),
  epochs: z.number().int(),
  before: z.object({ heldOut: z.number().nullable(), mnistTest: z.number() }),
  after: z.object({ heldOut: z.number().nullable(), mnistTest: z.number() }),
  verdict: TuningVerdictSchema,
  seconds: z.number()
})
export type TuningReport = z.infer<typeof TuningReportSchema>

/** The model a finished or cancelled run kept: its id, its name, and after which epoch of how many. */
export const KeptModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  epochsCompleted: z.number().int(),
  epochsPlanned: z.number().int()
})
export type KeptModel = z.infer<typeof KeptModelSchema>

/**
 * How the training step runs: 'graph' runs many batches per native TensorFlow call (tfjs-node only), 'lean'
 * one batch per call (any backend), 'auto' the graph step where it loads and pays for its start-up.
 */
export const TrainingStepSchema = z.enum(['auto', 'graph', 'lean'])
export type TrainingStep = z.infer<typeof TrainingStepSchema>

export const TrainingStatusSchema = z.object({
  kind: z.literal('status'),
  state: TrainingStateSchema,
  message: z.string().optional(),
  /** Once the run has begun: the step that runs (auto's or a forced step's outcome, after any fallback). */
  trainingStep: z.enum(['graph', 'lean']).optional(),
  /** Set when a model was saved (done, or cancelled after at least one epoch). */
  modelId: z.string().optional(),
  /** With modelId: what was kept (done, or cancelled after at least one epoch). */
  kept: KeptModelSchema.optional(),
  /** For a teaching (fine-tuning) run: accuracy before → after. */
  tuning: TuningReportSchema.optional()
})
export type TrainingStatus = z.infer<typeof TrainingStatusSchema>

export const TrainingEventSchema = z.discriminatedUnion('kind', [
  BatchProgressSchema,
  EpochSummarySchema,
  TrainingStatusSchema
])
export type TrainingEvent = z.infer<typeof TrainingEventSchema>
