/**
 * Fits a model's temperature and its "not a digit" detector (./detector.ts) on a held-out part of MNIST's
 * training set. The shipped models were trained on
 * all 60,000 training images, so the part is shown to the model as it was never trained on it: each image
 * under a fresh, seeded draw of the training augmentation (affine, elastic, thickness) — digits the model
 * has not seen in that form, and closer to other people's handwriting than the clean images are. Both come
 * from one forward pass over those images: the probabilities for the temperature, the feature activations for
 * the detector (whose threshold is the 99.5th percentile of these digits' scores).
 */
import type { DigitSet } from '../data/mnist'
import { PIXELS } from '../data/mnist'
import { Random } from '../model/random'
import { createAugmenter } from '../training/augment'
import { copyImages } from '../training/tensors'
import { AugmentationSchema } from '../../shared/schemas/training'
import type { Outputs } from '../model/runner'
import { calibrate, type Calibration } from './index'
import { fitDetector, type Detector } from './detector'

export interface CalibrationOptions {
  /** Images from the end of the training set (default 5,000). */
  count?: number
  /** Show them augmented (default true) or clean. */
  augmented?: boolean
  seed?: number
  /** Principal directions per class of the detector (default: detector.ts's defaultComponents). */
  components?: number
  /** The held-out digits' score percentile taken as the detector's threshold (default 99.5). */
  percentile?: number
}

/** What calibrateOnMnist needs of a model: one forward pass giving probabilities and feature activations. */
export interface FeatureModel {
  predictWithFeatures(pixels: Float32Array, count: number): Promise<Outputs>
}

/**
 * The calibration (its `detector` describes `detector`) and the detector itself, to write with the model;
 * null (and no description) when the held-out part is too small to fit one (a training on a small subset).
 */
export interface CalibrationFit {
  calibration: Calibration
  detector: Detector | null
}

export async function calibrateOnMnist(
  model: FeatureModel,
  train: DigitSet,
  options: CalibrationOptions & { layer: string }
): Promise<CalibrationFit> {
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
  const { probabilities, features, featureSize } = await model.predictWithFeatures(pixels, count)
  const labels = Array.from(indices, (i) => train.labels[i])
  const calibration = calibrate(
    probabilities,
    labels,
    `MNIST training images ${first + 1}-${train.count}${augmented ? `, freshly augmented (affine, elastic, thickness; seed ${options.seed ?? 7})` : ''}`
  )
  const fitted = fitDetector(features, featureSize, labels, {
    layer: options.layer,
    components: options.components,
    percentile: options.percentile
  })
  if (!fitted) return { calibration, detector: null }
  return { calibration: { ...calibration, detector: fitted.detector.info }, detector: fitted.detector }
}
