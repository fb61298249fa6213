/**
 * Training-time augmentation:
 * a random affine map (rotation, scale, shift; optionally slant and aspect) and an elastic distortion
 * (Simard et al. 2003), combined into one source-coordinate map per image and applied with one bilinear
 * sample per pixel; samples outside the image read background (0). Stroke thickness changes the source
 * first; stroke breaks and small crops erase ink from the result. The additions (slant, aspect, breaks,
 * crop) aim at digits written elsewhere than MNIST: slanted hands, narrow or wide digits, pens that skip,
 * scans cropped tight.
 * Random numbers come from the trainer's seeded generator, so runs repeat.
 */
import type { Augmentation } from '../../shared/schemas/training'
import type { Random } from '../model/random'
import { formInkBox } from '../preprocess/form-box'
import { addWritingStyle } from './styles'

const SIDE = 28
const PIXELS = SIDE * SIDE
const CENTER = (SIDE - 1) / 2
/** Pre-smoothed displacement fields drawn once; each image picks one (and a random sign). */
const FIELD_BANK = 1000

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.ceil(3 * sigma)
  const kernel = new Float32Array(2 * radius + 1)
  let sum = 0
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma))
  return kernel.map((v) => v / sum)
}

/** Separable Gaussian blur of a 28×28 field with zero padding (as scipy's gaussian_filter, mode constant). */
function blur(field: Float32Array, kernel: Float32Array): Float32Array {
  const radius = (kernel.length - 1) / 2
  const tmp = new Float32Array(PIXELS)
  const out = new Float32Array(PIXELS)
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      let s = 0
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k
        if (xx >= 0 && xx < SIDE) s += field[y * SIDE + xx] * kernel[k + radius]
      }
      tmp[y * SIDE + x] = s
    }
  }
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      let s = 0
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k
        if (yy >= 0 && yy < SIDE) s += tmp[yy * SIDE + x] * kernel[k + radius]
      }
      out[y * SIDE + x] = s
    }
  }
  return out
}

/** FIELD_BANK fields of (dx, dy) per pixel: uniform(-1, 1) noise, blurred by sigma, scaled by alpha. */
export function elasticFieldBank(
  random: Random,
  alpha: number,
  sigma: number,
  count = FIELD_BANK
): Float32Array {
  const kernel = gaussianKernel(sigma)
  const bank = new Float32Array(count * PIXELS * 2)
  const noise = new Float32Array(PIXELS)
  for (let f = 0; f < count; f++) {
    for (let axis = 0; axis < 2; axis++) {
      for (let i = 0; i < PIXELS; i++) noise[i] = random.uniform(-1, 1)
      const smooth = blur(noise, kernel)
      for (let i = 0; i < PIXELS; i++) bank[(f * PIXELS + i) * 2 + axis] = alpha * smooth[i]
    }
  }
  return bank
}

/**
 * The affine part for one image as [a, b, c, d, e, f]: output pixel (u, v) reads source
 * (u·a + v·c + e, u·b + v·d + f), the inverse of "slant, stretch, scale and rotate about the centre, then
 * shift". Random numbers are drawn only for the parts switched on, so older settings repeat exactly.
 */
function affineMatrix(settings: Augmentation, random: Random): number[] {
  if (!settings.affine && !settings.slant && !settings.aspect) return [1, 0, 0, 1, 0, 0]
  let angle = 0
  let scale = 1
  let ox = CENTER
  let oy = CENTER
  if (settings.affine) {
    angle = (random.uniform(-settings.rotationDegrees, settings.rotationDegrees) * Math.PI) / 180
    scale = random.uniform(settings.scaleMin, settings.scaleMax)
    ox += random.uniform(-settings.shiftPixels, settings.shiftPixels)
    oy += random.uniform(-settings.shiftPixels, settings.shiftPixels)
  }
  const shear = settings.slant ? random.uniform(-settings.slantMax, settings.slantMax) : 0
  const stretch = settings.aspect ? Math.exp(random.uniform(-settings.aspectMax, settings.aspectMax)) : 1
  // Forward map M = scale · R(angle) · diag(stretch, 1/stretch) · [[1, shear], [0, 1]] (x += shear · y).
  const cos = Math.cos(angle) * scale
  const sin = Math.sin(angle) * scale
  const m00 = cos * stretch
  const m01 = cos * stretch * shear - sin / stretch
  const m10 = sin * stretch
  const m11 = sin * stretch * shear + cos / stretch
  const det = m00 * m11 - m01 * m10
  const a = m11 / det
  const c = -m01 / det
  const b = -m10 / det
  const d = m00 / det
  return [a, b, c, d, CENTER - (ox * a + oy * c), CENTER - (ox * b + oy * d)]
}

/** Probability that an image gets stroke breaks, and that it gets a crop. */
const BREAK_PROBABILITY = 0.35
const CROP_PROBABILITY = 0.25

/**
 * Erases one or two short gaps across the strokes of a 28×28 float image at `offset`: each gap is a band
 * ~1.5 px wide and 3–5 px long through a random ink pixel, at a random angle.
 */
export function breakStrokes(image: Float32Array, offset: number, random: Random): void {
  const gaps = 1 + random.int(2)
  for (let g = 0; g < gaps; g++) {
    let centre = -1
    for (let tries = 0; tries < 30 && centre < 0; tries++) {
      const p = random.int(PIXELS)
      if (image[offset + p] > 0.5) centre = p
    }
    if (centre < 0) return
    const cx = centre % SIDE
    const cy = Math.floor(centre / SIDE)
    const angle = random.uniform(0, Math.PI)
    const half = random.uniform(1.5, 2.5)
    const dx = Math.cos(angle)
    const dy = Math.sin(angle)
    const r = Math.ceil(half + 1)
    for (let y = Math.max(0, cy - r); y <= Math.min(SIDE - 1, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x <= Math.min(SIDE - 1, cx + r); x++) {
        const along = (x - cx) * dx + (y - cy) * dy
        const across = -(x - cx) * dy + (y - cy) * dx
        if (Math.abs(along) <= half && Math.abs(across) <= 0.75) image[offset + y * SIDE + x] = 0
      }
    }
  }
}

