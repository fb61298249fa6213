/** Recognising segmented digits in one batch: every digit's MNIST form goes to the classifier in a single call. */
import type { GrayImage } from '../preprocess/types'
import type { ReadDigit, ReadLine } from '../../shared/schemas/reading'
import { argmax10 } from '../evaluation'
import { classify, type Classifier } from '../import/classifier'
import type { Assessor } from '../calibration'
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
}

/** A segmented digit (and its touching-digit pieces) cut out of `level`; `toBox` maps its box to the image's. */
export function toCrop(
  digit: DigitSegment,
  ink: LabelImage,
  level: Uint8Array,
  toBox: (box: Box) => Box = (box) => box
): DigitCrop {
  return {
    box: toBox(digit.box),
    image: digitImage(digit, ink, level),
    formOptions: { darkInk: false },
    pieces: digit.pieces?.map((piece) => toCrop(piece, ink, level, toBox))
  }
}

/**
 * The "not sure" flag of one digit from its probabilities, the form the model saw and the detector's feature
 * activations when the model has a detector (assessorFor).
 */
export type DigitAssessor = Assessor

/** How much surer the pieces must be than the whole: one wide digit is likelier than touching ones. */
const SPLIT_MARGIN = 0.05

const NO_PROBABILITIES = Array<number>(10).fill(0)

/**
 * Recognises every digit of every line with one classifier call; lines keep their order. A crop that may be
 * touching digits is read both ways, and read as its pieces when they are recognised more surely than the
 * whole (the geometric mean of the pieces' confidences beats the whole's by SPLIT_MARGIN).
 */
export async function readCrops(
  lines: readonly DigitCrop[][],
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  assess?: DigitAssessor
): Promise<ReadLine[]> {
  return (await readAndChoose(lines, classifier, assess)).lines
}

/**
 * readCrops, also giving the crops chosen (a touching-digits crop replaced by its pieces where they won). With
 * `assess`, every digit read gets its "not sure" / "not a digit" flag (a piece with no digit: flag null).
 */
export async function readAndChoose(
  lines: readonly DigitCrop[][],
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  assess?: DigitAssessor
): Promise<{ lines: ReadLine[]; crops: DigitCrop[][] }> {
  const all = lines.flatMap((line) => line.flatMap((crop) => [crop, ...(crop.pieces ?? [])]))
  const forms = new Map(all.map((crop) => [crop, toMnistForm(crop.image, crop.formOptions)]))
  const batch = all.filter((crop) => forms.get(crop)?.kind === 'digit')
  const input = new Float32Array(batch.length * 784)
  batch.forEach((crop, i) => {
    const form = forms.get(crop)
    if (form?.kind === 'digit') input.set(form.pixels, i * 784)
  })
  const empty = { probabilities: new Float32Array(0), features: null, featureSize: 0 }
  const outputs =
    batch.length > 0 ? await classify(classifier, input, batch.length, assess !== undefined) : empty
  const output = outputs.probabilities
  const row = new Map(batch.map((crop, i) => [crop, i]))
  const read = (crop: DigitCrop): ReadDigit => {
    const i = row.get(crop)
    const none = assess ? { flag: null } : {}
    if (i === undefined)
      return { digit: null, confidence: 0, box: crop.box, probabilities: NO_PROBABILITIES, ...none }
    const probabilities = Array.from(output.subarray(i * 10, i * 10 + 10))
    const digit = argmax10(probabilities)
    const read: ReadDigit = { digit, confidence: probabilities[digit], box: crop.box, probabilities }
    const size = outputs.featureSize
    const features = outputs.features?.subarray(i * size, (i + 1) * size)
    if (assess) read.flag = assess(probabilities, input.subarray(i * 784, i * 784 + 784), features).flag
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
      return mean > whole.confidence + SPLIT_MARGIN
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
