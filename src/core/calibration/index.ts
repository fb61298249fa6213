/**
 * An honest "not sure": temperature scaling (Guo et al. 2017) of a model's probabilities, and a flag for
 * answers the model should not be trusted on. The prediction itself never changes; the flag says
 *   'sure'        calibrated confidence ≥ the threshold (a setting; DEFAULT_UNSURE_THRESHOLD);
 *   'not-sure'    calibrated confidence below it;
 *   'not-a-digit' the 28×28 form looks like no digit: a scribble (ink filling its box, where pen strokes
 *                 leave most of a digit's box empty), or confidence so low (below NOT_A_DIGIT_CONFIDENCE)
 *                 that no digit class fits — some letters and stray shapes land there, or, for a model
 *                 calibrated with the feature-space detector (./detector.ts), activations that lie off every
 *                 digit class's span: letters and shapes the model reads confidently as a digit.
 * Temperature divides the log-probabilities: softmax(log p / T) = softmax(logits / T), so a model that only
 * gives probabilities can still be calibrated. T is fitted by minimising the negative log-likelihood on a
 * held-out labelled set (golden-section search over log T).
 */
export const CLASSES = 10
/** Below this calibrated confidence no class fits: "not a digit" rather than "not sure". */
export const NOT_A_DIGIT_CONFIDENCE = 0.3
/** A form whose ink fills more of its box than this (see inkFill) is a scribble, not a digit. */
export const FILL_LIMIT = 0.85

export {
  CalibrationSchema,
  DEFAULT_UNSURE_THRESHOLD,
  FlagSchema,
  type Calibration,
  type Flag
} from '../../shared/schemas/calibration'
import { DEFAULT_UNSURE_THRESHOLD, type Calibration, type Flag } from '../../shared/schemas/calibration'
import { isNotADigit, scoreSaysNoDigit, type Detector } from './detector'
import { formInkBox } from '../preprocess/form-box'

export interface Assessment {
  flag: Flag
  /** Calibrated probability of the predicted digit. */
  confidence: number
}

/** softmax(log p / T) per row of count×10 probabilities. */
export function applyTemperature(probabilities: Float32Array, temperature: number): Float32Array {
  const out = new Float32Array(probabilities.length)
  for (let row = 0; row < probabilities.length; row += CLASSES) {
    let max = -Infinity
    for (let k = 0; k < CLASSES; k++) {
      const z = Math.log(Math.max(probabilities[row + k], 1e-30)) / temperature
      out[row + k] = z
      if (z > max) max = z
    }
    let sum = 0
    for (let k = 0; k < CLASSES; k++) sum += out[row + k] = Math.exp(out[row + k] - max)
    for (let k = 0; k < CLASSES; k++) out[row + k] /= sum
  }
  return out
}

/** Mean negative log-likelihood of the labels under temperature-scaled probabilities. */
export function negativeLogLikelihood(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  temperature: number
): number {
  const scaled = applyTemperature(probabilities, temperature)
  let sum = 0
  for (let n = 0; n < labels.length; n++) sum -= Math.log(Math.max(scaled[n * CLASSES + labels[n]], 1e-30))
  return sum / labels.length
}

/** The temperature that minimises the NLL of the labels (golden-section search over log T in [1/20, 20]). */
export function fitTemperature(probabilities: Float32Array, labels: ArrayLike<number>): number {
  const f = (logT: number) => negativeLogLikelihood(probabilities, labels, Math.exp(logT))
  const ratio = (Math.sqrt(5) - 1) / 2
  let lo = Math.log(1 / 20)
  let hi = Math.log(20)
  let a = hi - ratio * (hi - lo)
  let b = lo + ratio * (hi - lo)
  let fa = f(a)
  let fb = f(b)
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b
      b = a
      fb = fa
      a = hi - ratio * (hi - lo)
      fa = f(a)
    } else {
      lo = a
      a = b
      fa = fb
      b = lo + ratio * (hi - lo)
      fb = f(b)
    }
  }
  return Math.exp((lo + hi) / 2)
}

