/**
 * Segmentation: from ink to digits. group.ts is shared by the drawing pad (strokes.ts) and page reading
 * (src/core/page); read.ts recognises the digits found, in one classifier call.
 */
export { median, overlap, unionBox, type Box } from './box'
export {
  digitImage,
  groupParts,
  inkBox,
  type DigitSegment,
  type GroupOptions,
  type LabelImage,
  type Part
} from './group'
export { lineText, readAndChoose, readCrops, toCrop, type DigitAssessor, type DigitCrop } from './read'
export { padWindow, segmentPad, type PadInk, type PadPoint } from './strokes'

import type { ReadLine } from '../../shared/schemas/reading'
import type { Classifier } from '../import/classifier'
import { readCrops, type DigitAssessor } from './read'
import { segmentPad, type PadInk } from './strokes'

/** Reads the number written on the pad: lines of digits with their boxes, predictions and confidences. */
export function readPad(
  pad: PadInk,
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  assess?: DigitAssessor
): Promise<ReadLine[]> {
  return readCrops(segmentPad(pad), classifier, assess)
}
