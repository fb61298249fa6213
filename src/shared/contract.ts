/**
 * The one IPC contract between the renderer and the main process. Every call names its request schema
 * (validated where it enters the main process) and its response type; every event stream names its payload.
 * Main (router), preload (bridge) and renderer (client) are all built from this object.
 */
import { z } from 'zod'
import type { CALL_NAMES, CallName, CallResult, EVENT_NAMES, EventName } from './names'
import { AppInfoSchema, ExportFormatSchema, MnistStatusSchema } from './schemas/app'
import { PredictionSchema } from './schemas/images'
import { ImportResultWithIdSchema, JobsStateSchema } from './schemas/jobs'
import { ImportProgressSchema } from './schemas/import'
import { ModelSummarySchema } from './schemas/models'
import {
  LabelRuleSchema,
  PageLinesSchema,
  PageReadingSchema,
  ReadLineSchema,
  ReadPadRequestSchema,
  UnassignedDigitSchema
} from './schemas/reading'
import { SettingsFieldsSchema, SettingsSchema } from './schemas/settings'
import { PersonalIdSchema, PersonalListSchema, TuneRequestSchema } from './schemas/personal'
import {
  HyperparametersSchema,
  TestSubsetSchema,
  TrainSubsetSchema,
  TrainingEventSchema,
  TrainingStatusSchema,
  TrainingStepSchema
} from './schemas/training'

export * from './names'
export { AppInfoSchema, ExportFormatSchema, MnistDefaultSchema, MnistStatusSchema } from './schemas/app'
export type { AppInfo, ExportFormat, MnistDefault, MnistStatus } from './schemas/app'
export { CallErrorSchema, ErrorCodeSchema, FieldProblemSchema } from './schemas/errors'
export { SettingsSchema, type Settings } from './schemas/settings'
export { numberBounds, type NumberBounds } from './schemas/bounds'

/** Ids of models and imports: no path separators, no dots at the start, so they can never name a path. */
export const IdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, - or _')
const PathSchema = z.string().min(1).max(4096)
const Empty = z.object({}).strict()

const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({
  request,
  response
})

export const calls = {
  'app.info': call(Empty, AppInfoSchema),
  'settings.get': call(Empty, SettingsSchema),
  // The active model changes through models.setActive, which checks that the model exists.
  'settings.set': call(SettingsFieldsSchema.omit({ activeModelId: true }).partial().strict(), SettingsSchema),

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
        trainSubset: TrainSubsetSchema.optional(),
        testSubset: TestSubsetSchema.optional(),
        name: z.string().max(120).optional(),
        /** The training step (default auto); a graph step that cannot run falls back to the lean one. */
        step: TrainingStepSchema.optional()
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
    ImportResultWithIdSchema
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

  /** The running or last training run and import, in full: call it on every (re)connect. */
  'jobs.state': call(Empty, JobsStateSchema),

  'dialog.pickFolder': call(
    z.object({ title: z.string().max(200).optional() }).strict(),
    z.object({ path: z.string().nullable() })
  ),
  /** Image files to open (the Read view's pages); null when cancelled or where there is no native dialog. */
  'dialog.pickFiles': call(
    z.object({ title: z.string().max(200).optional() }).strict(),
    z.object({ paths: z.array(z.string()).nullable() })
  ),
  'dialog.saveFile': call(
    z.object({ defaultName: z.string().max(255), title: z.string().max(200).optional() }).strict(),
    z.object({ path: z.string().nullable() })
  ),

  /** The number on the drawing pad: strokes and their ink → lines of digits; one digit as predict.image. */
  'read.pad': call(
    ReadPadRequestSchema,
    z.object({
      lines: z.array(ReadLineSchema),
      /** Exactly predict.image's answer when the pad holds one digit (or none), else null. */
      single: PredictionSchema.nullable(),
      milliseconds: z.number()
    })
  ),
  /** Every handwritten digit on a page image, in lines. */
  'read.page': call(z.object({ file: PathSchema }).strict(), PageReadingSchema),
  /** The (corrected) readings as CSV or the `read --json` document; saved when a file is named. */
  'read.export': call(
    z
      .object({
        pages: z.array(PageLinesSchema).min(1).max(500),
        format: z.enum(['csv', 'json']),
        file: PathSchema.optional()
      })
      .strict(),
    z.object({ fileName: z.string(), content: z.string(), savedTo: z.string().nullable() })
  ),
  /** A test set from pages: digits labelled by a rule, saved as a labelled folder and imported at once. */
  'read.cut': call(
    z.object({ files: z.array(PathSchema).min(1).max(200), out: PathSchema, rule: LabelRuleSchema }).strict(),
    z.object({
      written: z.number().int(),
      unassigned: z.array(UnassignedDigitSchema),
      errors: z.array(z.object({ file: z.string(), reason: z.string() })),
      result: ImportResultWithIdSchema.nullable()
    })
  ),
  /** The personal sample collection (corrections and taught folders) with per-digit counts. */
  'personal.list': call(Empty, PersonalListSchema),
  /** "It was a …": the drawing (as predict.image takes it) with the digit it really was. */
  'personal.add': call(
    z
      .object({
        label: z.number().int().min(0).max(9),
        width: z.number().int().min(1).max(1024),
        height: z.number().int().min(1).max(1024),
        pixels: z.string().max(1_500_000)
      })
      .strict(),
    PersonalListSchema
  ),
  'personal.delete': call(z.object({ id: PersonalIdSchema }).strict(), PersonalListSchema),
  'personal.image': call(
    z.object({ id: PersonalIdSchema }).strict(),
    z.object({ dataUrl: z.string().nullable() })
  ),
  /** "Teach the model with these samples": an import's labelled images into the collection. */
  'personal.addImport': call(
    z.object({ importId: IdSchema }).strict(),
    z.object({ added: z.number().int(), list: PersonalListSchema })
  ),
  /** Fine-tunes a model on the collection in the training process (events: training.event). */
  'personal.teach': call(TuneRequestSchema, TrainingStatusSchema)
} as const

export const events = {
  'training.event': TrainingEventSchema,
  'training.log': z.object({ line: z.string() }),
  'testset.progress': ImportProgressSchema,
  'mnist.progress': z.object({
    file: z.string(),
    receivedBytes: z.number(),
    totalBytes: z.number().nullable()
  }),
  /** Sent whenever main saves the settings (whoever changed them): views show these, never re-save them. */
  'settings.changed': SettingsSchema
} as const

// The tables have exactly the names of names.ts (a compile error here names the one missing or extra).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const callNamesMatch: Same<keyof typeof calls, (typeof CALL_NAMES)[number]> = true
const eventNamesMatch: Same<keyof typeof events, (typeof EVENT_NAMES)[number]> = true
void callNamesMatch
void eventNamesMatch

export type CallRequest<N extends CallName> = z.input<(typeof calls)[N]['request']>
export type ParsedRequest<N extends CallName> = z.output<(typeof calls)[N]['request']>
export type CallResponse<N extends CallName> = z.output<(typeof calls)[N]['response']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

/** The API the renderer sees (window.digitStudio in Electron, a WebSocket client in web mode). */
export interface DigitStudioApi {
  call<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResult<CallResponse<N>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

export { CALL_NAMES as callNames, EVENT_NAMES as eventNames } from './names'
