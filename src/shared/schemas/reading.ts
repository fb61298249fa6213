import { z } from 'zod'

/** A box in the image's pixels: top-left corner, width and height. */
export const BoxSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1),
  height: z.number().int().min(1)
})

export const ReadDigitSchema = z.object({
  /** The recognised digit; null when the piece of ink holds no digit the preprocessing accepts. */
  digit: z.number().int().min(0).max(9).nullable(),
  /** Probability of `digit` (0 when there is none). */
  confidence: z.number().min(0).max(1),
  box: BoxSchema,
  probabilities: z.array(z.number()).length(10)
})
export type ReadDigit = z.infer<typeof ReadDigitSchema>

export const ReadLineSchema = z.object({
  /** The line's digits as text, left to right; '?' stands for a piece that is not a digit. */
  text: z.string(),
  digits: z.array(ReadDigitSchema)
})
export type ReadLine = z.infer<typeof ReadLineSchema>
