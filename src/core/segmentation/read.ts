/** Recognising segmented digits in one batch: every digit's MNIST form goes to the classifier in a single call. */
import type { GrayImage } from '../preprocess/types'
import type { ReadDigit, ReadLine } from '../../shared/schemas/reading'
import { argmax10 } from '../evaluation'
import { classify, type Classifier } from '../import/classifier'
import type { Assessor } from '../calibration'
import { scoreSaysNoDigit } from '../calibration/detector'
import { toMnistForm, type MnistFormOptions } from '../preprocess/mnist-form'
import type { Box } from './box'
import { digitImage, type DigitSegment, type LabelImage } from './group'

export interface DigitCrop {
  box: Box
  image: GrayImage
  /** Passed to toMnistForm (crops made here are ink-bright; the pad's whole canvas is left to detection). */
  formOptions?: MnistFormOptions
  /** Touching digits this crop may hold instead of one wide digit (see DigitSegment.pieces). */
  pieces?: DigitCrop[]
  /** With pieces: how thick the ink is where they meet (DigitSegment.neck). */
  neck?: number
  /** With pieces: read only if the detector says the whole is no digit (DigitSegment.piecesIfNoDigit). */
  piecesIfNoDigit?: boolean
  /** Same key, same crop: what a RecognitionCache remembers it by (set where crops recur: the pad). */
  key?: string
}

/**
 * What the classifier said of one crop: its probabilities, the MNIST form it saw and the detector's features
 * when they were asked for (null: no digit).
 */
type Remembered = {
  probabilities: Float32Array
  pixels: Float32Array
  features: Float32Array | undefined
  /** The detector's score of the features (classify works it out with the batch). */
  score: number | undefined
} | null

/**
 * Readings of crops by key, so that a digit read once is not read again while the rest of the number is being
 * written (each stroke re-reads only the digits it changed). The oldest are forgotten past `limit`.
 */
export class RecognitionCache {
  private readonly entries = new Map<string, Remembered>()
  constructor(private readonly limit = 256) {}

  get(key: string): Remembered | undefined {
    const hit = this.entries.get(key)
    if (hit !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }

  set(key: string, value: Remembered): void {
    this.entries.set(key, value)
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string)
  }
}

/**
 * A segmented digit (and its touching-digit pieces) cut out of `level`; `toBox` maps its box to the image's.
 * The image is cut when it is first asked for: a digit the pad's RecognitionCache remembers is never cut again.
 * `checkInk` runs before cutting (the pad's label image is reused by its next frame: strokes.ts).
 */
export function toCrop(
  digit: DigitSegment,
  ink: LabelImage,
  level: Uint8Array,
  toBox: (box: Box) => Box = (box) => box,
  checkInk: () => void = () => {}
): DigitCrop {
  return cutWhenRead(
    {
      box: toBox(digit.box),
      formOptions: { darkInk: false },
      pieces: digit.pieces?.map((piece) => toCrop(piece, ink, level, toBox, checkInk)),
      neck: digit.neck,
      piecesIfNoDigit: digit.piecesIfNoDigit
    },
    () => {
      checkInk()
      return digitImage(digit, ink, level)
    }
  )
}

/** `crop` with an `image` that `cut` makes on first use and that is kept (a spread copy would cut it at once). */
export function cutWhenRead(crop: Omit<DigitCrop, 'image'>, cut: () => GrayImage): DigitCrop {
  let image: GrayImage | undefined
  return Object.defineProperty(crop, 'image', {
    get: () => (image ??= cut()),
    enumerable: true
  }) as DigitCrop
}

/**
 * The "not sure" flag of one digit from its probabilities, the form the model saw and the detector's feature
 * activations when the model has a detector (assessorFor).
 */
export type DigitAssessor = Assessor

/** How much surer the pieces must be than the whole: one wide digit is likelier than touching ones. */
const SPLIT_MARGIN = 0.05
/**
 * Touching digits mostly meet at a thin join; a cut crossing more ink than this share of the digit's height
 * may go through one digit's body (a flat 2's base and curl, a 0 written as a blob)…
 */
const THIN_NECK = 0.3
/** …and the pieces must then beat the whole by this much more per share of the height beyond THIN_NECK. */
const NECK_PENALTY = 2
/** Each piece must itself be read with at least this confidence (half a digit often reads as some digit). */
const MIN_PIECE_CONFIDENCE = 0.5
/** Pieces split off on the detector's word alone must each be read at least this surely. */
const SURE_PIECE_CONFIDENCE = 0.8

const NO_PROBABILITIES = Array<number>(10).fill(0)

/**
 * Recognises every digit of every line with one classifier call; lines keep their order. A crop that may be
 * touching digits is read both ways, and read as its pieces when they are recognised more surely than the
 * whole (the geometric mean of the pieces' confidences beats the whole's by a margin that grows with the ink the
 * cut crosses, and each piece is read with some confidence), or, with a model that has a "not a digit" detector,
 * when the detector says the whole is no digit and each piece is one (a CNN reads two touching digits as one
 * confidently; the detector is not fooled as often: touching MNIST pairs right ~79 → ~88 %). A crop only
 * somewhat wide (piecesIfNoDigit) is split on the detector's word alone.
 */
