/**
 * Turns any grayscale digit image into MNIST's form: 28×28, ink bright (1) on black (0), the digit scaled so
 * its longer side is 20 px and placed with its centre of mass at the centre of the field (LeCun et al.'s recipe).
 *
 * Pure TypeScript with no dependencies: the drawing pad calls it on raw canvas pixels for every stroke, so it has
 * to stay well under 2 ms for a 280×280 canvas. Steps (each explained where it is done):
 *   1. shrink very large inputs (speed only),
 *   2. Otsu threshold on the histogram,
 *   3. polarity from the image border (paper surrounds the digit),
 *   4. "no digit" when ink and paper are not clearly separated,
 *   5. soft threshold: paper texture → 0, solid ink → 1, anti-aliased edges keep their grey,
 *   6. drop specks (small connected components) and everything not next to a kept stroke,
 *   7. crop to the ink's bounding box, 8. resample to fit 20×20, 9. thin strokes bolder than MNIST's,
 *   10. centre by mass in 28×28.
 */
import type { GrayImage, MnistForm } from './types'
import { resample } from './resample'
import { erode, strokeWidth, thinningFor, type InkImage } from './stroke'
import { components } from './components'

export const MNIST_SIDE = 28
/** MNIST normalised each digit into a 20×20 box before centring it in the 28×28 field. */
export const DIGIT_BOX = 20

/**
 * Larger inputs are box-filtered down by an integer factor first: the digit ends up 20 px tall, so a working
 * size of 256 still oversamples a digit that fills the frame about 12×, and it keeps a 280×280 drawing-pad
 * canvas (shrunk to 140×140) well under the 2 ms budget. Box filtering also averages out scanner noise.
 */
const MAX_WORKING_SIDE = 256
/**
 * Minimum grey-level distance between paper and ink (of 255). Below it the "ink" is more likely a lighting
 * gradient, JPEG noise or a blank sheet than writing. A conservative floor: usps-600's digits are 150+ apart.
 */
const MIN_CONTRAST = 40
/**
 * Ink must stand out from the paper's own texture: a blank noisy sheet split by Otsu puts the ink class mean
 * about 2.5 paper σ above the paper median, a written digit puts it 10+ σ above.
 */
const MIN_CONTRAST_IN_PAPER_SIGMAS = 6
/** Components smaller than this share of the largest one are specks (dust, scanner noise), not strokes. */
const SPECK_SHARE = 0.02
/** A share of the image border this far from 50% decides polarity; otherwise the global majority does. */
const BORDER_DECISIVE_MARGIN = 0.1

export interface MnistFormOptions {
  /** Skip polarity detection: true = the image has dark ink on light paper. */
  darkInk?: boolean
}

