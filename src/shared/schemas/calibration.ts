/** The "not sure" flag and a model's temperature calibration (logic in src/core/calibration). */
import { z } from 'zod'

/** The default "not sure" threshold on calibrated confidence (a setting; see src/core/calibration). */
export const DEFAULT_UNSURE_THRESHOLD = 0.8

export const FlagSchema = z.enum(['sure', 'not-sure', 'not-a-digit'])
export type Flag = z.infer<typeof FlagSchema>

/** The sidecar file in a model folder that holds the "not a digit" detector's arrays (float32, little-endian). */
export const DETECTOR_FILE = 'detector.bin'

/**
 * The feature-space "not a digit" detector (src/core/calibration/detector.ts), described in metadata.json; its
 * arrays live in DETECTOR_FILE: per class, the mean of the L2-normalised feature activations (`features`
 * values) and `components` principal directions (features×components, row-major).
 */
export const DetectorInfoSchema = z.object({
  kind: z.literal('class-subspace'),
  file: z.literal(DETECTOR_FILE),
  /** The layer whose activations it reads, in words (e.g. "dense 256 (ReLU)"). */
  layer: z.string(),
  features: z.number().int().positive(),
  components: z.number().int().positive(),
  classes: z.literal(10),
  /** Scores above this are "not a digit": the `percentile`th percentile of the fitting digits' scores. */
  threshold: z.number().positive(),
  percentile: z.number().min(50).max(100),
  samples: z.number().int().positive(),
  /** SHA-256 of DETECTOR_FILE, hex: a file that does not match is not used. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * SHA-256 of the weights it was fitted for (their float32 values in order, as in weights.bin): a model whose
   * weights were replaced since does not use it (its features are not the ones the detector knows).
   */
  weightsSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
})
export type DetectorInfo = z.infer<typeof DetectorInfoSchema>

/** Stored in metadata.json: the temperature and what it was fitted on. */
export const CalibrationSchema = z.object({
  temperature: z.number().positive(),
  /** Negative log-likelihood per sample on the calibration set, before and after scaling. */
  nllBefore: z.number(),
  nllAfter: z.number(),
  samples: z.number().int(),
  /** What the calibration set was, in words. */
  source: z.string(),
  /** The feature-space "not a digit" detector; absent (models calibrated before it): today's rules only. */
  detector: DetectorInfoSchema.optional()
})
export type Calibration = z.infer<typeof CalibrationSchema>
