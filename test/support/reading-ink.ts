/**
 * Ink made by the tests and benchmarks of number and page reading: strokes rasterised like the drawing pad
 * (round pen, anti-aliased, ink bright on black), and strokes traced from MNIST digits (skeleton → polylines)
 * so that real handwriting can be "written on the pad".
 */
import type { GrayImage } from '../../src/core/preprocess/types'

export interface Pt {
  x: number
  y: number
}
export type StrokeList = Pt[][]

/** Strokes as the pad draws them: a round pen of `pen` pixels, anti-aliased, ink 255 on 0. */
export function rasterise(strokes: StrokeList, width: number, height: number, pen = 10): GrayImage {
  const data = new Uint8Array(width * height)
  const r = pen / 2
  for (const stroke of strokes) {
    for (let i = 0; i < Math.max(1, stroke.length - 1); i++) {
      const a = stroke[i]
      const b = stroke[Math.min(i + 1, stroke.length - 1)]
      const dx = b.x - a.x
      const dy = b.y - a.y
      const squared = dx * dx + dy * dy
      for (
        let y = Math.max(0, Math.floor(Math.min(a.y, b.y) - r - 1));
        y <= Math.min(height - 1, Math.max(a.y, b.y) + r + 1);
        y++
      ) {
        for (
          let x = Math.max(0, Math.floor(Math.min(a.x, b.x) - r - 1));
          x <= Math.min(width - 1, Math.max(a.x, b.x) + r + 1);
          x++
        ) {
          const t =
            squared > 0
              ? Math.min(1, Math.max(0, ((x + 0.5 - a.x) * dx + (y + 0.5 - a.y) * dy) / squared))
              : 0
          const d = Math.hypot(x + 0.5 - a.x - t * dx, y + 0.5 - a.y - t * dy)
          const v = Math.round(255 * Math.min(1, Math.max(0, r + 0.5 - d)))
          const p = y * width + Math.floor(x)
          if (v > data[p]) data[p] = v
        }
      }
    }
  }
  return { width, height, data }
}

/** Moves strokes by (dx, dy) and scales them by s about the origin first. */
export function place(strokes: StrokeList, dx: number, dy: number, s = 1): StrokeList {
  return strokes.map((stroke) => stroke.map((p) => ({ x: p.x * s + dx, y: p.y * s + dy })))
}

/** Hand-made digits in a 60×100 cell (x 0..60, y 0..100), in the strokes people use. */
export const SHAPES: Record<string, StrokeList> = {
  // A 4 in two strokes: down and across, then the long vertical.
  four: [
    [
      { x: 35, y: 5 },
      { x: 5, y: 65 },
      { x: 55, y: 65 }
    ],
    [
      { x: 42, y: 30 },
      { x: 42, y: 98 }
    ]
  ],
  // A crossed 7: the top bar and stem, then the bar across the stem.
  sevenCrossed: [
    [
      { x: 5, y: 8 },
      { x: 55, y: 8 },
      { x: 25, y: 98 }
    ],
    [
      { x: 18, y: 52 },
      { x: 50, y: 52 }
    ]
  ],
  seven: [
    [
      { x: 5, y: 8 },
      { x: 55, y: 8 },
      { x: 25, y: 98 }
    ]
  ],
  one: [
    [
      { x: 22, y: 20 },
      { x: 34, y: 5 },
      { x: 34, y: 98 }
    ]
  ],
  // A 1 with a flag and a base: two strokes.
  oneBase: [
    [
      { x: 20, y: 20 },
      { x: 32, y: 5 },
      { x: 32, y: 95 }
    ],
    [
      { x: 14, y: 96 },
      { x: 50, y: 96 }
    ]
  ],
  // A 5 in two strokes: the body, then the top bar.
  five: [
    [
      { x: 12, y: 8 },
      { x: 8, y: 45 },
      { x: 35, y: 40 },
      { x: 52, y: 60 },
      { x: 45, y: 88 },
      { x: 25, y: 96 },
      { x: 6, y: 86 }
    ],
    [
      { x: 12, y: 8 },
      { x: 52, y: 8 }
    ]
  ],
  zero: [ellipse(30, 50, 26, 45)],
  two: [
    [
      { x: 8, y: 25 },
      { x: 20, y: 6 },
      { x: 42, y: 6 },
      { x: 52, y: 25 },
      { x: 45, y: 50 },
      { x: 6, y: 96 },
      { x: 56, y: 96 }
    ]
  ],
  six: [
    [
      { x: 48, y: 6 },
      { x: 22, y: 30 },
      { x: 8, y: 62 },
      { x: 14, y: 90 },
      { x: 32, y: 97 },
      { x: 50, y: 84 },
      { x: 48, y: 62 },
      { x: 30, y: 55 },
      { x: 10, y: 66 }
    ]
  ]
}

