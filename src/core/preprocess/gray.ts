import type { GrayImage } from './types'

/** Decoded pixels, 8 bits per channel: 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA. */
export interface RawPixels {
  width: number
  height: number
  channels: 1 | 2 | 3 | 4
  data: Uint8Array
}

/**
 * Grey levels from decoded pixels (Rec. 601 luma). Transparent areas are composited onto the colour that
 * contrasts with the visible marks: a transparent PNG of black ink goes onto white, of white chalk onto black,
 * so the ink never vanishes into its background.
 */
export function toGrayImage(raw: RawPixels): GrayImage {
  const { width, height, channels, data } = raw
  const n = width * height
  const gray = new Uint8Array(n)
  const colour = channels >= 3
  for (let i = 0; i < n; i++) {
    const p = i * channels
    gray[i] = colour ? Math.round(0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2]) : data[p]
  }
  const hasAlpha = channels === 2 || channels === 4
  if (!hasAlpha) return { width, height, data: gray }

  let alphaSum = 0
  let weightedGray = 0
  let translucent = false
  for (let i = 0; i < n; i++) {
    const a = data[i * channels + channels - 1]
    if (a < 255) translucent = true
    alphaSum += a
    weightedGray += a * gray[i]
  }
  if (!translucent) return { width, height, data: gray }
  const marksAreDark = alphaSum > 0 && weightedGray / alphaSum < 128
  const background = marksAreDark ? 255 : 0
  for (let i = 0; i < n; i++) {
    const a = data[i * channels + channels - 1] / 255
    gray[i] = Math.round(gray[i] * a + background * (1 - a))
  }
  return { width, height, data: gray }
}
