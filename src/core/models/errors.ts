export const MODEL_ERROR_CODES = [
  'not-found',
  'bad-model',
  'read-only',
  'bad-id',
  'conflict',
  'io',
  'not-a-model'
] as const
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number]

/** A problem with a stored model; `file` names the folder or file concerned. */
export class ModelError extends Error {
  readonly code: ModelErrorCode
  readonly file: string

  constructor(code: ModelErrorCode, file: string, reason: string) {
    super(`${file}: ${reason}`)
    this.name = 'ModelError'
    this.code = code
    this.file = file
  }
}
