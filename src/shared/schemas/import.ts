import { z } from 'zod'
import { FlagSchema } from './calibration'
import { EvaluationSchema } from './evaluation'

export const SampleResultSchema = z.object({
  /** Path relative to the imported folder, with forward slashes. */
  file: z.string(),
  label: z.number().int().min(0).max(9).nullable(),
  labelSource: z.enum(['folder', 'labels.csv', 'file-name']).nullable(),
  predicted: z.number().int().min(0).max(9).nullable(),
  confidence: z.number(),
  top3: z.array(z.object({ digit: z.number().int(), probability: z.number() })),
  probabilities: z.array(z.number()).length(10),
  noDigit: z.boolean(),
  /** 'not-sure' / 'not-a-digit' put the sample on the review list; null when not assessed (no digit). */
  flag: FlagSchema.nullable().optional(),
  /** Confidence after the model's temperature scaling (null when not assessed). */
  calibratedConfidence: z.number().nullable().optional()
})
export type SampleResult = z.infer<typeof SampleResultSchema>

export const SkippedFileSchema = z.object({ file: z.string(), reason: z.string() })
export type SkippedFile = z.infer<typeof SkippedFileSchema>

export const ImportResultSchema = z.object({
  folder: z.string(),
  modelId: z.string(),
  startedAt: z.string(),
  seconds: z.number(),
  samples: z.array(SampleResultSchema),
  skipped: z.array(SkippedFileSchema),
  /** Evaluation over the labelled samples (null when none is labelled). */
  evaluation: EvaluationSchema.nullable()
})
export type ImportResult = z.infer<typeof ImportResultSchema>

export const ImportProgressSchema = z.object({
  done: z.number().int(),
  total: z.number().int(),
  skipped: z.number().int(),
  currentFile: z.string().nullable()
})
export type ImportProgress = z.infer<typeof ImportProgressSchema>
