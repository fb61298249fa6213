/**
 * Ink from a page photo or scan: the paper's own brightness is estimated block by block (a bright percentile,
 * so shadows and uneven light are followed, ink is not) and each pixel's darkness is measured against it. Ink
 * is what is clearly darker than its local paper: blue or black pen both are, JPEG ringing and paper grain are
 * not.
 */
import type { GrayImage } from '../preprocess/types'
import { otsuThreshold } from '../preprocess/mnist-form'

export interface Darkness {
  width: number
  height: number
  /** 0 = paper .. 255 = as dark as ink can be, relative to the local paper. */
  level: Uint8Array
}

/** Share of a block's pixels assumed to be paper when its brightness is estimated. */
const PAPER_PERCENTILE = 0.8
/** Darkness (of 255) below which nothing counts as ink: paper grain, JPEG noise and faint shadows. */
const MIN_INK_LEVEL = 60

/** Darkness of every pixel relative to the paper around it. */
export function darkness(image: GrayImage): Darkness {
  const { width, height, data } = image
  const block = Math.max(16, Math.round(Math.min(width, height) / 24))
  const bw = Math.ceil(width / block)
  const bh = Math.ceil(height / block)
  const paper = new Float32Array(bw * bh)
  const histogram = new Uint32Array(256)
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      histogram.fill(0)
      const x1 = Math.min(width, (bx + 1) * block)
      const y1 = Math.min(height, (by + 1) * block)
      for (let y = by * block; y < y1; y++) {
        const row = y * width
        for (let x = bx * block; x < x1; x++) histogram[data[row + x]]++
      }
      const count = (x1 - bx * block) * (y1 - by * block)
      let seen = 0
      let v = 0
      while (v < 255 && seen + histogram[v] < PAPER_PERCENTILE * count) seen += histogram[v++]
      paper[by * bw + bx] = v
    }
  }
  // A block covered by a big blot of ink reads dark: take the brightest of each block's neighbours.
  const smooth = new Float32Array(bw * bh)
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let best = 0
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = bx + dx
          const ny = by + dy
          if (nx >= 0 && ny >= 0 && nx < bw && ny < bh) best = Math.max(best, paper[ny * bw + nx])
        }
      smooth[by * bw + bx] = Math.max(1, best)
    }
  }
  const level = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const fy = Math.min(bh - 1, Math.max(0, (y + 0.5) / block - 0.5))
    const y0 = Math.floor(fy)
    const y1 = Math.min(bh - 1, y0 + 1)
    const wy = fy - y0
    for (let x = 0; x < width; x++) {
      const fx = Math.min(bw - 1, Math.max(0, (x + 0.5) / block - 0.5))
      const x0 = Math.floor(fx)
      const x1 = Math.min(bw - 1, x0 + 1)
      const wx = fx - x0
      const local =
        (smooth[y0 * bw + x0] * (1 - wx) + smooth[y0 * bw + x1] * wx) * (1 - wy) +
        (smooth[y1 * bw + x0] * (1 - wx) + smooth[y1 * bw + x1] * wx) * wy
      const d = (local - data[y * width + x]) / local
      level[y * width + x] = d <= 0 ? 0 : Math.min(255, Math.round(d * 255))
    }
  }
  return { width, height, level }
}

/** Darkness from which on a pixel is ink: Otsu's threshold on the marked pixels, within [MIN_INK_LEVEL, 128]. */
export function inkThreshold({ level }: Darkness): number {
  const histogram = new Float64Array(256)
  for (let p = 0; p < level.length; p++) if (level[p] >= MIN_INK_LEVEL / 2) histogram[level[p]]++
  const otsu = otsuThreshold(histogram)
  return Math.max(MIN_INK_LEVEL, Math.min(128, otsu === null ? MIN_INK_LEVEL : otsu))
}

/** Ink mask: darkness at least `threshold` (default inkThreshold). */
export function inkMask(
  { level }: Darkness,
  threshold = inkThreshold({ width: 0, height: 0, level })
): Uint8Array {
  const mask = new Uint8Array(level.length)
  for (let p = 0; p < level.length; p++) mask[p] = level[p] >= threshold ? 1 : 0
  return mask
}
