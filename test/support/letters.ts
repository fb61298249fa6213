/**
 * Letters drawn as the pad draws ink (reading-ink's round, anti-aliased pen), for the "not a digit" tests and
 * benchmark: stroke templates of capitals in a 60×100 cell, and a seeded set of varied drawings of them
 * (rotation, slant, aspect, jitter, pen width) brought to the model's 28×28 form by the shared preprocessing.
 */
import { Random } from '../../src/core/model/random'
import { toMnistForm } from '../../src/core/preprocess'
import { rasterise, type Pt, type StrokeList } from './reading-ink'

const P = (x: number, y: number): Pt => ({ x, y })

/** Capitals in the strokes people use, in a 60×100 cell (x 0..60, y 0..100). */
export const LETTER_STROKES: Record<string, StrokeList> = {
  A: [
    [P(5, 98), P(30, 2), P(55, 98)],
    [P(15, 60), P(45, 60)]
  ],
  E: [
    [P(52, 2), P(8, 2), P(8, 98), P(52, 98)],
    [P(8, 50), P(42, 50)]
  ],
  F: [
    [P(52, 2), P(8, 2), P(8, 98)],
    [P(8, 50), P(42, 50)]
  ],
  H: [
    [P(8, 2), P(8, 98)],
    [P(52, 2), P(52, 98)],
    [P(8, 50), P(52, 50)]
  ],
  K: [
    [P(10, 2), P(10, 98)],
    [P(52, 2), P(10, 60)],
    [P(24, 45), P(54, 98)]
  ],
  M: [[P(4, 98), P(8, 2), P(30, 60), P(52, 2), P(56, 98)]],
  N: [[P(8, 98), P(8, 2), P(52, 98), P(52, 2)]],
  R: [
    [P(10, 98), P(10, 2), P(40, 2), P(52, 14), P(52, 36), P(40, 48), P(10, 48)],
    [P(28, 48), P(54, 98)]
  ],
  W: [[P(2, 2), P(15, 98), P(30, 35), P(45, 98), P(58, 2)]],
  X: [
    [P(5, 2), P(55, 98)],
    [P(55, 2), P(5, 98)]
  ]
}

export interface LetterForm {
  letter: string
  /** The 28×28 form the model sees (784 values in [0,1], ink = 1). */
  pixels: Float32Array
}

/**
 * `count` drawings, the letters in turn, each varied by a seeded draw: rotation ±11°, slant ±0.25, width
 * ×0.8-1.3, height ×0.85-1.15, points moved up to 3 px, pen 12-24 px on a 200×280 canvas.
 */
export function letterForms(count: number, seed = 11, letters = Object.keys(LETTER_STROKES)): LetterForm[] {
  const random = new Random(seed)
  const out: LetterForm[] = []
  for (let i = 0; i < count; i++) {
    const letter = letters[i % letters.length]
    const angle = random.uniform(-0.2, 0.2)
    const sx = random.uniform(0.8, 1.3)
    const sy = random.uniform(0.85, 1.15)
    const shear = random.uniform(-0.25, 0.25)
    const strokes = LETTER_STROKES[letter].map((stroke) =>
      stroke.map((p) => {
        const x = (p.x - 30) * sx + shear * (p.y - 50)
        const y = (p.y - 50) * sy
        return {
          x: 100 + 2.2 * (x * Math.cos(angle) - y * Math.sin(angle)) + random.uniform(-3, 3),
          y: 140 + 2.2 * (x * Math.sin(angle) + y * Math.cos(angle)) + random.uniform(-3, 3)
        }
      })
    )
    const form = toMnistForm(rasterise(strokes, 200, 280, random.uniform(12, 24)))
    if (form.kind === 'digit') out.push({ letter, pixels: form.pixels })
  }
  return out
}

/** The forms' pixels side by side (count×784), for one batched prediction. */
export function stackForms(forms: readonly { pixels: Float32Array }[]): Float32Array {
  const out = new Float32Array(forms.length * 784)
  forms.forEach((form, i) => out.set(form.pixels, i * 784))
  return out
}
