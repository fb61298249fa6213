import { z } from 'zod'
import { FlagSchema } from './calibration'

export const PredictionSchema = z.object({
  digit: z.number().int().min(0).max(9).nullable(),
  probabilities: z.array(z.number()).length(10),
  /** The 28×28 view the model saw (784 bytes, 0..255, ink bright), for display. */
  view28: z.array(z.number().int().min(0).max(255)).length(784).nullable(),
  noDigitReason: z.string().nullable(),
  milliseconds: z.number(),
  /** 'not-sure' / 'not-a-digit' (src/core/calibration); null when there was no digit to read. */
  flag: FlagSchema.nullable().optional(),
  /** Confidence after the model's temperature scaling. */
  calibratedConfidence: z.number().nullable().optional()
})
export type Prediction = z.infer<typeof PredictionSchema>
