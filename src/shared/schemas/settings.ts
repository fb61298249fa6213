import { z } from 'zod'
import { DEFAULT_UNSURE_THRESHOLD } from './calibration'
import { BackendPreferenceSchema } from './models'

/** The settings' fields without defaults, so that a partial update names only what it changes. */
export const SettingsFieldsSchema = z.object({
  locale: z.enum(['system', 'en', 'zh-CN']),
  theme: z.enum(['system', 'light', 'dark']),
  backend: BackendPreferenceSchema,
  penWidth: z.number().min(4).max(60),
  /** The MNIST folder the user chose; null means the default (see MnistDefault). */
  mnistFolder: z.string().max(4096).nullable(),
  /** The model used for drawing and imports; null means the shipped one. */
  activeModelId: z.string().max(100).nullable(),
  lastImportFolder: z.string().max(4096).nullable(),
  /** Answers whose calibrated confidence is below this are flagged "not sure". */
  unsureThreshold: z.number().min(0.3).max(0.99)
})
/** Stored settings: each missing or invalid field falls back to its default on its own. */
const field = SettingsFieldsSchema.shape
export const SettingsSchema = z.object({
  locale: field.locale.catch('system'),
  theme: field.theme.catch('system'),
  backend: field.backend.catch('auto'),
  penWidth: field.penWidth.catch(18),
  mnistFolder: field.mnistFolder.catch(null),
  activeModelId: field.activeModelId.catch(null),
  lastImportFolder: field.lastImportFolder.catch(null),
  unsureThreshold: field.unsureThreshold.catch(DEFAULT_UNSURE_THRESHOLD)
})
export type Settings = z.infer<typeof SettingsSchema>