/** An oval drawn from the angle `start` (0 = top, clockwise, in turns). */
export function ellipse(cx: number, cy: number, rx: number, ry: number, start = 0): Pt[] {
  return Array.from({ length: 41 }, (_, i) => {
    const a = (start + i / 40) * 2 * Math.PI
    return { x: cx + rx * Math.sin(a), y: cy - ry * Math.cos(a) }
  })
}

/** Writes hand-made digits side by side: `gap` pixels between 60-wide cells, from (left, top). */
export function writeNumber(names: string[], left: number, top: number, gap: number): StrokeList {
  return names.flatMap((name, i) => place(SHAPES[name], left + i * (60 + gap), top))
}

/**
 * Strokes of a grey digit image: Zhang-Suen thinning of its ink (≥ 128), then each connected piece of the
 * skeleton walked into one polyline. Coordinates in the image's pixels (centres at +0.5).
 */
export function traceStrokes(image: GrayImage): StrokeList {
  const { width, height } = image
  const on = new Uint8Array(width * height)
  for (let p = 0; p < on.length; p++) on[p] = image.data[p] >= 128 ? 1 : 0
  thin(on, width, height)
  const at = (x: number, y: number) => (x >= 0 && y >= 0 && x < width && y < height ? on[y * width + x] : 0)
  const neighbours = (x: number, y: number) => {
    const list: [number, number][] = []
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && at(x + dx, y + dy)) list.push([x + dx, y + dy])
    return list
  }
  // One stroke per connected piece of skeleton, walked depth first from an end, going back over the ink at
  // dead ends as a pen would: consecutive points are always neighbours.
  const visited = new Uint8Array(width * height)
  const strokes: StrokeList = []
  const walk = (sx: number, sy: number) => {
    const stroke: Pt[] = []
    const path: [number, number][] = [[sx, sy]]
    visited[sy * width + sx] = 1
    stroke.push({ x: sx + 0.5, y: sy + 0.5 })
    while (path.length > 0) {
      const [x, y] = path[path.length - 1]
      const next = neighbours(x, y).find(([nx, ny]) => !visited[ny * width + nx])
      if (next) {
        visited[next[1] * width + next[0]] = 1
        path.push(next)
      } else path.pop()
      const [px, py] = path[path.length - 1] ?? [x, y]
      if (path.length > 0) stroke.push({ x: px + 0.5, y: py + 0.5 })
    }
    strokes.push(stroke)
  }
  // Ends first (one neighbour), then what is left (closed loops).
  for (let pass = 0; pass < 2; pass++) {
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (on[y * width + x] && !visited[y * width + x] && (pass === 1 || neighbours(x, y).length === 1))
          walk(x, y)
  }
  return strokes
}

function thin(on: Uint8Array, width: number, height: number): void {
  const at = (x: number, y: number) => (x >= 0 && y >= 0 && x < width && y < height ? on[y * width + x] : 0)
  let changed = true
  while (changed) {
    changed = false
    for (let step = 0; step < 2; step++) {
      const remove: number[] = []
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (!on[y * width + x]) continue
          const p = [
            at(x, y - 1),
            at(x + 1, y - 1),
            at(x + 1, y),
            at(x + 1, y + 1),
            at(x, y + 1),
            at(x - 1, y + 1),
            at(x - 1, y),
            at(x - 1, y - 1)
          ]
          const b = p.reduce((s, v) => s + v, 0)
          let a = 0
          for (let i = 0; i < 8; i++) if (!p[i] && p[(i + 1) % 8]) a++
          const c1 = step === 0 ? p[0] * p[2] * p[4] : p[0] * p[2] * p[6]
          const c2 = step === 0 ? p[2] * p[4] * p[6] : p[0] * p[4] * p[6]
          if (b >= 2 && b <= 6 && a === 1 && c1 === 0 && c2 === 0) remove.push(y * width + x)
        }
      }
      for (const q of remove) on[q] = 0
      if (remove.length) changed = true
    }
  }
}

/** Scales a grey image up by an integer factor, bilinear. */
export function upscale(image: GrayImage, factor: number): GrayImage {
  const width = image.width * factor
  const height = image.height * factor
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, (y + 0.5) / factor - 0.5))
    const y0 = Math.floor(sy)
    const y1 = Math.min(image.height - 1, y0 + 1)
    const fy = sy - y0
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, (x + 0.5) / factor - 0.5))
      const x0 = Math.floor(sx)
      const x1 = Math.min(image.width - 1, x0 + 1)
      const fx = sx - x0
      const v = (r: number, c: number) => image.data[r * image.width + c]
      data[y * width + x] = Math.round(
        (v(y0, x0) * (1 - fx) + v(y0, x1) * fx) * (1 - fy) + (v(y1, x0) * (1 - fx) + v(y1, x1) * fx) * fy
      )
    }
  }
  return { width, height, data }
}
