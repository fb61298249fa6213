import { toMnistForm, toView28 } from '../../core/preprocess'
import { argmax10 } from '../../core/evaluation'
import { assessorFor, DEFAULT_UNSURE_THRESHOLD } from '../../core/calibration'
import { classify } from '../../core/import/classifier'
import type { Prediction } from '../../shared/schemas/images'
import type { GrayImage } from '../../core/preprocess/types'
import { ServiceError, type Handlers } from '../ipc/router'
import type { ModelService } from './models'

/** Drawing-pad predictions: raw canvas pixels through the shared preprocessing, then the active model. */
export function predictHandlers(
  models: ModelService,
  /** The "not sure" threshold from the settings. */
  threshold: () => Promise<number>
): Pick<Handlers, 'predict.image'> {
  return {
    'predict.image': async ({ width, height, pixels }): Promise<Prediction> => {
      const started = performance.now()
      const data = new Uint8Array(Buffer.from(pixels, 'base64'))
      if (data.length !== width * height) {
        throw new ServiceError('bad-request', `Expected ${width * height} pixels, got ${data.length}.`)
      }
      return predictGray(models, { width, height, data }, started, await threshold())
    }
  }
}

/** The single-digit prediction of a grey image (the pad's canvas), as predict.image answers it. */
export async function predictGray(
  models: ModelService,
  image: GrayImage,
  started = performance.now(),
  /** The "not sure" threshold (the settings' unsureThreshold). */
  threshold = DEFAULT_UNSURE_THRESHOLD
): Promise<Prediction> {
  const form = toMnistForm(image)
  if (form.kind === 'no-digit') {
    return {
      digit: null,
      probabilities: Array(10).fill(0),
      view28: null,
      noDigitReason: form.reason,
      milliseconds: performance.now() - started,
      flag: null,
      calibratedConfidence: null
    }
  }
  const model = await models.active()
  const outputs = await classify(model, form.pixels, 1, true)
  const probabilities = Array.from(outputs.probabilities)
  const { flag, confidence } = assessorFor(model, threshold)(
    probabilities,
    form.pixels,
    outputs.features ?? undefined,
    outputs.scores?.[0]
  )
  return {
    flag,
    calibratedConfidence: confidence,
    digit: argmax10(probabilities),
    probabilities,
    view28: Array.from(toView28(form) ?? []),
    noDigitReason: null,
    milliseconds: performance.now() - started
  }
}
