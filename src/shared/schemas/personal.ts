/** The personal sample collection (corrections from the pad, imported labelled folders) and "teach". */
import { z } from 'zod'
import { HyperparametersSchema } from './training'

/** Sample ids: base-36 time, a dash, random hex. */
export const PersonalIdSchema = z.string().regex(/^[a-z0-9-]{8,64}$/)

export const PersonalSourceSchema = z.enum(['pad', 'import'])

/** One stored sample, as listed (the 28×28 form travels as 784 bytes, base64, ink bright). */
export const PersonalSampleSchema = z.object({
  id: z.string(),
  label: z.number().int().min(0).max(9),
  source: PersonalSourceSchema,
  createdAt: z.string(),
  /** The imported file it came from (imports only). */
  origin: z.string().nullable(),
  form: z.string(),
  /** Whether the original drawing or image is kept beside it (personal.image returns it). */
  hasImage: z.boolean()
})
export type PersonalSample = z.infer<typeof PersonalSampleSchema>

export const PersonalProblemSchema = z.object({ file: z.string(), reason: z.string() })

export const PersonalListSchema = z.object({
  folder: z.string(),
  samples: z.array(PersonalSampleSchema),
  counts: z.array(z.number().int()).length(10),
  /** Files of the collection that could not be read: reported, never fatal. */
  problems: z.array(PersonalProblemSchema)
})
export type PersonalList = z.infer<typeof PersonalListSchema>

export { TuningReportSchema, type TuningReport, type TuningVerdict } from './training'

export const TuneRequestSchema = z
  .object({
    /** The model to start from (default: the active one). */
    modelId: z.string().max(100).optional(),
    epochs: z.number().int().min(1).max(50).optional(),
    name: z.string().max(120).optional(),
    hyperparameters: HyperparametersSchema.partial().optional()
  })
  .strict()
