import { z } from 'zod'
import { HyperparametersSchema } from './training'
import { CalibrationSchema } from './calibration'

export const BackendNameSchema = z.enum(['tensorflow', 'wasm', 'cpu'])
export type BackendName = z.infer<typeof BackendNameSchema>
/** The backend setting: a backend by name, or 'auto' (the fastest that loads). */
export const BackendPreferenceSchema = z.enum(['auto', ...BackendNameSchema.options])
export type BackendPreference = z.infer<typeof BackendPreferenceSchema>

/** The paper's MLP (files written before the CNN existed have no `kind`). */
export const MlpArchitectureSchema = z.object({
  kind: z.literal('mlp').optional(),
  layers: z.array(z.number().int()),
  hiddenActivation: z.literal('sigmoid'),
  outputActivation: z.literal('softmax')
})

/** The CNN: input 28×28×1, conv(valid, ReLU) + 2×2 max-pool per stage, dense ReLU layers, softmax output. */
export const CnnArchitectureSchema = z.object({
  kind: z.literal('cnn'),
  input: z.tuple([z.literal(28), z.literal(28), z.literal(1)]),
  conv: z.array(z.object({ filters: z.number().int().positive(), kernelSize: z.number().int().positive() })),
  dense: z.array(z.number().int().positive()),
  hiddenActivation: z.literal('relu'),
  outputActivation: z.literal('softmax')
})
export const ArchitectureSchema = z.union([CnnArchitectureSchema, MlpArchitectureSchema])
export type Architecture = z.infer<typeof ArchitectureSchema>

/** Written beside the tfjs model files as metadata.json. */
export const ModelMetadataSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  architecture: ArchitectureSchema,
  hyperparameters: HyperparametersSchema,
  epochsCompleted: z.number().int(),
  trainSamples: z.number().int(),
  /** SHA-256 of the MNIST files the model was trained on, by file name. */
  dataChecksums: z.record(z.string(), z.string()),
  testAccuracy: z.number().nullable(),
  testLoss: z.number().nullable(),
  backend: BackendNameSchema,
  trainingSeconds: z.number(),
  notes: z.string().optional(),
  /** Temperature scaling for the "not sure" flag (src/core/calibration); absent: temperature 1. */
  calibration: CalibrationSchema.optional(),
  /** Accuracy on test sets beyond MNIST's (e.g. usps-600), measured and recorded when the model was shipped. */
  measured: z.record(z.string(), z.number()).optional()
})
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>

export const ModelSummarySchema = ModelMetadataSchema.extend({
  /** True for the model shipped with the app (read-only). */
  builtin: z.boolean(),
  active: z.boolean()
})
export type ModelSummary = z.infer<typeof ModelSummarySchema>
