export const IMPORT_ERROR_CODES = [
  'not-found',
  'not-a-folder',
  'unreadable',
  'too-many-files',
  'cancelled'
] as const
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number]

/** The import as a whole failed (a single bad file never fails it; it is listed in `skipped`). */
export class ImportError extends Error {
  override readonly name = 'ImportError'

  constructor(
    readonly code: ImportErrorCode,
    readonly file: string,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}
