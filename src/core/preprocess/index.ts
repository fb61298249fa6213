/**
 * The one preprocessing pipeline: decode any image file (decode.ts, uses sharp) and turn grey pixels into
 * MNIST's 28×28 form (mnist-form.ts, pure TypeScript). Code that must not load sharp (renderer, drawing pad)
 * can import './mnist-form' directly; sharp is loaded lazily here only when a file is decoded.
 */
export { ImageDecodeError, type ImageErrorCode } from './errors'
export {
  decodeImageBuffer,
  decodeImageFile,
  detectImageFormat,
  loadSharp,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_PIXELS,
  SUPPORTED_FORMATS_TEXT,
  type DecodeOptions,
  type ImageFormat
} from './decode'
export { toGrayImage, type RawPixels } from './gray'
export { DIGIT_BOX, MNIST_SIDE, toMnistForm, toView28, type MnistFormOptions } from './mnist-form'

import type { GrayImage, MnistForm } from './types'
import { decodeImageFile, type DecodeOptions } from './decode'
import { toMnistForm } from './mnist-form'

/** Decode + MNIST form in one step (folder import, CLI). */
export async function fileToMnistForm(
  path: string,
  opts: DecodeOptions = {}
): Promise<{ image: GrayImage; form: MnistForm }> {
  const image = await decodeImageFile(path, opts)
  return { image, form: toMnistForm(image) }
}
