/**
 * Pages made from real handwritten digits (usps-600 and MNIST's test set) for the page-reading tests and the
 * benchmark: rows of digits composed onto plain, ruled or boxed paper, then turned by a few degrees, lit
 * unevenly, given sensor noise and blue or black ink, and encoded as PNG or JPEG, as a phone or scanner would.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { decodeImageBuffer } from '../../src/core/preprocess'
import { readMnist, seededRandom } from './mnist-sample'

/** A digit's ink, cropped to its bounding box: 0 paper .. 1 ink. */
export interface InkDigit {
  label: number
  width: number
  height: number
  ink: Float32Array
  source: string
}

export type Layout = 'plain' | 'ruled' | 'boxed'

export interface PageSpec {
  layout: Layout
  /** Digits per line. */
  lines: number[]
  /** Typical digit height in pixels. */
  digitHeight?: number
  skewDegrees?: number
  unevenLight?: boolean
  noise?: number
  ink?: 'black' | 'blue'
  format?: 'png' | 'jpeg'
  seed?: number
  /**
   * Gap between neighbouring digits on plain and ruled paper, in digit heights, drawn uniformly from
   * [min, max] (default 0.25..0.6); a negative gap makes neighbours overlap, so their ink may touch.
   */
  gap?: { min: number; max: number }
}

export interface BuiltPage {
  file: Buffer
  /** Labels of each line's digits, top to bottom, left to right. */
  truth: number[][]
  /** The digits placed, in the same order (for reading them one by one). */
  digits: InkDigit[][]
  width: number
  height: number
}

function crop(values: Float32Array, width: number, height: number, label: number, source: string): InkDigit {
  let x0 = width
  let y0 = height
  let x1 = -1
  let y1 = -1
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (values[y * width + x] > 0.15) {
        x0 = Math.min(x0, x)
        x1 = Math.max(x1, x)
        y0 = Math.min(y0, y)
        y1 = Math.max(y1, y)
      }
  const w = x1 - x0 + 1
  const h = y1 - y0 + 1
  const ink = new Float32Array(w * h)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) ink[y * w + x] = values[(y + y0) * width + x + x0]
  return { label, width: w, height: h, ink, source }
}

/** MNIST test digits (ink bright in the file). */
export function mnistDigits(count: number, offset = 0): InkDigit[] {
  const { images, labels } = readMnist('t10k', offset + count)
  return images.slice(offset).map((img, i) =>
    crop(
      Float32Array.from(img, (v) => v / 255),
      28,
      28,
      labels[offset + i],
      `mnist-t10k-${offset + i}`
    )
  )
}

/** usps-600 digits (dark ink on white PNGs), `perDigit` of each digit. */
export async function uspsDigits(folder: string, perDigit: number): Promise<InkDigit[]> {
  const out: InkDigit[] = []
  for (let n = 0; n < perDigit; n++) {
    for (let d = 0; d < 10; d++) {
      const file = path.join(folder, String(d), `${String(n).padStart(2, '0')}.png`)
      const image = await decodeImageBuffer(readFileSync(file), file)
      out.push(
        crop(
          Float32Array.from(image.data, (v) => 1 - v / 255),
          image.width,
          image.height,
          d,
          file
        )
      )
    }
  }
  return out
}