/** Cuts 1–3 px off one side (top, bottom, left or right) of the ink's bounding box of a float image. */
export function cropEdge(image: Float32Array, offset: number, random: Random): void {
  // ≥ 0.1 is > 0.1 here: no float32 equals the double 0.1.
  const box = formInkBox(image, 0.1, offset)
  if (!box) return
  const { top, bottom, left, right } = box
  const cut = 1 + random.int(3)
  const side = random.int(4)
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const gone =
        side === 0
          ? y < top + cut
          : side === 1
            ? y > bottom - cut
            : side === 2
              ? x < left + cut
              : x > right - cut
      if (gone) image[offset + y * SIDE + x] = 0
    }
  }
}

/**
 * Writes augmented copies of images[indices] (bytes, count×784) into `out` as floats in [0,1].
 * Plain JavaScript: on every backend a per-pixel gather costs more than this loop (measured: tfjs-node's
 * GatherV2 took ~20 ms per batch of 100 for the 4 bilinear neighbours; this loop takes ~1-2 ms).
 */
export type Augmenter = (images: Uint8Array, indices: ArrayLike<number>, out: Float32Array) => void

/**
 * Writes into `out` (one 28×28 image) the source image blended by `amount` towards its 3×3 grey
 * dilation (amount > 0: thicker strokes) or erosion (amount < 0: thinner strokes).
 */
export function changeThickness(images: Uint8Array, offset: number, amount: number, out: Uint8Array): void {
  const thicker = amount > 0
  const t = Math.abs(amount)
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      let extreme = thicker ? 0 : 255
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx
          const v = yy >= 0 && yy < SIDE && xx >= 0 && xx < SIDE ? images[offset + yy * SIDE + xx] : 0
          extreme = thicker ? Math.max(extreme, v) : Math.min(extreme, v)
        }
      }
      const v = images[offset + y * SIDE + x]
      out[y * SIDE + x] = Math.round(v + t * (extreme - v))
    }
  }
}

/**
 * `labels` (of the source images, by index) lets the writing styles (crossed 7s, flagged 1s) be added to the
 * digits they belong to; without them the styles are skipped.
 */
export function createAugmenter(
  settings: Augmentation,
  random: Random,
  labels?: ArrayLike<number>
): Augmenter | null {
  const any = [
    settings.affine,
    settings.elastic,
    settings.thickness,
    settings.slant,
    settings.aspect,
    settings.strokeBreaks,
    settings.crop,
    settings.styles && labels !== undefined
  ]
  if (!any.some(Boolean)) return null
  const bank = settings.elastic
    ? elasticFieldBank(random, settings.elasticAlpha, settings.elasticSigma)
    : null
  const scale = 1 / 255
  const reshaped = new Uint8Array(PIXELS)
  const styled = new Uint8Array(PIXELS)
  return (sourceImages, indices, out) => {
    for (let n = 0; n < indices.length; n++) {
      const [a, b, c, d, e, f] = affineMatrix(settings, random)
      const fieldStart = bank ? random.int(FIELD_BANK) * PIXELS * 2 : 0
      const sign = bank && random.next() < 0.5 ? -1 : 1
      let images = sourceImages
      let src = indices[n] * PIXELS
      if (settings.styles && labels && addWritingStyle(images, src, labels[indices[n]], random, styled)) {
        images = styled
        src = 0
      }
      if (settings.thickness) {
        // Up to a full 3×3 dilation, but at most 30% of an erosion: a full erosion erases MNIST's thin strokes.
        changeThickness(images, src, random.uniform(-0.3, 1), reshaped)
        images = reshaped
        src = 0
      }
      const dst = n * PIXELS
      for (let v = 0; v < SIDE; v++) {
        for (let u = 0; u < SIDE; u++) {
          const p = v * SIDE + u
          let x = u * a + v * c + e
          let y = u * b + v * d + f
          if (bank) {
            x += sign * bank[fieldStart + 2 * p]
            y += sign * bank[fieldStart + 2 * p + 1]
          }
          const x0 = Math.floor(x)
          const y0 = Math.floor(y)
          const fx = x - x0
          const fy = y - y0
          let value = 0
          if (y0 >= 0 && y0 < SIDE) {
            const row = src + y0 * SIDE
            if (x0 >= 0 && x0 < SIDE) value += (1 - fx) * (1 - fy) * images[row + x0]
            if (x0 + 1 >= 0 && x0 + 1 < SIDE) value += fx * (1 - fy) * images[row + x0 + 1]
          }
          if (y0 + 1 >= 0 && y0 + 1 < SIDE) {
            const row = src + (y0 + 1) * SIDE
            if (x0 >= 0 && x0 < SIDE) value += (1 - fx) * fy * images[row + x0]
            if (x0 + 1 >= 0 && x0 + 1 < SIDE) value += fx * fy * images[row + x0 + 1]
          }
          out[dst + p] = value * scale
        }
      }
      if (settings.strokeBreaks && random.next() < BREAK_PROBABILITY) breakStrokes(out, dst, random)
      if (settings.crop && random.next() < CROP_PROBABILITY) cropEdge(out, dst, random)
    }
  }
}
