/** A problem with an input file; `code` is stable for programs, `file` names the file. */
export const DATA_ERROR_CODES = [
  'not-found',
  'unreadable',
  'not-gzip',
  'bad-gzip',
  'bad-magic',
  'bad-dimensions',
  'bad-length',
  'mismatch',
  'checksum',
  'download-failed'
] as const
export type DataErrorCode = (typeof DATA_ERROR_CODES)[number]

export class DataFileError extends Error {
  readonly code: DataErrorCode
  readonly file: string

  constructor(code: DataErrorCode, file: string, reason: string) {
    super(`${file}: ${reason}`)
    this.name = 'DataFileError'
    this.code = code
    this.file = file
  }
}
