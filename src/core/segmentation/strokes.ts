/**
 * Numbers written on the drawing pad: the strokes (as drawn, in the ink image's pixels) say which ink belongs
 * together, the ink says where touching digits meet. Every ink pixel is given to the nearest stroke within the
 * pen's reach, each stroke becomes a part, and the parts go through groupParts (group.ts).
 */
import type { GrayImage } from '../preprocess/types'
import type { Box } from './box'
import { groupParts, type LabelImage, type Part } from './group'
import { toCrop, type DigitCrop } from './read'

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
  if (count === 1) {
    const [digit] = lines[0]
    const pieces = digit.pieces?.map((piece) => toCrop(piece, image, level))
    return [
      [{ box: digit.box, image: padWindow(ink, digit.box), ...(pieces ? { pieces, neck: digit.neck } : {}) }]
    ]
  }
  return lines.map((line) => line.map((digit) => toCrop(digit, image, level)))
}

/** Pen width in pixels: solid ink area over the strokes' length (a stroke of width w and length L covers wL). */
function penWidth(strokes: PadInk['strokes'], level: Uint8Array): number {
  let length = 0
  for (const stroke of strokes) {
    for (let i = 1; i < stroke.length; i++)
      length += Math.hypot(stroke[i].x - stroke[i - 1].x, stroke[i].y - stroke[i - 1].y)
  }
  let area = 0
  for (let p = 0; p < level.length; p++) if (level[p] >= SOLID_INK) area++
  // Dots and short strokes: their round caps add about one width each.
  return Math.max(1, area / Math.max(1, length + strokes.length * 2))
}

/** Labels each ink pixel with the nearest stroke (id = index + 1) within the pen's reach; parts = strokes with ink. */
function labelStrokes(
  strokes: PadInk['strokes'],
  width: number,
  height: number,
  level: Uint8Array
): { labels: Int32Array; parts: Part[] } {
  const labels = new Int32Array(width * height)
  const distance = new Float32Array(width * height).fill(Infinity)
  const reach = penWidth(strokes, level) / 2 + 2
  strokes.forEach((drawn, s) => {
    if (drawn.length === 0) return
    // Points closer together than a quarter of the reach add cost, not precision.
    const stroke = [drawn[0]]
    for (let i = 1; i < drawn.length; i++) {
      const last = stroke[stroke.length - 1]
      if (i === drawn.length - 1 || Math.hypot(drawn[i].x - last.x, drawn[i].y - last.y) >= reach / 4)
        stroke.push(drawn[i])
    }
    for (let i = 0; i < Math.max(1, stroke.length - 1); i++) {
      const a = stroke[i]
      const b = stroke[Math.min(i + 1, stroke.length - 1)]
      const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - reach))
      const x1 = Math.min(width - 1, Math.ceil(Math.max(a.x, b.x) + reach))
      const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - reach))
      const y1 = Math.min(height - 1, Math.ceil(Math.max(a.y, b.y) + reach))
      const dx = b.x - a.x
      const dy = b.y - a.y
      const squared = dx * dx + dy * dy
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const p = y * width + x
          if (level[p] === 0) continue
          // Distance from the pixel's centre to the segment a-b.
          const t =
            squared > 0
              ? Math.min(1, Math.max(0, ((x + 0.5 - a.x) * dx + (y + 0.5 - a.y) * dy) / squared))
              : 0
          const d = Math.hypot(x + 0.5 - a.x - t * dx, y + 0.5 - a.y - t * dy)
          if (d <= reach && d < distance[p]) {
            distance[p] = d
            labels[p] = s + 1
          }
        }
      }
    }
  })
  claimConnectedInk(labels, width, height, level)
  const boxes = new Map<number, { x0: number; y0: number; x1: number; y1: number }>()
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const id = labels[y * width + x]
      if (id === 0 || level[y * width + x] < SOLID_INK / 2) continue
      const b = boxes.get(id)
      if (!b) boxes.set(id, { x0: x, y0: y, x1: x, y1: y })
      else {
        if (x < b.x0) b.x0 = x
        if (x > b.x1) b.x1 = x
        if (y < b.y0) b.y0 = y
        if (y > b.y1) b.y1 = y
      }
    }
  }
  const parts: Part[] = []
  for (const [id, b] of [...boxes].sort((m, n) => m[0] - n[0])) {
    const box: Box = { x: b.x0, y: b.y0, width: b.x1 - b.x0 + 1, height: b.y1 - b.y0 + 1 }
    parts.push({ id, box })
  }
  return { labels, parts }
}

/**
 * Ink beyond the pen's reach of every stroke (a pen pressed harder than its measured width, a blot, a loop
 * filled in) goes to the stroke whose ink it is connected to: labels spread through the ink, breadth first from
 * the labelled pixels, so each such pixel goes to the stroke nearest along the ink.
 */
function claimConnectedInk(labels: Int32Array, width: number, height: number, level: Uint8Array): void {
  const queue = new Int32Array(labels.length)
  let head = 0
  let tail = 0
  for (let p = 0; p < labels.length; p++) if (labels[p] !== 0) queue[tail++] = p
  while (head < tail) {
    const p = queue[head++]
    const x = p % width
    const y = (p - x) / width
    for (let dy = -1; dy <= 1; dy++) {
      const ny = y + dy
      if (ny < 0 || ny >= height) continue
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx
        if (nx < 0 || nx >= width) continue
        const q = ny * width + nx
        if (labels[q] === 0 && level[q] >= SOLID_INK / 2) {
          labels[q] = labels[p]
          queue[tail++] = q
        }
      }
    }
  }
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
