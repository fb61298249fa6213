import { z } from 'zod'

export const PredictionSchema = z.object({
  digit: z.number().int().min(0).max(9).nullable(),
  probabilities: z.array(z.number()).length(10),
  /** The 28×28 view the model saw (784 bytes, 0..255, ink bright), for display. */
  view28: z.array(z.number().int().min(0).max(255)).length(784).nullable(),
  noDigitReason: z.string().nullable(),
  milliseconds: z.number()
})
export type Prediction = z.infer<typeof PredictionSchema>
