/**
 * Skew of a page: the angle at which the ink's rows line up best (lines of digits and printed rules give sharp
 * peaks in the projection onto the vertical axis when they are level). Searched over ±MAX_SKEW degrees.
 */
import type { Darkness } from './binarise'

const MAX_SKEW = 6
const SAMPLES = 25_000

/** The page's skew in degrees (positive: lines go down to the right, as after a clockwise turn). */
export function estimateSkew(mask: Uint8Array, width: number, height: number): number {
  let count = 0
  for (let p = 0; p < mask.length; p++) count += mask[p]
  if (count < 50) return 0
  const stride = Math.max(1, Math.floor(count / SAMPLES))
  const xs = new Float64Array(Math.ceil(count / stride))
  const ys = new Float64Array(xs.length)
  let seen = 0
  let n = 0
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue
    if (seen++ % stride === 0) {
      xs[n] = (p % width) - width / 2
      ys[n++] = Math.floor(p / width)
    }
  }
  const bins = new Float64Array(height + width + 2)
  const score = (degrees: number) => {
    const t = Math.tan((degrees * Math.PI) / 180)
    bins.fill(0)
    const offset = width / 2 + 1
    for (let i = 0; i < n; i++) bins[Math.round(ys[i] - xs[i] * t + offset * Math.abs(t))]++
    let sum = 0
    for (let b = 0; b < bins.length; b++) sum += bins[b] * bins[b]
    return sum
  }
  let best = 0
  let bestScore = -1
  for (let a = -MAX_SKEW; a <= MAX_SKEW + 1e-9; a += 0.25) {
    const s = score(a)
    if (s > bestScore) [best, bestScore] = [a, s]
  }
  const coarse = best
  for (let a = coarse - 0.25; a <= coarse + 0.25 + 1e-9; a += 0.025) {
    const s = score(a)
    if (s > bestScore) [best, bestScore] = [a, s]
  }
  return Math.abs(best) < 0.05 ? 0 : best
}

/** Maps points between the page and its level (deskewed) version, which has the same size. */
export interface Rotation {
  degrees: number
  /** Deskewed point → page point. */
  toPage(x: number, y: number): [number, number]
}

export function rotation(degrees: number, width: number, height: number): Rotation {
  const a = (degrees * Math.PI) / 180
  const cos = Math.cos(a)
  const sin = Math.sin(a)
  const cx = width / 2
  const cy = height / 2
  return {
    degrees,
    toPage: (x, y) => [cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos]
  }
}

/** The darkness image turned level (bilinear; outside the page is paper). */
export function levelPage(image: Darkness, turn: Rotation): Darkness {
  if (turn.degrees === 0) return image
  const { width, height, level } = image
  const out = new Uint8Array(width * height)
  const [ox, oy] = turn.toPage(0, 0)
  const [x1, y1] = turn.toPage(1, 0)
  const [x2, y2] = turn.toPage(0, 1)
  const dxx = x1 - ox
  const dxy = y1 - oy
  const dyx = x2 - ox
  const dyy = y2 - oy
  for (let y = 0; y < height; y++) {
    let sx = ox + y * dyx + 0.5 * dxx - 0.5
    let sy = oy + y * dyy + 0.5 * dxy - 0.5
    sx += 0.5 * dyx
    sy += 0.5 * dyy
    for (let x = 0; x < width; x++, sx += dxx, sy += dxy) {
      const ix = Math.floor(sx)
      const iy = Math.floor(sy)
      if (ix < 0 || iy < 0 || ix >= width - 1 || iy >= height - 1) continue
      const fx = sx - ix
      const fy = sy - iy
      const p = iy * width + ix
      const v =
        (level[p] * (1 - fx) + level[p + 1] * fx) * (1 - fy) +
        (level[p + width] * (1 - fx) + level[p + width + 1] * fx) * fy
      out[y * width + x] = Math.round(v)
    }
  }
  return { width, height, level: out }
}
