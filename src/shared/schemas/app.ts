import { z } from 'zod'
import { BackendNameSchema } from './models'

/**
 * Where MNIST is looked for when the user has not chosen a folder — the same rule in the app, web mode and the
 * CLI: DIGIT_STUDIO_MNIST, else ../shared/data/mnist beside a checkout, else the download cache.
 */
export const MnistDefaultSchema = z.object({
  folder: z.string(),
  source: z.enum(['env', 'checkout', 'cache'])
})
export type MnistDefault = z.infer<typeof MnistDefaultSchema>

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  backend: BackendNameSchema,
  backendDetail: z.string(),
  /** 'electron' in the desktop app, 'web' in web mode. */
  shell: z.enum(['electron', 'web']),
  platform: z.string(),
  dataDir: z.string(),
  /** Whether native dialogs are available (Electron), else the UI asks for a path. */
  nativeDialogs: z.boolean(),
  mnistDefault: MnistDefaultSchema
})
export type AppInfo = z.infer<typeof AppInfoSchema>

export const MnistStatusSchema = z.object({
  folder: z.string().nullable(),
  /** Why this folder: the request named it, the user's setting, or the default's source. */
  source: z.enum(['request', 'settings', 'env', 'checkout', 'cache']).optional(),
  available: z.boolean(),
  files: z.array(z.object({ name: z.string(), present: z.boolean(), verified: z.boolean().nullable() })),
  message: z.string().nullable()
})
export type MnistStatus = z.infer<typeof MnistStatusSchema>

export const ExportFormatSchema = z.enum([
  'per-digit-csv',
  'per-digit-md',
  'confusion-csv',
  'samples-csv',
  'json'
])
export type ExportFormat = z.infer<typeof ExportFormatSchema>
