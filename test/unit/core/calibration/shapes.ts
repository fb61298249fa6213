/** Test-made drawings: thick pen lines rasterised on a white canvas (black ink), as the drawing pad makes them. */
import type { GrayImage } from '../../../../src/core/preprocess/types'

export type Segment = [number, number, number, number]

export function drawSegments(segments: Segment[], size = 280, pen = 18): GrayImage {
  const data = new Uint8Array(size * size).fill(255)
  const r = pen / 2
  for (const [x0, y0, x1, y1] of segments) {
    const length = Math.hypot(x1 - x0, y1 - y0)
    const steps = Math.max(1, Math.ceil(length))
    for (let s = 0; s <= steps; s++) {
      const cx = x0 + ((x1 - x0) * s) / steps
      const cy = y0 + ((y1 - y0) * s) / steps
      for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(size - 1, Math.ceil(cy + r)); y++) {
        for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(size - 1, Math.ceil(cx + r)); x++) {
          if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * size + x] = 0
        }
      }
    }
  }
  return { width: size, height: size, data }
}

/** Letters as pen strokes on a 280 px canvas. */
export const LETTERS: Record<string, Segment[]> = {
  A: [
    [80, 240, 140, 40],
    [140, 40, 200, 240],
    [105, 160, 175, 160]
  ],
  H: [
    [80, 40, 80, 240],
    [200, 40, 200, 240],
    [80, 140, 200, 140]
  ],
  K: [
    [90, 40, 90, 240],
    [200, 40, 90, 150],
    [120, 125, 200, 240]
  ],
  M: [
    [60, 240, 60, 40],
    [60, 40, 140, 160],
    [140, 160, 220, 40],
    [220, 40, 220, 240]
  ],
  W: [
    [50, 40, 95, 240],
    [95, 240, 140, 110],
    [140, 110, 185, 240],
    [185, 240, 230, 40]
  ],
  X: [
    [70, 40, 210, 240],
    [210, 40, 70, 240]
  ],
  E: [
    [90, 40, 90, 240],
    [90, 40, 200, 40],
    [90, 140, 180, 140],
    [90, 240, 200, 240]
  ]
}

/** A dense scribble: many strokes back and forth over one area, as someone crossing something out. */
export function scribble(): Segment[] {
  const segments: Segment[] = []
  for (let i = 0; i < 18; i++) {
    const y = 70 + i * 8
    segments.push(i % 2 === 0 ? [70, y, 210, y + 12] : [210, y, 70, y + 12])
  }
  return segments
}
