/**
 * Fits a model's temperature on a held-out part of MNIST's training set. The shipped models were trained on
 * all 60,000 training images, so the part is shown to the model as it was never trained on it: each image
 * under a fresh, seeded draw of the training augmentation (affine, elastic, thickness) — digits the model
 * has not seen in that form, and closer to other people's handwriting than the clean images are.
 */
import type { DigitSet } from '../data/mnist'
import { PIXELS } from '../data/mnist'
import { Random } from '../model/random'
import { createAugmenter } from '../training/augment'
import { copyImages } from '../training/tensors'
import { AugmentationSchema } from '../../shared/schemas/training'
import { calibrate, type Calibration } from './index'

export interface CalibrationOptions {
  /** Images from the end of the training set (default 5,000). */
  count?: number
  /** Show them augmented (default true) or clean. */
  augmented?: boolean
  seed?: number
}

export async function calibrateOnMnist(
  predict: (pixels: Float32Array, count: number) => Promise<Float32Array>,
  train: DigitSet,
  options: CalibrationOptions = {}
): Promise<Calibration> {
  const count = Math.min(options.count ?? 5000, train.count)
  const first = train.count - count
  const indices = Int32Array.from({ length: count }, (_, i) => first + i)
  const pixels = new Float32Array(count * PIXELS)
  const augmented = options.augmented ?? true
  if (augmented) {
    const augment = createAugmenter(
      AugmentationSchema.parse({ affine: true, elastic: true, thickness: true }),
      new Random(options.seed ?? 7)
    )
    augment?.(train.images, indices, pixels)
  } else copyImages(train.images, indices, pixels)
  const probabilities = await predict(pixels, count)
  const labels = Array.from(indices, (i) => train.labels[i])
  return calibrate(
    probabilities,
    labels,
    `MNIST training images ${first + 1}-${train.count}${augmented ? `, freshly augmented (affine, elastic, thickness; seed ${options.seed ?? 7})` : ''}`
  )
}
