/** A problem with an input file; `code` is stable for programs, `file` names the file. */
export type DataErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'not-gzip'
  | 'bad-gzip'
  | 'bad-magic'
  | 'bad-dimensions'
  | 'bad-length'
  | 'mismatch'
  | 'checksum'
  | 'download-failed'

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
