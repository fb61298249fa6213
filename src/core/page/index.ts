/**
 * Reading a page: every handwritten digit on a scan or photo, in lines top to bottom, each left to right.
 *   1. darkness against the local paper (binarise.ts): uneven light, shadows, blue or black ink;
 *   2. skew measured and the page turned level (deskew.ts);
 *   3. printed rules and form boxes taken out (rules.ts);
 *   4. connected components grouped into lines and digits, touching digits cut (src/core/segmentation);
 *   5. each digit cut out alone, put in MNIST's form by src/core/preprocess and recognised in one batch.
 * Boxes are reported in the page image's own pixels.
 */
import type { GrayImage } from '../preprocess/types'
import type { ReadLine } from '../../shared/schemas/reading'
import type { Classifier } from '../import/classifier'
import { decodeImageFile, type DecodeOptions } from '../preprocess'
import {
  groupParts,
  median,
  readAndChoose,
  toCrop,
  type Box,
  type DigitAssessor,
  type DigitCrop,
  type LabelImage
} from '../segmentation'
import { darkness, inkMask, inkThreshold } from './binarise'
import { components, type Component } from './components'
import { estimateSkew, levelPage, rotation, type Rotation } from './deskew'
import { removePrintedLines } from './rules'

export interface PageLayout {
  width: number
  height: number
  /** Skew found and corrected, in degrees. */
  skewDegrees: number
  /** Printed boxes found (form fields), in the page's pixels. */
  printedBoxes: Box[]
  lines: DigitCrop[][]
}

export interface PageReading extends Omit<PageLayout, 'lines'> {
  lines: ReadLine[]
}

/**
 * On a page, a digit this many times wider than its line's digits are tall may be two touching ones that
 * overlap: offered as pieces for the detector to judge (group.ts, read.ts). Touching MNIST digits on plain
 * paper, lines of 8 right: 38 → 42 %; pages with people's usual gaps unchanged.
 */
const PAGE_MAYBE_TOUCHING = 1.0

/** Parts smaller than this share of the typical part height (both ways) are specks, not strokes. */
const SPECK_SHARE = 0.2
/** Digits shorter than this share of the page's typical digit height are dashes and leftovers of rules… */
const MIN_DIGIT_SHARE = 0.4
/** …unless they are at least this tall and FLAT_DIGIT_WIDTH wide (a flat 2 written in a small box). */
const FLAT_DIGIT_SHARE = 0.25
const FLAT_DIGIT_WIDTH = 0.8

/** In a form's printed box, what is written in its middle is the entry, however small (a flat 2, a 0 as a dot). */
const BOXED_DIGIT_SHARE = 0.2
/** The middle of a box: its centre part, this share of its size in from each side (leftovers of its sides are not). */
const BOX_INSET = 0.2

function isDigitSized(box: Box, typical: number, printedBoxes: readonly Box[]): boolean {
  if (box.height >= MIN_DIGIT_SHARE * typical) return true
  if (box.height >= FLAT_DIGIT_SHARE * typical && box.width >= FLAT_DIGIT_WIDTH * typical) return true
  return (
    Math.max(box.width, box.height) >= BOXED_DIGIT_SHARE * typical &&
    Math.min(box.width, box.height) >= 2 &&
    printedBoxes.some((frame) => inMiddle(box, frame))
  )
}

/** Whether the centre of `box` lies in the middle of `frame` (BOX_INSET in from its sides). */
function inMiddle(box: Box, frame: Box): boolean {
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  return (
    cx >= frame.x + BOX_INSET * frame.width &&
    cx <= frame.x + (1 - BOX_INSET) * frame.width &&
    cy >= frame.y + BOX_INSET * frame.height &&
    cy <= frame.y + (1 - BOX_INSET) * frame.height
  )
}

