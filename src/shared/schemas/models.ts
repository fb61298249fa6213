import { z } from 'zod'
import { HyperparametersSchema } from './training'

export const BackendNameSchema = z.enum(['tensorflow', 'wasm', 'cpu'])
export type BackendName = z.infer<typeof BackendNameSchema>
/** The backend setting: a backend by name, or 'auto' (the fastest that loads). */
export const BackendPreferenceSchema = z.enum(['auto', ...BackendNameSchema.options])
export type BackendPreference = z.infer<typeof BackendPreferenceSchema>

/** Written beside the tfjs model files as metadata.json. */
export const ModelMetadataSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  architecture: z.object({
    layers: z.array(z.number().int()),
    hiddenActivation: z.literal('sigmoid'),
    outputActivation: z.literal('softmax')
  }),
  hyperparameters: HyperparametersSchema,
  epochsCompleted: z.number().int(),
  trainSamples: z.number().int(),
  /** SHA-256 of the MNIST files the model was trained on, by file name. */
  dataChecksums: z.record(z.string(), z.string()),
  testAccuracy: z.number().nullable(),
  testLoss: z.number().nullable(),
  backend: BackendNameSchema,
  trainingSeconds: z.number(),
  notes: z.string().optional()
})
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>

export const ModelSummarySchema = ModelMetadataSchema.extend({
  /** True for the model shipped with the app (read-only). */
  builtin: z.boolean(),
  active: z.boolean()
})
export type ModelSummary = z.infer<typeof ModelSummarySchema>
