/** Axis-aligned boxes in whole pixels: x, y of the top-left pixel, width and height (both ≥ 1). */
export interface Box {
  x: number
  y: number
  width: number
  height: number
}

export const right = (b: Box): number => b.x + b.width
export const bottom = (b: Box): number => b.y + b.height

/** The smallest box holding both. */
export function unionBox(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x)
  const y = Math.min(a.y, b.y)
  return { x, y, width: Math.max(right(a), right(b)) - x, height: Math.max(bottom(a), bottom(b)) - y }
}

/** Length of the overlap of [a0, a1) and [b0, b1) (negative: the gap between them). */
export function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.min(a1, b1) - Math.max(a0, b0)
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