/** Composes a page from the digits, in order (they are used up line by line). */
export async function buildPage(spec: PageSpec, source: InkDigit[]): Promise<BuiltPage> {
  const random = seededRandom(spec.seed ?? 1)
  const H = spec.digitHeight ?? 40
  const margin = Math.round(1.5 * H)
  const pitch = Math.round(2.3 * H)
  const boxW = Math.round(1.15 * H)
  const boxH = Math.round(1.4 * H)
  const boxGap = Math.round(0.3 * H)
  const widest = Math.max(...spec.lines)
  const width = 2 * margin + Math.ceil(widest * (spec.layout === 'boxed' ? boxW + boxGap : 1.25 * H))
  const height = 2 * margin + spec.lines.length * pitch
  const dark = new Float32Array(width * height)
  const stamp = (x: number, y: number, v: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return
    const p = y * width + x
    if (v > dark[p]) dark[p] = v
  }
  const truth: number[][] = []
  const placed: InkDigit[][] = []
  let next = 0
  spec.lines.forEach((count, line) => {
    const baseline = margin + line * pitch + Math.round(1.5 * H)
    if (spec.layout === 'ruled') {
      for (let x = Math.round(margin / 3); x < width - margin / 3; x++)
        for (let t = 0; t < 2; t++) stamp(x, baseline + 1 + t, 0.75)
    }
    let x = margin + Math.round(random() * 0.3 * H)
    const labels: number[] = []
    const used: InkDigit[] = []
    for (let i = 0; i < count; i++) {
      const digit = source[next++ % source.length]
      let scale = (H * (0.85 + 0.25 * random())) / digit.height
      let left = x
      let bottomY = baseline - Math.round(random() * 3)
      if (spec.layout === 'boxed') {
        const top = baseline - boxH + Math.round(0.2 * H)
        for (let t = 0; t < 2; t++) {
          for (let bx = x; bx < x + boxW; bx++) {
            stamp(bx, top + t, 0.8)
            stamp(bx, top + boxH - 1 - t, 0.8)
          }
          for (let by = top; by < top + boxH; by++) {
            stamp(x + t, by, 0.8)
            stamp(x + boxW - 1 - t, by, 0.8)
          }
        }
        scale = Math.min((0.75 * boxH) / digit.height, (0.75 * boxW) / digit.width)
        left = x + Math.round((boxW - digit.width * scale) / 2)
        bottomY = top + Math.round((boxH + digit.height * scale) / 2)
        x += boxW + boxGap
      } else {
        const gap = spec.gap ?? { min: 0.25, max: 0.6 }
        x += Math.round(digit.width * scale + (gap.min + (gap.max - gap.min) * random()) * H)
      }
      const w = Math.max(1, Math.round(digit.width * scale))
      const h = Math.max(1, Math.round(digit.height * scale))
      for (let y = 0; y < h; y++) {
        for (let c = 0; c < w; c++) {
          // Bilinear sample of the digit's ink.
          const sx = Math.min(digit.width - 1, Math.max(0, (c + 0.5) / scale - 0.5))
          const sy = Math.min(digit.height - 1, Math.max(0, (y + 0.5) / scale - 0.5))
          const ix = Math.floor(sx)
          const iy = Math.floor(sy)
          const fx = sx - ix
          const fy = sy - iy
          const at = (cx: number, cy: number) =>
            digit.ink[Math.min(digit.height - 1, cy) * digit.width + Math.min(digit.width - 1, cx)]
          const v =
            (at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx) * (1 - fy) +
            (at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx) * fy
          stamp(left + c, bottomY - h + y, 0.92 * v)
        }
      }
      labels.push(digit.label)
      used.push(digit)
    }
    truth.push(labels)
    placed.push(used)
  })

  // Colour: paper and ink (black or blue); the sheet turned; then what the camera adds: light falling off
  // towards one corner and sensor noise; then the encoding.
  const paper = [246, 244, 236]
  const inkColour = spec.ink === 'blue' ? [30, 50, 165] : [22, 22, 28]
  let rgb: Buffer = Buffer.alloc(width * height * 3)
  for (let p = 0; p < width * height; p++)
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(paper[c] * (1 - dark[p]) + inkColour[c] * dark[p])
  let w = width
  let h = height
  if (spec.skewDegrees) {
    const turned = await sharp(rgb, { raw: { width, height, channels: 3 } })
      .rotate(spec.skewDegrees, { background: { r: paper[0], g: paper[1], b: paper[2] } })
      .raw()
      .toBuffer({ resolveWithObject: true })
    rgb = turned.data
    w = turned.info.width
    h = turned.info.height
  }
  const noise = spec.noise ?? 0
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const light = spec.unevenLight ? 1 - 0.45 * (x / w) * (0.4 + 0.6 * (y / h)) : 1
      for (let c = 0; c < 3; c++) {
        const p = (y * w + x) * 3 + c
        const n = noise ? noise * (random() + random() + random() - 1.5) * 2 : 0
        rgb[p] = Math.max(0, Math.min(255, Math.round(rgb[p] * light + n)))
      }
    }
  }
  const image = sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
  const file =
    spec.format === 'jpeg' ? await image.jpeg({ quality: 70 }).toBuffer() : await image.png().toBuffer()
  const meta = await sharp(file).metadata()
  return { file, truth, digits: placed, width: meta.width ?? width, height: meta.height ?? height }
}

/** The digit's ink as a grey image, dark on white with a margin (for reading it alone). */
export function digitAlone(digit: InkDigit): { width: number; height: number; data: Uint8Array } {
  const m = 4
  const width = digit.width + 2 * m
  const height = digit.height + 2 * m
  const data = new Uint8Array(width * height).fill(255)
  for (let y = 0; y < digit.height; y++)
    for (let x = 0; x < digit.width; x++)
      data[(y + m) * width + x + m] = Math.round(255 * (1 - digit.ink[y * digit.width + x]))
  return { width, height, data }
}
