import { z } from 'zod'
import { FlagSchema } from './calibration'

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
  probabilities: z.array(z.number()).length(10),
  /** The "not sure" / "not a digit" flag at the user's threshold (null: no digit; absent: not assessed). */
  flag: FlagSchema.nullable().optional()
})
export type ReadDigit = z.infer<typeof ReadDigitSchema>

export const ReadLineSchema = z.object({
  /** The line's digits as text, left to right; '?' stands for a piece that is not a digit. */
  text: z.string(),
  digits: z.array(ReadDigitSchema)
})
export type ReadLine = z.infer<typeof ReadLineSchema>

/** One page read: its lines top to bottom (the `digit-studio read --json` entry, plus the page's size). */
export const PageLinesSchema = z.object({
  file: z.string(),
  lines: z.array(ReadLineSchema)
})
export type PageLines = z.infer<typeof PageLinesSchema>

export const PageReadingSchema = PageLinesSchema.extend({
  width: z.number().int(),
  height: z.number().int(),
  skewDegrees: z.number(),
  printedBoxes: z.array(BoxSchema),
  /** The page for display: a PNG data URL at most PREVIEW_SIDE a side, and its scale from the page's pixels. */
  preview: z.object({ dataUrl: z.string(), scale: z.number().positive() }),
  milliseconds: z.number()
})
export type PageReading = z.infer<typeof PageReadingSchema>

/** A stroke on the pad: points in the sent image's pixels. */
const StrokeSchema = z.array(z.object({ x: z.number().finite(), y: z.number().finite() })).max(4000)

export const ReadPadRequestSchema = z
  .object({
    width: z.number().int().min(1).max(2048),
    height: z.number().int().min(1).max(1024),
    /** 8-bit grayscale pixels of the strokes (ink bright on black), base64, width×height bytes. */
    pixels: z.string().max(3_000_000),
    strokes: z.array(StrokeSchema).max(300)
  })
  .strict()

export const LabelRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rows'), digits: z.string().min(1).max(200) }).strict(),
  /** The expected lines as text, one line of digits per text line. */
  z.object({ kind: z.literal('lines'), text: z.string().min(1).max(1_000_000) }).strict()
])
export type LabelRuleInput = z.infer<typeof LabelRuleSchema>

export const UnassignedDigitSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  index: z.number().int(),
  box: BoxSchema,
  reason: z.string()
})
