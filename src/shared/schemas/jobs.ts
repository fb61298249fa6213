import { z } from 'zod'
import { CallErrorSchema } from './errors'
import { ImportProgressSchema, ImportResultSchema } from './import'
import { BatchProgressSchema, EpochSummarySchema, KeptModelSchema, TrainingStatusSchema } from './training'

/** The longest batch history and log kept for a reconnecting window (older batch points are thinned evenly). */
export const MAX_BATCH_HISTORY = 2000
export const MAX_LOG_LINES = 1000

/** The running or last training run, as main keeps it: enough for a reloaded window to show the same thing. */
export const TrainingJobStateSchema = z.object({
  /** The latest status event (state, message, and kept model once ended). */
  status: TrainingStatusSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** The model's name as requested (null: the default name). */
  name: z.string().nullable(),
  /** Planned number of epochs (the "of N" of "Epoch 4 of N"). */
  epochs: z.number().int(),
  /** Batch progress events in order, at most MAX_BATCH_HISTORY (thinned evenly, the first and last kept). */
  batches: z.array(BatchProgressSchema),
  /** Every epoch summary so far. */
  epochSummaries: z.array(EpochSummarySchema),
  /** The last MAX_LOG_LINES log lines. */
  log: z.array(z.string()),
  kept: KeptModelSchema.nullable()
})
export type TrainingJobState = z.infer<typeof TrainingJobStateSchema>

export const ImportResultWithIdSchema = ImportResultSchema.extend({ importId: z.string() })
export type ImportResultWithId = z.infer<typeof ImportResultWithIdSchema>

/** The running or last import. */
export const ImportJobStateSchema = z.object({
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  folder: z.string(),
  /** The model asked for (null: the active one). */
  modelId: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: ImportProgressSchema.nullable(),
  /** The result when done (also the last result kept across restarts, from the data folder). */
  result: ImportResultWithIdSchema.nullable(),
  error: CallErrorSchema.nullable()
})
export type ImportJobState = z.infer<typeof ImportJobStateSchema>

/** What `jobs.state` returns: call it on every (re)connect. */
export const JobsStateSchema = z.object({
  training: TrainingJobStateSchema.nullable(),
  import: ImportJobStateSchema.nullable()
})
export type JobsState = z.infer<typeof JobsStateSchema>
