/**
 * The contract's names as plain constants: calls, events and error codes. The preload and the web-socket client
 * need only these (and the channel names in wire.ts), so they do not bundle zod; contract.ts checks at compile
 * time that its call and event tables have exactly these names.
 */
export const CALL_NAMES = [
  'app.info',
  'settings.get',
  'settings.set',
  'predict.image',
  'models.list',
  'models.setActive',
  'models.rename',
  'models.delete',
  'models.import',
  'models.export',
  'mnist.status',
  'mnist.download',
  'training.start',
  'training.pause',
  'training.resume',
  'training.cancel',
  'training.status',
  'testset.import',
  'testset.cancel',
  'testset.sampleImage',
  'testset.export',
  'jobs.state',
  'dialog.pickFolder',
  'dialog.pickFiles',
  'dialog.saveFile',
  'read.pad',
  'read.page',
  'read.export',
  'read.cut',
  'personal.list',
  'personal.add',
  'personal.delete',
  'personal.image',
  'personal.addImport',
  'personal.teach'
] as const
export type CallName = (typeof CALL_NAMES)[number]

export const EVENT_NAMES = [
  'training.event',
  'training.log',
  'testset.progress',
  'mnist.progress',
  'settings.changed'
] as const
export type EventName = (typeof EVENT_NAMES)[number]

/**
 * Every failure crosses the boundary as one of these codes (core errors are mapped explicitly, see
 * src/main/ipc/error-codes.ts):
 * - bad-request: the request broke the contract (per-field problems in `fields`);
 * - unknown-call, payload-too-large: transport-level refusals;
 * - not-found: a file, folder, model or import that does not exist;
 * - conflict: something already running or a name already taken;
 * - bad-input: the user's file or folder exists but cannot be used (not an image, not MNIST, not a model);
 * - io: the disk or the operating system refused (permission, full disk, read-only, a file in the way);
 * - unavailable: a service cannot run here (no network, a backend that did not load);
 * - cancelled: the user cancelled; internal: a bug.
 */
export const ERROR_CODES = [
  'bad-request',
  'unknown-call',
  'payload-too-large',
  'not-found',
  'conflict',
  'bad-input',
  'io',
  'unavailable',
  'cancelled',
  'internal'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** One rejected field of a request: its dotted path (e.g. `hyperparameters.epochs`) and the rule it broke. */
export interface FieldProblem {
  path: string
  /** Plain English, e.g. "must be at least 1". */
  message: string
  /** The rule, for a translated message: 'too-small' | 'too-big' | 'not-integer' | 'wrong-type' | 'invalid'. */
  rule: FieldRule
  /** The bound of too-small / too-big. */
  limit?: number
}
export type FieldRule = 'too-small' | 'too-big' | 'not-integer' | 'wrong-type' | 'unknown-field' | 'invalid'

export interface CallError {
  code: ErrorCode
  /** Plain English, one or two sentences, naming the file or folder concerned. */
  message: string
  /**
   * A message key for a translated text (`messages.<key>` in the renderer's i18n), with its parameters; set for
   * the messages a user meets often (see MESSAGE_KEYS). The renderer falls back to `message` without one.
   */
  key?: MessageKey
  params?: Record<string, string | number>
  /** Field-level problems of a rejected request. */
  fields?: FieldProblem[]
}
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError }

/** Keys of the translated messages main sends (params in brackets). */
export const MESSAGE_KEYS = [
  /** {fields} the request had invalid values: shown at the fields. */
  'invalidFields',
  /** {mirrors} the MNIST download needs internet; or pick a folder with the four files. */
  'mnistOffline',
  /** {folder} not a Digit Studio model folder. */
  'notAModel',
  /** {folder} the folder does not exist. */
  'folderNotFound',
  /** {path} a relative path was refused. */
  'relativePath',
  /** {path} the disk refused (permission, full, read-only). */
  'diskRefused',
  /** An import or training is already running. */
  'alreadyRunning'
] as const
export type MessageKey = (typeof MESSAGE_KEYS)[number]

/** Largest serialized request accepted by either transport. */
export const MAX_REQUEST_BYTES = 2_000_000