/** Converts a grayscale image (any size, either polarity) into MNIST's 28×28 form, or explains why there is no digit. */
export function toMnistForm(image: GrayImage, options: MnistFormOptions = {}): MnistForm {
  const { width, height, data } = image
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    return { kind: 'no-digit', reason: 'The image is empty.' }
  }
  if (data.length !== width * height) {
    throw new RangeError(`Gray image data has ${data.length} bytes, expected ${width}×${height}`)
  }
  // 1. Working size (speed only; see MAX_WORKING_SIDE).
  const work = shrinkToWorkingSize(image)
  const { width: w, height: h } = work

  // 2. Otsu: the threshold that best separates the histogram into two classes (paper and ink).
  const histogram = new Float64Array(256)
  for (let i = 0; i < work.data.length; i++) histogram[work.data[i]]++
  const threshold = otsuThreshold(histogram)
  if (threshold === null) return { kind: 'no-digit', reason: 'The image is blank (a single grey level).' }

  // 3. Polarity. The paper surrounds the digit, so the border is mostly paper: if it is mostly light, the ink
  // is dark and the image gets inverted. Digits that fill their frame (USPS) still leave most of the border white.
  const inverted = options.darkInk ?? isDarkInk(work, threshold, histogram)
  const inkHistogram = inverted ? histogram.slice().reverse() : histogram
  // In ink space (ink bright) the ink class is [inkThreshold, 255].
  const inkThreshold = inverted ? 255 - threshold : threshold + 1
  const paper = classStats(inkHistogram, 0, inkThreshold - 1)
  const ink = classStats(inkHistogram, inkThreshold, 255)

  // 4. No digit: ink must be clearly darker (brighter in ink space) than the paper and its texture.
  const contrast = ink.mean - paper.median
  if (ink.count === 0 || contrast < MIN_CONTRAST || contrast < MIN_CONTRAST_IN_PAPER_SIGMAS * paper.spread) {
    return { kind: 'no-digit', reason: 'No ink found: the image has no marks that stand out from the paper.' }
  }

  // 5. Soft threshold. Paper up to 3 σ of its texture (and at least 15% of the way to the ink) becomes 0, the
  // ink class mean and above becomes 1, and the ramp between keeps anti-aliased stroke edges grey like MNIST's.
  const low = Math.min(paper.median + Math.max(3 * paper.spread, 0.15 * contrast), inkThreshold - 0.5)
  const high = Math.max(ink.mean, low + 1)
  const level = new Float32Array(256)
  for (let v = 0; v < 256; v++) {
    const i = inverted ? 255 - v : v
    level[v] = Math.min(1, Math.max(0, (i - low) / (high - low)))
  }

  // 6. Strokes: 8-connected components of the Otsu ink mask; specks are dropped, and grey pixels count only
  // next to a kept stroke (isolated grey is paper texture, grey beside a stroke is its anti-aliased edge).
  const isInk = new Uint8Array(256)
  for (let v = 0; v < 256; v++) isInk[v] = (inverted ? 255 - v : v) >= inkThreshold ? 1 : 0
  const mask = new Uint8Array(w * h)
  for (let p = 0; p < mask.length; p++) mask[p] = isInk[work.data[p]]
  const kept = keepStrokes(mask, w, h)
  if (kept === null)
    return { kind: 'no-digit', reason: 'No ink found: only specks stand out from the paper.' }

  // 7. Crop to the kept strokes' bounding box (grown by one pixel for their soft edges).
  const x0 = Math.max(0, kept.left - 1)
  const y0 = Math.max(0, kept.top - 1)
  const x1 = Math.min(w - 1, kept.right + 1)
  const y1 = Math.min(h - 1, kept.bottom + 1)
  const cropW = x1 - x0 + 1
  const cropH = y1 - y0 + 1
  const crop = new Float32Array(cropW * cropH)
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const p = y * w + x
      if (level[work.data[p]] > 0 && kept.isNearKept(x, y))
        crop[(y - y0) * cropW + x - x0] = level[work.data[p]]
    }
  }

  // 8. Scale so the longer side of everything that is not paper (soft edges included, as MNIST's anti-aliased
  // 20×20 box) is 20 px, keeping the aspect ratio.
  const digit = tightCrop({ pixels: crop, width: cropW, height: cropH })
  let scaled = scaleToDigitBox(digit)

  // 9. Stroke width: bolder than MNIST's typical stroke → thin it at the working resolution and scale again
  // Measured with a 46-epoch MNIST model: usps-600 96.00% → 97.00%; the other 1 407 digits of the USPS test
  // split 95.31% → 95.38% (within noise there); 600 MNIST test digits through this pipeline 97.50% → 98.00%.
  const thinning = thinningFor(strokeWidth(scaled))
  if (thinning > 0) {
    const thinned = erode(digit, (thinning * Math.max(digit.width, digit.height)) / DIGIT_BOX)
    if (thinned.pixels.some((v) => v > 0)) scaled = scaleToDigitBox(tightCrop(thinned))
  }

  // 10. Centre of mass to the field's centre, by whole pixels as MNIST did; clamped so no ink is cut off.
  return { kind: 'digit', pixels: centreByMass(scaled.pixels, scaled.width, scaled.height), inverted }
}

