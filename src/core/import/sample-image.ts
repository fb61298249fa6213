/** The image of one imported sample as a small PNG data URL, for the results table ('testset.sampleImage'). */
import { isAbsolute, relative, resolve } from 'node:path'
import { decodeImageFile, loadSharp, type DecodeOptions } from '../preprocess'
import { ImportError } from './errors'

export interface SampleImageOptions extends DecodeOptions {
  /** Longer side of the returned picture; larger images are scaled down. */
  maxSide?: number
}

export async function renderSampleImage(
  folder: string,
  file: string,
  options: SampleImageOptions = {}
): Promise<string> {
  const root = resolve(folder)
  const path = resolve(root, file)
  // `file` comes from the renderer: it must name something inside the imported folder.
  const inside = relative(root, path)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new ImportError('not-found', file, `${file}: not a file of the imported folder`)
  }
  const image = await decodeImageFile(path, options)
  const maxSide = options.maxSide ?? 256
  const sharp = await loadSharp()
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
  if (Math.max(image.width, image.height) > maxSide) {
    pipeline = pipeline.resize(maxSide, maxSide, { fit: 'inside' })
  }
  const png = await pipeline.png().toBuffer()
  return `data:image/png;base64,${png.toString('base64')}`
}
