/**
 * The one IPC contract between the renderer and the main process. Every call names its request schema
 * (validated where it enters the main process) and its response type; every event stream names its payload.
 * Main (router), preload (bridge) and renderer (client) are all built from this object.
 */
import { z } from 'zod'
import { DEFAULT_UNSURE_THRESHOLD } from './schemas/calibration'
import { ImportProgressSchema, ImportResultSchema } from './schemas/import'
import { PredictionSchema } from './schemas/images'
import { BackendNameSchema, ModelSummarySchema } from './schemas/models'
import { HyperparametersSchema, TrainingEventSchema, TrainingStatusSchema } from './schemas/training'

/** Ids of models and imports: no path separators, no dots at the start, so they can never name a path. */
export const IdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, - or _')
const PathSchema = z.string().min(1).max(4096)
const Empty = z.object({}).strict()

/** The settings' fields without defaults, so that a partial update names only what it changes. */
const SettingsFields = z.object({
  locale: z.enum(['system', 'en', 'zh-CN']),
  theme: z.enum(['system', 'light', 'dark']),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']),
  penWidth: z.number().min(4).max(60),
  mnistFolder: z.string().max(4096).nullable(),
  /** The model used for drawing and imports; null means the shipped one. */
  activeModelId: z.string().max(100).nullable(),
  lastImportFolder: z.string().max(4096).nullable(),
  /** Answers whose calibrated confidence is below this are flagged "not sure". */
  unsureThreshold: z.number().min(0.3).max(0.99)
})
/** Stored settings: each missing or invalid field falls back to its default on its own. */
const field = SettingsFields.shape
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
  nativeDialogs: z.boolean()
})
export type AppInfo = z.infer<typeof AppInfoSchema>

export const MnistStatusSchema = z.object({
  folder: z.string().nullable(),
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

const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({
  request,
  response
})

export const calls = {
  'app.info': call(Empty, AppInfoSchema),
  'settings.get': call(Empty, SettingsSchema),
  // The active model changes through models.setActive, which checks that the model exists.
  'settings.set': call(SettingsFields.omit({ activeModelId: true }).partial().strict(), SettingsSchema),

  'predict.image': call(
    z
      .object({
        width: z.number().int().min(1).max(1024),
        height: z.number().int().min(1).max(1024),
        /** 8-bit grayscale pixels, base64, width×height bytes. */
        pixels: z.string().max(1_500_000)
      })
      .strict(),
    PredictionSchema
  ),

  'models.list': call(Empty, z.array(ModelSummarySchema)),
  'models.setActive': call(z.object({ id: IdSchema }).strict(), z.array(ModelSummarySchema)),
  'models.rename': call(
    z.object({ id: IdSchema, name: z.string().trim().min(1).max(120) }).strict(),
    z.array(ModelSummarySchema)
  ),
  'models.delete': call(z.object({ id: IdSchema }).strict(), z.array(ModelSummarySchema)),
  'models.import': call(z.object({ folder: PathSchema }).strict(), z.array(ModelSummarySchema)),
  'models.export': call(
    z.object({ id: IdSchema, folder: PathSchema }).strict(),
    z.object({ folder: z.string() })
  ),

  'mnist.status': call(z.object({ folder: PathSchema.optional() }).strict(), MnistStatusSchema),
  'mnist.download': call(
    z.object({ mirrors: z.array(z.url()).max(10).optional() }).strict(),
    MnistStatusSchema
  ),

  'training.start': call(
    z
      .object({
        hyperparameters: HyperparametersSchema.partial(),
        mnistFolder: PathSchema.optional(),
        trainSubset: z.number().int().min(100).max(60_000).optional(),
        testSubset: z.number().int().min(100).max(10_000).optional(),
        name: z.string().max(120).optional()
      })
      .strict(),
    TrainingStatusSchema
  ),
  'training.pause': call(Empty, TrainingStatusSchema),
  'training.resume': call(Empty, TrainingStatusSchema),
  'training.cancel': call(Empty, TrainingStatusSchema),
  'training.status': call(Empty, TrainingStatusSchema),

  'testset.import': call(
    z.object({ folder: PathSchema, modelId: IdSchema.optional() }).strict(),
    ImportResultSchema.extend({ importId: IdSchema })
  ),
  'testset.cancel': call(Empty, z.object({ cancelled: z.boolean() })),
  'testset.sampleImage': call(
    z.object({ importId: IdSchema, file: z.string().min(1).max(4096) }).strict(),
    z.object({ dataUrl: z.string() })
  ),
  'testset.export': call(
    z.object({ importId: IdSchema, format: ExportFormatSchema, file: PathSchema.optional() }).strict(),
    z.object({ fileName: z.string(), content: z.string(), savedTo: z.string().nullable() })
  ),

  'dialog.pickFolder': call(
    z.object({ title: z.string().max(200).optional() }).strict(),
    z.object({ path: z.string().nullable() })
  ),
  'dialog.saveFile': call(
    z.object({ defaultName: z.string().max(255), title: z.string().max(200).optional() }).strict(),
    z.object({ path: z.string().nullable() })
  )
} as const

export const events = {
  'training.event': TrainingEventSchema,
  'training.log': z.object({ line: z.string() }),
  'testset.progress': ImportProgressSchema,
  'mnist.progress': z.object({
    file: z.string(),
    receivedBytes: z.number(),
    totalBytes: z.number().nullable()
  })
} as const

export type CallName = keyof typeof calls
export type EventName = keyof typeof events
export type CallRequest<N extends CallName> = z.input<(typeof calls)[N]['request']>
export type ParsedRequest<N extends CallName> = z.output<(typeof calls)[N]['request']>
export type CallResponse<N extends CallName> = z.output<(typeof calls)[N]['response']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

/** Errors cross the boundary as data, never as exceptions. */
export const ErrorCodeSchema = z.enum([
  'bad-request',
  'unknown-call',
  'payload-too-large',
  'not-found',
  'conflict',
  'bad-input',
  'unavailable',
  'cancelled',
  'internal'
])
export type ErrorCode = z.infer<typeof ErrorCodeSchema>
export interface CallError {
  code: ErrorCode
  message: string
  /** Field-level problems of a rejected request. */
  issues?: { path: string; message: string }[]
}
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError }

/** The API the renderer sees (window.digitStudio in Electron, a WebSocket client in web mode). */
export interface DigitStudioApi {
  call<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResult<CallResponse<N>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** Largest serialized request accepted by either transport. */
export const MAX_REQUEST_BYTES = 2_000_000
export const callNames = Object.keys(calls) as CallName[]
export const eventNames = Object.keys(events) as EventName[]