/** The image cut down to its non-zero pixels (it has at least one). */
function tightCrop(image: InkImage): InkImage {
  const tight = nonZeroBox(image.pixels, image.width, image.height)
  const width = tight.right - tight.left + 1
  const height = tight.bottom - tight.top + 1
  const pixels = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    const from = (y + tight.top) * image.width + tight.left
    pixels.set(image.pixels.subarray(from, from + width), y * width)
  }
  return { pixels, width, height }
}

/** Resamples so the longer side is DIGIT_BOX pixels, keeping the aspect ratio. */
function scaleToDigitBox(image: InkImage): InkImage {
  const scale = DIGIT_BOX / Math.max(image.width, image.height)
  const width = Math.max(1, Math.min(DIGIT_BOX, Math.round(image.width * scale)))
  const height = Math.max(1, Math.min(DIGIT_BOX, Math.round(image.height * scale)))
  return { pixels: resample(image.pixels, image.width, image.height, width, height), width, height }
}

/** Bytes 0..255 (ink bright) of a digit's 28×28 form, for display; null when there is no digit. */
export function toView28(form: MnistForm): Uint8Array | null {
  if (form.kind !== 'digit') return null
  const view = new Uint8Array(form.pixels.length)
  for (let i = 0; i < view.length; i++) view[i] = Math.round(Math.min(1, Math.max(0, form.pixels[i])) * 255)
  return view
}

function shrinkToWorkingSize(image: GrayImage): GrayImage {
  const factor = Math.ceil(Math.max(image.width, image.height) / MAX_WORKING_SIDE)
  if (factor <= 1) return image
  const width = Math.ceil(image.width / factor)
  const height = Math.ceil(image.height / factor)
  const sums = new Uint32Array(width * height)
  const column = new Int32Array(image.width)
  for (let x = 0; x < image.width; x++) column[x] = Math.floor(x / factor)
  for (let y = 0; y < image.height; y++) {
    const row = sums.subarray(Math.floor(y / factor) * width)
    const rowIn = y * image.width
    for (let x = 0; x < image.width; x++) row[column[x]] += image.data[rowIn + x]
  }
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const rowsIn = Math.min(factor, image.height - y * factor)
    for (let x = 0; x < width; x++) {
      const count = rowsIn * Math.min(factor, image.width - x * factor)
      data[y * width + x] = Math.round(sums[y * width + x] / count)
    }
  }
  return { width, height, data }
}

/** Otsu's threshold t: class 0 is [0, t], class 1 is [t+1, 255]. Null when the image has a single level. */
export function otsuThreshold(histogram: Float64Array): number | null {
  let total = 0
  let weighted = 0
  for (let v = 0; v < 256; v++) {
    total += histogram[v]
    weighted += v * histogram[v]
  }
  let best = -1
  let bestT: number | null = null
  let count0 = 0
  let sum0 = 0
  for (let t = 0; t < 255; t++) {
    count0 += histogram[t]
    sum0 += t * histogram[t]
    const count1 = total - count0
    if (count0 === 0 || count1 === 0) continue
    const diff = sum0 / count0 - (weighted - sum0) / count1
    const between = count0 * count1 * diff * diff
    if (between > best) {
      best = between
      bestT = t
    }
  }
  return bestT
}

/**
 * Statistics of the histogram range [from, to]: mean, median and a robust spread (1.4826 × median absolute
 * deviation, = σ for Gaussian noise). The spread must be robust: in an anti-aliased or upscaled scan the paper
 * class also holds the stroke edges' greys, which would inflate a plain standard deviation many times over.
 */
function classStats(histogram: Float64Array, from: number, to: number) {
  let count = 0
  let sum = 0
  for (let v = from; v <= to; v++) {
    count += histogram[v]
    sum += v * histogram[v]
  }
  if (count === 0) return { count, mean: 0, median: 0, spread: 0 }
  const median = histogramMedian((v) => (v >= from && v <= to ? histogram[v] : 0), count)
  const deviation = histogramMedian((d) => {
    const below = median - d >= from && median - d <= to ? histogram[median - d] : 0
    const above = d > 0 && median + d >= from && median + d <= to ? histogram[median + d] : 0
    return below + above
  }, count)
  return { count, mean: sum / count, median, spread: 1.4826 * deviation }
}