export async function readCrops(
  lines: readonly DigitCrop[][],
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  assess?: DigitAssessor,
  cache?: RecognitionCache
): Promise<ReadLine[]> {
  return (await readAndChoose(lines, classifier, assess, cache)).lines
}

/**
 * readCrops, also giving the crops chosen (a touching-digits crop replaced by its pieces where they won). With
 * `assess`, every digit read gets its "not sure" / "not a digit" flag (a piece with no digit: flag null).
 */
export async function readAndChoose(
  lines: readonly DigitCrop[][],
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  assess?: DigitAssessor,
  cache?: RecognitionCache
): Promise<{ lines: ReadLine[]; crops: DigitCrop[][] }> {
  const all = lines.flatMap((line) => line.flatMap((crop) => [crop, ...(crop.pieces ?? [])]))
  // The detector also helps decide touching digits (the choice below), so its features are asked for then too.
  const wantFeatures = assess !== undefined || (!!classifier.detector && all.some((crop) => crop.pieces))
  const known = new Map<DigitCrop, Remembered>()
  const fresh: DigitCrop[] = []
  const freshForms: Float32Array[] = []
  for (const crop of all) {
    const hit = cache && crop.key !== undefined ? cache.get(crop.key) : undefined
    // A reading remembered without the detector's features does not do when the flag needs them.
    const usable = !(hit && wantFeatures && classifier.detector && hit.features === undefined)
    if (hit !== undefined && usable) {
      known.set(crop, hit)
      continue
    }
    const form = toMnistForm(crop.image, crop.formOptions)
    if (form.kind === 'digit') {
      fresh.push(crop)
      freshForms.push(form.pixels)
    } else {
      known.set(crop, null)
      if (cache && crop.key !== undefined) cache.set(crop.key, null)
    }
  }
  const input = new Float32Array(fresh.length * 784)
  freshForms.forEach((pixels, i) => input.set(pixels, i * 784))
  const empty = { probabilities: new Float32Array(0), features: null, featureSize: 0, scores: null }
  const outputs = fresh.length > 0 ? await classify(classifier, input, fresh.length, wantFeatures) : empty
  fresh.forEach((crop, i) => {
    const size = outputs.featureSize
    const seen = {
      probabilities: outputs.probabilities.slice(i * 10, i * 10 + 10),
      pixels: freshForms[i],
      features: outputs.features?.slice(i * size, (i + 1) * size),
      score: outputs.scores?.[i]
    }
    known.set(crop, seen)
    if (cache && crop.key !== undefined) cache.set(crop.key, seen)
  })
  const read = (crop: DigitCrop): ReadDigit => {
    const seen = known.get(crop)
    const none = assess ? { flag: null } : {}
    if (!seen) return { digit: null, confidence: 0, box: crop.box, probabilities: NO_PROBABILITIES, ...none }
    const probabilities = Array.from(seen.probabilities)
    const digit = argmax10(probabilities)
    const read: ReadDigit = { digit, confidence: probabilities[digit], box: crop.box, probabilities }
    if (assess) read.flag = assess(probabilities, seen.pixels, seen.features, seen.score).flag
    return read
  }
  const chosen = lines.map((line) =>
    line.flatMap((crop): [DigitCrop, ReadDigit][] => {
      const whole = read(crop)
      if (!crop.pieces) return [[crop, whole]]
      const pieces = crop.pieces.map(read)
      const mean = Math.exp(
        pieces.reduce((sum, d) => sum + Math.log(Math.max(1e-9, d.confidence)), 0) / pieces.length
      )
      // Pieces whose ink is apart (two strokes side by side, a cut through no ink) need only be about as sure.
      const neck = crop.neck ?? 0
      const margin = neck === 0 ? -SPLIT_MARGIN : SPLIT_MARGIN + NECK_PENALTY * Math.max(0, neck - THIN_NECK)
      const offDigit = (c: DigitCrop) => {
        const score = known.get(c)?.score
        return score !== undefined && !!classifier.detector && scoreSaysNoDigit(classifier.detector, score)
      }
      // The detector's word: the whole is no digit, and each piece is one, read surely.
      const noDigitButPieces =
        offDigit(crop) &&
        !crop.pieces.some(offDigit) &&
        pieces.every((d) => d.confidence >= SURE_PIECE_CONFIDENCE)
      const surerInPieces =
        !crop.piecesIfNoDigit &&
        pieces.every((d) => d.confidence >= MIN_PIECE_CONFIDENCE) &&
        mean > whole.confidence + margin
      const split = noDigitButPieces || surerInPieces
      return split
        ? crop.pieces.map((piece, i): [DigitCrop, ReadDigit] => [piece, pieces[i]])
        : [[crop, whole]]
    })
  )
  return {
    lines: chosen.map((line) => {
      const digits = line.map(([, digit]) => digit)
      return { text: lineText(digits), digits }
    }),
    crops: chosen.map((line) => line.map(([crop]) => crop))
  }
}

export function lineText(digits: readonly Pick<ReadDigit, 'digit'>[]): string {
  return digits.map((d) => (d.digit === null ? '?' : String(d.digit))).join('')
}
