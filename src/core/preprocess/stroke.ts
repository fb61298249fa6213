/**
 * Stroke-width normalisation. Scans are often written with a broader pen than MNIST's (USPS envelopes: strokes
 * about 10% wider once scaled to the 20 px box), and an MLP trained on MNIST reads bold strokes worse. Strokes
 * wider than MNIST's typical width are thinned by grey-level erosion; thinner ones are left alone (thickening
 * merges the loops of small handwriting).
 */

/** Image of soft ink values (0 paper .. 1 ink), row-major. */
export interface InkImage {
  pixels: Float32Array
  width: number
  height: number
}

/**
 * Median stroke width of MNIST training digits in the 20 px box, measured with strokeWidth() on 2 000 of them
 * after toMnistForm (10th-90th percentile 2.2-4.0 px).
 */
export const MNIST_STROKE_WIDTH = 2.8
/** At most this many output pixels are taken off each side of a stroke, so thin parts never vanish. */
const MAX_THINNING = 0.5

/**
 * Mean stroke width in pixels: 2 × ink area / boundary length (a stroke of width w and length L has area wL and
 * two edges of length L). Ink = value ≥ 0.5; boundary = ink pixels with a 4-neighbour that is not ink.
 */
export function strokeWidth({ pixels, width, height }: InkImage): number {
  let area = 0
  let boundary = 0
  const ink = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height && pixels[y * width + x] >= 0.5
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!ink(x, y)) continue
      area++
      if (!ink(x - 1, y) || !ink(x + 1, y) || !ink(x, y - 1) || !ink(x, y + 1)) boundary++
    }
  }
  return boundary > 0 ? (2 * area) / boundary : 0
}

/** How many output pixels to take off each stroke edge for a measured width (0 when thin enough). */
export function thinningFor(measuredWidth: number): number {
  return Math.min(MAX_THINNING, Math.max(0, (measuredWidth - MNIST_STROKE_WIDTH) / 2))
}

/** Grey-level erosion by `radius` pixels (may be fractional: blends the two nearest whole erosions). */
export function erode(image: InkImage, radius: number): InkImage {
  const whole = Math.floor(radius)
  const fraction = radius - whole
  let current = image.pixels
  for (let i = 0; i < whole; i++) current = erode3x3(current, image.width, image.height)
  if (fraction > 0) {
    const next = erode3x3(current, image.width, image.height)
    const blended = new Float32Array(current.length)
    for (let i = 0; i < blended.length; i++) blended[i] = current[i] * (1 - fraction) + next[i] * fraction
    current = blended
  }
  return { pixels: current, width: image.width, height: image.height }
}

/** 3×3 minimum filter (separable); outside the image counts as paper (0). */
function erode3x3(pixels: Float32Array, width: number, height: number): Float32Array {
  const rows = new Float32Array(pixels.length)
  for (let y = 0; y < height; y++) {
    const r = y * width
    for (let x = 0; x < width; x++) {
      const left = x > 0 ? pixels[r + x - 1] : 0
      const right = x < width - 1 ? pixels[r + x + 1] : 0
      rows[r + x] = Math.min(left, pixels[r + x], right)
    }
  }
  const out = new Float32Array(pixels.length)
  for (let p = 0; p < pixels.length; p++) {
    const up = p >= width ? rows[p - width] : 0
    const down = p + width < pixels.length ? rows[p + width] : 0
    out[p] = Math.min(up, rows[p], down)
  }
  return out
}
