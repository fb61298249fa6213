/**
 * Numbers written on the drawing pad: the strokes (as drawn, in the ink image's pixels) say which ink belongs
 * together, the ink says where touching digits meet. Every ink pixel is given to the stroke nearest to it along
 * the ink (whatever the pen's width or pressure), each stroke becomes a part, and the parts go through
 * groupParts (group.ts).
 */
import type { GrayImage } from '../preprocess/types'
import type { Box } from './box'
import { groupParts, type DigitSegment, type LabelImage, type Part } from './group'
import { cutWhenRead, toCrop, type DigitCrop } from './read'

export interface PadPoint {
  x: number
  y: number
}

export interface PadInk {
  /** Strokes in drawing order, each a list of points in `ink`'s pixel coordinates. */
  strokes: readonly (readonly PadPoint[])[]
  /** The strokes rasterised; ink bright on dark (the pad's polarity) unless `darkInk`. */
  ink: GrayImage
  darkInk?: boolean
}

/** Ink pixels at least this bright (of 255) count when the pen's width is measured. */
const SOLID_INK = 128

/**
 * Lines of digit crops, top to bottom and left to right. A single digit is the whole ink image, untouched, so
 * it is preprocessed exactly as the one-digit pad always was.
 */
export function segmentPad({ strokes, ink, darkInk = false }: PadInk): DigitCrop[][] {
  const level = darkInk ? ink.data.map((v) => 255 - v) : ink.data
  const { labels, parts } = labelStrokes(strokes, ink.width, ink.height, level)
  const image: LabelImage = { width: ink.width, height: ink.height, labels }
  const lines = groupParts(parts, image)
  const count = lines.reduce((n, line) => n + line.length, 0)
  if (count === 0) return []
  const sameFrame = checkFrame(frame)
  const cut = (digit: DigitSegment) => toCrop(digit, image, level, undefined, sameFrame)
  const keyOf = (digit: DigitSegment, kind: string) => digitKey(digit, kind, strokes, ink)
  // Keys are set on the crops themselves (not spread into copies), so that their images stay uncut until read.
  const keyed = (digit: DigitSegment, crop: DigitCrop, kind: string): DigitCrop => {
    crop.key = keyOf(digit, kind)
    crop.pieces?.forEach((piece, i) => (piece.key = keyOf(digit, `piece${i}`)))
    return crop
  }
  if (count === 1) {
    const [digit] = lines[0]
    const crop = cutWhenRead(
      {
        box: digit.box,
        ...(digit.pieces ? { pieces: digit.pieces.map(cut), neck: digit.neck } : {})
      },
      () => padWindow(ink, digit.box)
    )
    return [[keyed(digit, crop, 'window')]]
  }
  return lines.map((line) => line.map((digit) => keyed(digit, cut(digit), 'crop')))
}

/**
 * What a digit's crop is made of: its box and columns, its pieces' columns, its strokes' points and the ink in
 * its box (FNV-1a). The same key means the same crop, so its reading can be remembered (RecognitionCache).
 */
function digitKey(digit: DigitSegment, kind: string, strokes: PadInk['strokes'], ink: GrayImage): string {
  let h = 2166136261
  const mix = (v: number) => {
    h = Math.imul(h ^ (v & 0xffff), 16777619) >>> 0
    h = Math.imul(h ^ (v >>> 16), 16777619) >>> 0
  }
  for (const id of digit.parts) {
    mix(id)
    for (const p of strokes[id - 1] ?? []) {
      mix(Math.round(p.x * 8))
      mix(Math.round(p.y * 8))
    }
  }
  const { x, y, width, height } = digit.box
  const x0 = Math.max(0, x - 2)
  const x1 = Math.min(ink.width, x + width + 2)
  for (let row = Math.max(0, y - 2); row < Math.min(ink.height, y + height + 2); row++)
    for (let p = row * ink.width + x0; p < row * ink.width + x1; p++) mix(ink.data[p])
  const pieces = (digit.pieces ?? []).map((piece) => `${piece.from}-${piece.to}`).join(',')
  return `${kind}:${x},${y},${width},${height},${digit.from}-${digit.to}:${pieces}:${h}`
}