export function calibrate(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  source: string
): Calibration {
  const temperature = fitTemperature(probabilities, labels)
  return {
    temperature,
    nllBefore: negativeLogLikelihood(probabilities, labels, 1),
    nllAfter: negativeLogLikelihood(probabilities, labels, temperature),
    samples: labels.length,
    source
  }
}

/**
 * How much of the ink's bounding box is ink (pixels ≥ 0.3) in a 28×28 form, for boxes at least 10×10 (0 for
 * smaller ones: a 1 is a narrow box that is nearly all ink). Pen strokes leave most of a digit's box empty:
 * on MNIST's test set the highest is 0.84 and 99.9 % are below 0.70, on usps-600 at most 0.63; scribbled-over
 * areas fill it (a test-made scribble: 0.90).
 */
export function inkFill(pixels: Float32Array, offset = 0): number {
  const box = formInkBox(pixels, 0.3, offset)
  if (!box) return 0
  const width = box.right - box.left + 1
  const height = box.bottom - box.top + 1
  if (width < 10 || height < 10) return 0
  let ink = 0
  for (let y = box.top; y <= box.bottom; y++)
    for (let x = box.left; x <= box.right; x++) if (pixels[offset + y * 28 + x] >= 0.3) ink++
  return ink / (width * height)
}

/**
 * The flag for one prediction: `probabilities` (10 values, as the model gave them), `pixels` the 784-value
 * form it saw, `temperature` from the model's calibration (1 when it has none); `outlier` what the model's
 * detector said of its activations (false where it has none).
 */
export function assess(
  probabilities: ArrayLike<number>,
  pixels: Float32Array,
  temperature: number,
  threshold = DEFAULT_UNSURE_THRESHOLD,
  offset = 0,
  outlier = false
): Assessment {
  const scaled = applyTemperature(Float32Array.from(probabilities), temperature)
  const confidence = Math.max(...scaled)
  if (outlier || inkFill(pixels, offset) > FILL_LIMIT || confidence < NOT_A_DIGIT_CONFIDENCE) {
    return { flag: 'not-a-digit', confidence }
  }
  return { flag: confidence < threshold ? 'not-sure' : 'sure', confidence }
}

/** The temperature recorded in a model's metadata (1: uncalibrated). */
export function temperatureOf(metadata: { calibration?: Calibration }): number {
  return metadata.calibration?.temperature ?? 1
}

/**
 * The flag of one prediction from its probabilities, the form the model saw and, where the model has a
 * detector, the feature activations of the same forward pass (without them only today's rules apply).
 */
export type Assessor = (
  probabilities: ArrayLike<number>,
  pixels: Float32Array,
  features?: ArrayLike<number>,
  /** The detector's score of `features`, where it was worked out with their batch (classify). */
  score?: number
) => Assessment

/** An assess() bound to a model's temperature, its detector (if any) and a threshold, for every reading. */
export function assessorFor(
  model: { metadata: { calibration?: Calibration }; detector?: Detector | null },
  threshold = DEFAULT_UNSURE_THRESHOLD
): Assessor {
  const temperature = temperatureOf(model.metadata)
  const detector = model.detector ?? null
  const notADigit = (features?: ArrayLike<number>, score?: number) => {
    if (detector === null) return false
    if (score !== undefined) return scoreSaysNoDigit(detector, score)
    return features !== undefined && detectorVerdict(detector, features)
  }
  return (probabilities, pixels, features, score) =>
    assess(probabilities, pixels, temperature, threshold, 0, notADigit(features, score))
}

/**
 * The detector's verdicts by activation array, per detector. The pad re-flags every digit on every frame, the
 * ones it remembers with the very array they were first read with: their verdict is not worked out again
 * (the detector is the costliest part of a frame's flags, ~0.5 ms a digit). Activation arrays are made per
 * reading and never written again, so an array's verdict stays true.
 */
const verdicts = new WeakMap<Detector, WeakMap<ArrayLike<number>, boolean>>()

function detectorVerdict(detector: Detector, features: ArrayLike<number>): boolean {
  let known = verdicts.get(detector)
  if (!known) verdicts.set(detector, (known = new WeakMap()))
  let verdict = known.get(features)
  if (verdict === undefined) known.set(features, (verdict = isNotADigit(detector, features)))
  return verdict
}