/** Smallest bin index at which the cumulative count reaches half of `count`. */
function histogramMedian(countAt: (bin: number) => number, count: number): number {
  let cumulative = 0
  for (let v = 0; v < 256; v++) {
    cumulative += countAt(v)
    if (cumulative >= count / 2) return v
  }
  return 255
}

/** True when the paper is light (ink dark): decided by the border, or by the global majority if the border is split. */
function isDarkInk(image: GrayImage, threshold: number, histogram: Float64Array): boolean {
  const { width, height, data } = image
  let light = 0
  let count = 0
  const visit = (p: number) => {
    count++
    if (data[p] > threshold) light++
  }
  for (let x = 0; x < width; x++) {
    visit(x)
    if (height > 1) visit((height - 1) * width + x)
  }
  for (let y = 1; y < height - 1; y++) {
    visit(y * width)
    if (width > 1) visit(y * width + width - 1)
  }
  const borderLight = light / count
  if (Math.abs(borderLight - 0.5) > BORDER_DECISIVE_MARGIN) return borderLight > 0.5
  let dark = 0
  for (let v = 0; v <= threshold; v++) dark += histogram[v]
  return dark < data.length - dark
}

interface KeptStrokes {
  left: number
  top: number
  right: number
  bottom: number
  /** Whether (x, y) or one of its 8 neighbours belongs to a kept stroke. */
  isNearKept(x: number, y: number): boolean
}

/** Labels 8-connected components of the mask and keeps those at least SPECK_SHARE of the largest. */
function keepStrokes(mask: Uint8Array, width: number, height: number): KeptStrokes | null {
  const { labels, list } = components(mask, width, height)
  if (list.length === 0) return null
  const largest = Math.max(...list.map((c) => c.area))
  const minArea = Math.max(1, SPECK_SHARE * largest)
  const keptLabel = new Uint8Array(list.length + 1)
  let left = width
  let top = height
  let right = -1
  let bottom = -1
  for (const { id, area, box } of list) {
    if (area < minArea) continue
    keptLabel[id] = 1
    left = Math.min(left, box.x)
    top = Math.min(top, box.y)
    right = Math.max(right, box.x + box.width - 1)
    bottom = Math.max(bottom, box.y + box.height - 1)
  }
  const isNearKept = (x: number, y: number) => {
    for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
      for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
        if (keptLabel[labels[ny * width + nx]]) return true
      }
    }
    return false
  }
  return { left, top, right, bottom, isNearKept }
}

/** Bounding box of the non-zero pixels (the image has at least one). */
function nonZeroBox(pixels: Float32Array, width: number, height: number) {
  let left = width
  let top = height
  let right = -1
  let bottom = -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x] <= 0) continue
      if (x < left) left = x
      if (x > right) right = x
      if (y < top) top = y
      if (y > bottom) bottom = y
    }
  }
  return { left, top, right, bottom }
}

function centreByMass(pixels: Float32Array, width: number, height: number): Float32Array {
  let mass = 0
  let mx = 0
  let my = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x]
      mass += v
      mx += v * (x + 0.5)
      my += v * (y + 0.5)
    }
  }
  // MNIST's centres of mass sit at pixel index 14 (coordinate 14.5 counting pixel centres at i + 0.5).
  const centre = MNIST_SIDE / 2 + 0.5
  const clampOffset = (offset: number, size: number) => Math.min(Math.max(offset, 0), MNIST_SIDE - size)
  const offsetX = clampOffset(Math.round(centre - (mass > 0 ? mx / mass : width / 2)), width)
  const offsetY = clampOffset(Math.round(centre - (mass > 0 ? my / mass : height / 2)), height)
  const field = new Float32Array(MNIST_SIDE * MNIST_SIDE)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      field[(y + offsetY) * MNIST_SIDE + x + offsetX] = pixels[y * width + x]
    }
  }
  return field
}
