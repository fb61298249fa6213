/** Why an image file could not be turned into pixels. */
export const IMAGE_ERROR_CODES = [
  'not-found',
  'empty-file',
  'file-too-large',
  'too-many-pixels',
  'unsupported-format',
  'corrupt',
  'unreadable'
] as const
export type ImageErrorCode = (typeof IMAGE_ERROR_CODES)[number]

/** A file that is not a usable image. `reason` is the plain explanation without the file name (for lists). */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError'

  constructor(
    readonly code: ImageErrorCode,
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown }
  ) {
    super(`${file}: ${reason}`, options)
  }
}
