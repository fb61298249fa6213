import { z } from 'zod'

/** One row of the paper's Table 1: a digit's samples, correct answers and most frequent wrong answer. */
export const DigitRowSchema = z.object({
  digit: z.number().int().min(0).max(9),
  samples: z.number().int(),
  correct: z.number().int(),
  /** Fraction 0..1; NaN is never used: 0 samples gives accuracy null. */
  accuracy: z.number().nullable(),
  mostFrequentWrong: z.number().int().min(0).max(9).nullable(),
  mostFrequentWrongCount: z.number().int()
})
export type DigitRow = z.infer<typeof DigitRowSchema>

export const EvaluationSchema = z.object({
  samples: z.number().int(),
  correct: z.number().int(),
  /** Overall accuracy, a fraction 0..1. */
  accuracy: z.number(),
  /** Mean of the per-digit accuracies over digits that have samples (the paper's "average"). */
  perDigitAverageAccuracy: z.number(),
  averageLoss: z.number(),
  /** confusion[label][predicted] counts. */
  confusion: z.array(z.array(z.number().int()).length(10)).length(10),
  perDigit: z.array(DigitRowSchema).length(10)
})
export type Evaluation = z.infer<typeof EvaluationSchema>
