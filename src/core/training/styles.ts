/**
 * Writing styles MNIST (American writers) nearly lacks but people elsewhere use every day: the crossed 7 and
 * the 1 with a flag at the top (and sometimes a base). Added to a training image of that digit as one more pen
 * stroke, drawn on the 28×28 source bytes before the other augmentations, so the stroke is slanted, stretched
 * and thickened along with the digit. Label-aware, unlike the others: a bar through a 7 is a 7, but a bar
 * through a 1 is not.
 */
import type { Random } from '../model/random'
import { formInkBox } from '../preprocess/form-box'
import { drawStroke as drawPenStroke, type PenPoint } from '../preprocess/pen'

const SIDE = 28
/** Share of the 7s that get a cross bar and of the 1s that get a flag (a third of those also a base). */
const CROSSED_SEVEN = 0.3
const FLAGGED_ONE = 0.4
const INK = 128

/** Mean column of the ink in row y, or null when the row has none. */
function inkCentre(image: Uint8Array, y: number): number | null {
  let sum = 0
  let count = 0
  for (let x = 0; x < SIDE; x++) {
    if (image[y * SIDE + x] >= INK) {
      sum += x
      count++
    }
  }
  return count === 0 ? null : sum / count
}

/** Draws an anti-aliased pen stroke from a to b (half width in pixels) into 28×28 bytes. */
export function drawStroke(image: Uint8Array, a: PenPoint, b: PenPoint, halfWidth: number): void {
  drawPenStroke({ width: SIDE, height: SIDE, data: image }, a, b, halfWidth)
}

/** A short bar across the stem of a 7, a little below half its height. False when the 7 has no stem there. */
export function crossSeven(image: Uint8Array, random: Random): boolean {
  const box = formInkBox(image, INK)
  if (!box || box.bottom - box.top < 10) return false
  const y = Math.round(box.top + random.uniform(0.45, 0.6) * (box.bottom - box.top))
  const x = inkCentre(image, y)
  if (x === null) return false
  const half = random.uniform(2.5, 4.5)
  const tilt = random.uniform(-0.15, 0.15) * half
  drawStroke(image, { x: x - half, y: y + tilt }, { x: x + half, y: y - tilt }, random.uniform(0.8, 1.3))
  return true
}

/** A flag down and to the left from the top of a 1, and sometimes a base under it. */
export function flagOne(image: Uint8Array, random: Random): boolean {
  const box = formInkBox(image, INK)
  if (!box || box.bottom - box.top < 10) return false
  const top = inkCentre(image, box.top)
  if (top === null) return false
  const width = random.uniform(0.8, 1.3)
  const length = random.uniform(3, 6)
  const angle = (random.uniform(25, 55) * Math.PI) / 180
  drawStroke(
    image,
    { x: top, y: box.top },
    { x: top - length * Math.cos(angle), y: box.top + length * Math.sin(angle) },
    width
  )
  const bottom = inkCentre(image, box.bottom)
  if (bottom !== null && random.next() < 1 / 3) {
    const half = random.uniform(2.5, 4.5)
    drawStroke(image, { x: bottom - half, y: box.bottom }, { x: bottom + half, y: box.bottom }, width)
  }
  return true
}

/**
 * Copies the 28×28 source image at `offset` into `out` with a writing style added for its label, at the
 * rates above. Returns false (and leaves `out` unspecified) when the image keeps its own style.
 */
export function addWritingStyle(
  images: Uint8Array,
  offset: number,
  label: number,
  random: Random,
  out: Uint8Array
): boolean {
  const style = label === 7 ? crossSeven : label === 1 ? flagOne : null
  if (!style || random.next() >= (label === 7 ? CROSSED_SEVEN : FLAGGED_ONE)) return false
  out.set(images.subarray(offset, offset + SIDE * SIDE))
  return style(out, random)
}
