/** The drawing pad's number, read while it is written. */
import type { ReadLine } from '../../shared/schemas/reading'
import type { Classifier } from '../import/classifier'
import { readCrops, RecognitionCache, type DigitAssessor } from './read'
import { segmentPad, type PadInk } from './strokes'

/** The digits each classifier has read on the pad, by crop (a stroke re-reads only the digits it changed). */
const padReadings = new WeakMap<object, RecognitionCache>()

/** Reads the number written on the pad: lines of digits with their boxes, predictions and confidences. */
export function readPad(
  pad: PadInk,
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  assess?: DigitAssessor
): Promise<ReadLine[]> {
  let cache = padReadings.get(classifier)
  if (!cache) padReadings.set(classifier, (cache = new RecognitionCache()))
  return readCrops(segmentPad(pad), classifier, assess, cache)
}
