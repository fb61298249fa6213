/**
 * Segmentation: from ink to digits. group.ts is shared by the drawing pad (strokes.ts) and page reading
 * (src/core/page); read.ts recognises the digits found, in one classifier call.
 */
export { median, overlap, unionBox, type Box } from './box'
export {
  digitImage,
  groupParts,
  inkBox,
  ownedBy,
  type DigitSegment,
  type GroupOptions,
  type LabelImage,
  type Part
} from './group'
export {
  lineText,
  readAndChoose,
  readCrops,
  RecognitionCache,
  toCrop,
  type DigitAssessor,
  type DigitCrop
} from './read'
export { padWindow, segmentPad, type PadInk, type PadPoint } from './strokes'

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
