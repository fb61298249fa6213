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

export { readPad } from './pad'
export { warmUpReading } from './warm-up'
