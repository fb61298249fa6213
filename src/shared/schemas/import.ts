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
  /** The 28×28 view the model saw: 784 bytes (0..255, ink bright) in base64; null when no digit was found. */
  view28: z.string().nullable(),
  /** 'not-sure' / 'not-a-digit' put the sample on the review list; null when not assessed (no digit). */
  flag: FlagSchema.nullable().optional(),
  /** Confidence after the model's temperature scaling (null when not assessed). */
  calibratedConfidence: z.number().nullable().optional()
})
export type SampleResult = z.infer<typeof SampleResultSchema>

export const SkippedFileSchema = z.object({ file: z.string(), reason: z.string() })
export type SkippedFile = z.infer<typeof SkippedFileSchema>

/**
 * What an import found: 'evaluated' (some images had labels), 'unlabelled' (images, none labelled: predictions
 * only), 'no-images' (the folder holds no image file at all).
 */
export const ImportOutcomeSchema = z.enum(['evaluated', 'unlabelled', 'no-images'])
export type ImportOutcome = z.infer<typeof ImportOutcomeSchema>

export const ImportCountsSchema = z.object({
  /** Image files decoded (labelled + unlabelled; includes those with no digit). */
  images: z.number().int(),
  labelled: z.number().int(),
  unlabelled: z.number().int(),
  /** Decoded images in which no digit was found (in `noDigitFiles`). */
  noDigit: z.number().int(),
  /** Files that could not be used (in `skipped`). */
  skipped: z.number().int()
})
export type ImportCounts = z.infer<typeof ImportCountsSchema>

export const ImportResultSchema = z.object({
  /** The absolute folder imported. */
  folder: z.string(),
  modelId: z.string(),
  /** The model's full name as the Models view shows it. */
  modelName: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  seconds: z.number(),
  outcome: ImportOutcomeSchema,
  counts: ImportCountsSchema,
  /** Every decoded image, labelled or not (unlabelled ones carry their prediction, label null). */
  samples: z.array(SampleResultSchema),
  /** Files (relative paths) of the decoded images where no digit was found. */
  noDigitFiles: z.array(z.string()),
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
