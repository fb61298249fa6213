import { detectorScores, type Detector } from '../calibration/detector'
import type { Outputs } from '../model/runner'

/**
 * What the folder import needs from a model. The engine's LoadedModel satisfies it structurally; tests use small
 * deterministic classifiers.
 */
export interface Classifier {
  /** Model id, recorded in the import result. */
  id: string
  /** The model's name, recorded in the import result (LoadedModel has it in its metadata; default: the id). */
  metadata?: { name: string }
  /** `count` images of 784 values in [0, 1] (ink = 1), row-major → count×10 probabilities. */
  predict(pixels: Float32Array, count: number): Promise<Float32Array>
  /** The probabilities and the detector's feature activations in one pass (LoadedModel has it). */
  predictWithFeatures?(pixels: Float32Array, count: number): Promise<Outputs>
  /** The model's "not a digit" detector (LoadedModel has it); without one no features are computed. */
  detector?: Detector | null
}

/**
 * count×10 probabilities, and the feature activations where the flag will use them (an assessment is asked
 * for and the classifier has a detector): one forward pass either way. With the features come the detector's
 * scores of them, worked out for the whole batch at once (detectorScores).
 */
export async function classify(
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  pixels: Float32Array,
  count: number,
  wantFeatures: boolean
): Promise<{
  probabilities: Float32Array
  features: Float32Array | null
  featureSize: number
  scores: Float64Array | null
}> {
  if (wantFeatures && classifier.detector && classifier.predictWithFeatures) {
    const outputs = await classifier.predictWithFeatures(pixels, count)
    const scores =
      outputs.featureSize === classifier.detector.info.features
        ? detectorScores(classifier.detector, outputs.features, count)
        : null
    return { ...outputs, scores }
  }
  return {
    probabilities: await classifier.predict(pixels, count),
    features: null,
    featureSize: 0,
    scores: null
  }
}
