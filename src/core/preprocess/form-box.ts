/** The ink's extent in a 28×28 form, shared by augmentation, writing styles and the "not a digit" fill test. */
const SIDE = 28

/** First and last row and column (inclusive) holding a pixel ≥ threshold. */
export interface FormInkBox {
  top: number
  bottom: number
  left: number
  right: number
}

/** The extent of the pixels at or above `threshold` in the 28×28 form at `offset`; null when there are none. */
export function formInkBox(pixels: ArrayLike<number>, threshold: number, offset = 0): FormInkBox | null {
  let top = SIDE
  let bottom = -1
  let left = SIDE
  let right = -1
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      if (pixels[offset + y * SIDE + x] < threshold) continue
      if (y < top) top = y
      bottom = y
      if (x < left) left = x
      if (x > right) right = x
    }
  }
  return bottom < 0 ? null : { top, bottom, left, right }
}