/** Labels each ink pixel with its stroke (id = index + 1), nearest along the ink; parts = strokes with ink. */
function labelStrokes(
  strokes: PadInk['strokes'],
  width: number,
  height: number,
  level: Uint8Array
): { labels: Int32Array; parts: Part[] } {
  const labels = frameLabels(width * height)
  // Each stroke's own line, as drawn, seeds its label; the rest of the ink goes to the stroke nearest along it.
  const seeds: number[] = []
  strokes.forEach((drawn, s) => {
    for (let i = 0; i < drawn.length; i++) {
      const a = drawn[i]
      const b = drawn[Math.min(i + 1, drawn.length - 1)]
      const steps = Math.max(1, Math.ceil(2 * Math.hypot(b.x - a.x, b.y - a.y)))
      for (let k = 0; k <= steps; k++) {
        const x = Math.floor(a.x + ((b.x - a.x) * k) / steps)
        const y = Math.floor(a.y + ((b.y - a.y) * k) / steps)
        if (x < 0 || y < 0 || x >= width || y >= height) continue
        const p = y * width + x
        if (labels[p] !== 0 || level[p] === 0) continue
        labels[p] = s + 1
        seeds.push(p)
      }
    }
  })
  // Each stroke's box: [x0, y0, x1, y1] per label, of the solid ink it was given.
  const extent = new Int32Array(4 * (strokes.length + 1))
  for (let id = 1; id <= strokes.length; id++) extent.set([width, height, -1, -1], 4 * id)
  claimConnectedInk(labels, width, height, level, seeds, extent)
  const parts: Part[] = []
  for (let id = 1; id <= strokes.length; id++) {
    const e = 4 * id
    if (extent[e + 2] < 0) continue
    const box: Box = {
      x: extent[e],
      y: extent[e + 1],
      width: extent[e + 2] - extent[e] + 1,
      height: extent[e + 3] - extent[e + 1] + 1
    }
    parts.push({ id, box })
  }
  return { labels, parts }
}

/**
 * The ink around the strokes' own lines (the pen's width, pressed harder or not, a blot, a loop filled in) goes
 * to the stroke it is connected to: labels spread through the ink, breadth first from the seeds (the pixels the
 * strokes pass through), so each pixel goes to the stroke nearest along the ink. Faint edges are left to the
 * crop (digitImage keeps those beside a digit's own ink).
 */
function claimConnectedInk(
  labels: Int32Array,
  width: number,
  height: number,
  level: Uint8Array,
  seeds: readonly number[],
  extent: Int32Array
): void {
  const queue = scratchQueue(labels.length)
  let head = 0
  let tail = 0
  for (const p of seeds) queue[tail++] = p
  const solid = SOLID_INK / 2
  while (head < tail) {
    const p = queue[head++]
    const x = p % width
    const y = (p - x) / width
    const id = labels[p]
    // Every labelled pixel passes through the queue once: its stroke's box grows here (solid ink only).
    if (level[p] >= solid) {
      const e = 4 * id
      if (x < extent[e]) extent[e] = x
      if (y < extent[e + 1]) extent[e + 1] = y
      if (x > extent[e + 2]) extent[e + 2] = x
      if (y > extent[e + 3]) extent[e + 3] = y
    }
    // The 8 neighbours, inline (this loop visits every ink pixel of the pad on every frame).
    for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
      for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
        const q = ny * width + nx
        if (labels[q] === 0 && level[q] >= solid) {
          labels[q] = id
          queue[tail++] = q
        }
      }
    }
  }
}

/**
 * One label image for every frame. The pad is read several times a second, and a pad-sized array made for each
 * frame was most of the reading's garbage: the collections it caused (up to ~10 ms) landed in frames. So a crop
 * of an earlier frame can no longer be cut (its image is cut when first read): it says so rather than cut other
 * ink. segmentPad's callers read their crops before the next frame (readPad: at once).
 */
let labelsOfFrames = new Int32Array(0)
let frame = 0

function frameLabels(size: number): Int32Array {
  frame++
  if (labelsOfFrames.length !== size) labelsOfFrames = new Int32Array(size)
  else labelsOfFrames.fill(0)
  return labelsOfFrames
}

function checkFrame(cutFrom: number): () => void {
  return () => {
    if (frame !== cutFrom) throw new Error('A pad crop was cut after the pad was segmented again.')
  }
}

/** One queue for every frame (the pad reads several times a second): a pad-sized array is not made each time. */
let queue = new Int32Array(0)
function scratchQueue(size: number): Int32Array {
  if (queue.length < size) queue = new Int32Array(size)
  return queue
}

/**
 * The square the one-digit pad was: a window as tall as the pad and as wide as it is tall, centred on the digit
 * (moved to stay within the pad), so one digit on a wide pad is preprocessed exactly as on the square pad.
 * A pad that is not wider than tall is returned as it is.
 */
export function padWindow(ink: GrayImage, box: Box): GrayImage {
  const side = ink.height
  if (ink.width <= side) return ink
  const centre = box.x + box.width / 2
  const x0 = Math.round(Math.min(ink.width - side, Math.max(0, centre - side / 2)))
  const data = new Uint8Array(side * side)
  for (let y = 0; y < side; y++)
    data.set(ink.data.subarray(y * ink.width + x0, y * ink.width + x0 + side), y * side)
  return { width: side, height: side, data }
}
