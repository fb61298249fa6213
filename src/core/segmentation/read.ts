/** Recognising segmented digits in one batch: every digit's MNIST form goes to the classifier in a single call. */
import type { GrayImage } from '../../shared/schemas/images'
import type { ReadDigit, ReadLine } from '../../shared/schemas/reading'
import { argmax10 } from '../evaluation'
import type { Classifier } from '../import/classifier'
import { toMnistForm, type MnistFormOptions } from '../preprocess/mnist-form'
import type { Box } from './box'

export interface DigitCrop {
  box: Box
  image: GrayImage
  /** Passed to toMnistForm (crops made here are ink-bright; the pad's whole canvas is left to detection). */
  formOptions?: MnistFormOptions
}

const NO_PROBABILITIES = Array<number>(10).fill(0)

/** Recognises every digit of every line with one classifier call; lines keep their order. */
export async function readCrops(
  lines: readonly DigitCrop[][],
  classifier: Pick<Classifier, 'predict'>
): Promise<ReadLine[]> {
  const forms = lines.map((line) => line.map((crop) => toMnistForm(crop.image, crop.formOptions)))
  const batch: Float32Array[] = []
  for (const line of forms) for (const form of line) if (form.kind === 'digit') batch.push(form.pixels)
  const input = new Float32Array(batch.length * 784)
  batch.forEach((pixels, i) => input.set(pixels, i * 784))
  const output = batch.length > 0 ? await classifier.predict(input, batch.length) : new Float32Array(0)
  let next = 0
  return lines.map((line, l) => {
    const digits: ReadDigit[] = line.map((crop, d) => {
      if (forms[l][d].kind !== 'digit')
        return { digit: null, confidence: 0, box: crop.box, probabilities: NO_PROBABILITIES }
      const probabilities = Array.from(output.subarray(next * 10, next * 10 + 10))
      next++
      const digit = argmax10(probabilities)
      return { digit, confidence: probabilities[digit], box: crop.box, probabilities }
    })
    return { text: lineText(digits), digits }
  })
}

export function lineText(digits: readonly Pick<ReadDigit, 'digit'>[]): string {
  return digits.map((d) => (d.digit === null ? '?' : String(d.digit))).join('')
}
