/** A round, anti-aliased pen: how writing styles add a stroke to a digit and how reading is warmed up. */
import type { GrayImage } from './types'

export interface PenPoint {
  x: number
  y: number
}

/** Draws a stroke from a to b (half width in pixels) into the image (ink bright on 0), keeping the stronger ink. */
export function drawStroke(image: GrayImage, a: PenPoint, b: PenPoint, halfWidth: number): void {
  const { width, height, data } = image
  const dx = b.x - a.x
  const dy = b.y - a.y
  const length2 = dx * dx + dy * dy || 1
  const reach = Math.ceil(halfWidth + 1)
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x)) - reach)
  const x1 = Math.min(width - 1, Math.ceil(Math.max(a.x, b.x)) + reach)
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y)) - reach)
  const y1 = Math.min(height - 1, Math.ceil(Math.max(a.y, b.y)) + reach)
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const t = Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / length2))
      const distance = Math.hypot(x - (a.x + t * dx), y - (a.y + t * dy))
      const value = Math.round(255 * Math.max(0, Math.min(1, halfWidth + 0.5 - distance)))
      const p = y * width + x
      if (value > data[p]) data[p] = value
    }
  }
}

/** Draws a polyline (one pen stroke through its points). */
export function drawPolyline(image: GrayImage, points: readonly PenPoint[], halfWidth: number): void {
  for (let i = 0; i < points.length; i++) {
    drawStroke(image, points[i], points[Math.min(i + 1, points.length - 1)], halfWidth)
  }
}
