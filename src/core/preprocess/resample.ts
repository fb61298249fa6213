/**
 * Separable resampling of a float image. Downscaling uses exact area averaging (each output pixel is the mean of
 * the input area it covers, the way NIST's digits were anti-aliased into MNIST's 20×20 box); upscaling uses linear
 * interpolation between pixel centres, so small digits do not turn blocky.
 */

interface AxisWeights {
  /** For output index o: the input indices start[o] .. start[o] + weights[o].length - 1 and their weights (sum 1). */
  start: Int32Array
  weights: Float32Array[]
}

function axisWeights(inSize: number, outSize: number): AxisWeights {
  const start = new Int32Array(outSize)
  const weights: Float32Array[] = []
  const scale = inSize / outSize
  for (let o = 0; o < outSize; o++) {
    if (scale >= 1) {
      // Output pixel o covers input interval [o*scale, (o+1)*scale).
      const from = o * scale
      const to = (o + 1) * scale
      const first = Math.floor(from)
      const last = Math.min(inSize - 1, Math.ceil(to) - 1)
      const w = new Float32Array(last - first + 1)
      for (let i = first; i <= last; i++) {
        w[i - first] = (Math.min(to, i + 1) - Math.max(from, i)) / scale
      }
      start[o] = first
      weights.push(w)
    } else {
      // Input coordinate of the output pixel centre, clamped to the outermost input centres.
      const centre = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), inSize - 1)
      const first = Math.floor(centre)
      const frac = centre - first
      if (first + 1 < inSize && frac > 0) {
        start[o] = first
        weights.push(Float32Array.of(1 - frac, frac))
      } else {
        start[o] = first
        weights.push(Float32Array.of(1))
      }
    }
  }
  return { start, weights }
}

/** Resamples a width×height float image to outWidth×outHeight. */
export function resample(
  source: Float32Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number
): Float32Array {
  const horizontal = axisWeights(width, outWidth)
  const vertical = axisWeights(height, outHeight)
  const rows = new Float32Array(outWidth * height)
  for (let y = 0; y < height; y++) {
    const rowIn = y * width
    const rowOut = y * outWidth
    for (let x = 0; x < outWidth; x++) {
      const w = horizontal.weights[x]
      const s = horizontal.start[x]
      let sum = 0
      for (let k = 0; k < w.length; k++) sum += w[k] * source[rowIn + s + k]
      rows[rowOut + x] = sum
    }
  }
  const out = new Float32Array(outWidth * outHeight)
  for (let y = 0; y < outHeight; y++) {
    const w = vertical.weights[y]
    const s = vertical.start[y]
    const rowOut = y * outWidth
    for (let x = 0; x < outWidth; x++) {
      let sum = 0
      for (let k = 0; k < w.length; k++) sum += w[k] * rows[(s + k) * outWidth + x]
      out[rowOut + x] = sum
    }
  }
  return out
}
