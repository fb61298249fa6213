/** The "not sure" flag and a model's temperature calibration (logic in src/core/calibration). */
import { z } from 'zod'

/** The default "not sure" threshold on calibrated confidence (a setting; see src/core/calibration). */
export const DEFAULT_UNSURE_THRESHOLD = 0.8

export const FlagSchema = z.enum(['sure', 'not-sure', 'not-a-digit'])
export type Flag = z.infer<typeof FlagSchema>

/** Stored in metadata.json: the temperature and what it was fitted on. */
export const CalibrationSchema = z.object({
  temperature: z.number().positive(),
  /** Negative log-likelihood per sample on the calibration set, before and after scaling. */
  nllBefore: z.number(),
  nllAfter: z.number(),
  samples: z.number().int(),
  /** What the calibration set was, in words. */
  source: z.string()
})
export type Calibration = z.infer<typeof CalibrationSchema>