/** Finds the digits of a page and cuts each out (no model needed). */
export function segmentPage(image: GrayImage): PageLayout {
  const { width, height } = image
  const dark = darkness(image)
  const skew = estimateSkew(inkMask(dark), width, height)
  const turn = rotation(skew, width, height)
  const level = levelPage(dark, turn)
  // Ink is looked for at half the ink threshold: thin rules blurred by the scan or the turn, or printed in a
  // light colour, and thin joins within a digit break up at the threshold but not at half of it. Whether a
  // stroke crosses a rule is decided on the ink proper.
  const threshold = inkThreshold(level)
  const faint = inkMask(level, Math.round(threshold / 2))
  const printed = removePrintedLines(faint, width, height, inkMask(level, threshold))

  const { labels, list } = components(faint, width, height)
  const typical = typicalHeight(list)
  const parts = list.filter((c) => Math.max(c.box.width, c.box.height) >= SPECK_SHARE * typical)
  const ink: LabelImage = { width, height, labels }
  const lines = groupParts(parts, ink, { maybeTouchingAspect: PAGE_MAYBE_TOUCHING })
    .map((line) => line.filter((d) => isDigitSized(d.box, typical, printed.boxes)))
    .filter((line) => line.length > 0)
    .map((line) =>
      line.map((digit) => toCrop(digit, ink, level.level, (box) => toPageBox(box, turn, width, height)))
    )
  return {
    width,
    height,
    skewDegrees: skew,
    printedBoxes: printed.boxes.map((b) => toPageBox(b, turn, width, height)),
    lines
  }
}

/** Reads every digit of a page with one classifier call. */
export async function readPage(
  image: GrayImage,
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  assess?: DigitAssessor
): Promise<PageReading> {
  return (await readPageCrops(image, classifier, assess)).reading
}

/** readPage, also giving each digit read cut out alone (for making a test set from pages). */
export async function readPageCrops(
  image: GrayImage,
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  assess?: DigitAssessor
): Promise<{ reading: PageReading; crops: DigitCrop[][] }> {
  const layout = segmentPage(image)
  const { lines, crops } = await readAndChoose(layout.lines, classifier, assess)
  return { reading: { ...layout, lines }, crops }
}

/** Decodes a page file (PNG, JPEG, TIFF, WebP, …) and reads it; decoding errors name the file and the reason. */
export async function readPageFile(
  file: string,
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  options: DecodeOptions = {},
  assess?: DigitAssessor
): Promise<PageReading> {
  return readPage(await decodeImageFile(file, options), classifier, assess)
}

/**
 * Typical height of a digit's ink: the median height of the components that are not specks, a speck being
 * under a tenth of the area most large components have (dust, noise and leftovers of printed lines are many
 * but small).
 */
function typicalHeight(list: readonly Component[]): number {
  if (list.length === 0) return 0
  const areas = list.map((c) => c.area).sort((a, b) => a - b)
  const large = areas[Math.floor(0.9 * (areas.length - 1))]
  return median(list.filter((c) => c.area >= 0.1 * large).map((c) => c.box.height))
}

/** A box of the level page as the bounding box of its corners on the original page, within the page. */
function toPageBox(box: Box, turn: Rotation, width: number, height: number): Box {
  if (turn.degrees === 0) return box
  const corners = [
    turn.toPage(box.x, box.y),
    turn.toPage(box.x + box.width, box.y),
    turn.toPage(box.x, box.y + box.height),
    turn.toPage(box.x + box.width, box.y + box.height)
  ]
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[0]))))
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[1]))))
  const x1 = Math.min(width, Math.ceil(Math.max(...corners.map((c) => c[0]))))
  const y1 = Math.min(height, Math.ceil(Math.max(...corners.map((c) => c[1]))))
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) }
}

export {
  assignLabels,
  parseRule,
  writeLabelledFolder,
  LabelRuleError,
  type AssignedDigit,
  type CutPage,
  type LabelRule,
  type UnassignedDigit
} from './cut'
export { readingCsv, readingJson } from './export'
