import { describe, expect, it } from 'vitest'
import { Random } from '../../../../src/core/model/random'
import { createAugmenter } from '../../../../src/core/training/augment'
import { addWritingStyle, crossSeven, drawStroke, flagOne } from '../../../../src/core/training/styles'
import { AugmentationSchema } from '../../../../src/shared/schemas/training'

/** A plain 7 as MNIST writes it: a top bar and a stem down to the lower left, no cross bar. */
function plainSeven(): Uint8Array {
  const image = new Uint8Array(784)
  drawStroke(image, { x: 8, y: 5 }, { x: 19, y: 5 }, 1)
  drawStroke(image, { x: 19, y: 5 }, { x: 11, y: 23 }, 1)
  return image
}

/** A plain 1: one upright stick. */
function plainOne(): Uint8Array {
  const image = new Uint8Array(784)
  drawStroke(image, { x: 14, y: 4 }, { x: 13, y: 23 }, 1)
  return image
}

/** Ink pixels (≥ 128) in rows [from, to] and columns [left, right]. */
function inkIn(image: Uint8Array, from: number, to: number, left = 0, right = 27): number {
  let count = 0
  for (let y = from; y <= to; y++) for (let x = left; x <= right; x++) if (image[y * 28 + x] >= 128) count++
  return count
}

describe('writing styles', () => {
  it('crosses a 7 through the middle of its stem, leaving its top alone', () => {
    const seven = plainSeven()
    const crossed = Uint8Array.from(seven)
    expect(crossSeven(crossed, new Random(3))).toBe(true)
    expect(inkIn(crossed, 12, 17)).toBeGreaterThan(inkIn(seven, 12, 17) + 3)
    expect(inkIn(crossed, 0, 8)).toBe(inkIn(seven, 0, 8))
  })

  it('gives a 1 a flag to the left of its top', () => {
    const one = plainOne()
    const flagged = Uint8Array.from(one)
    expect(flagOne(flagged, new Random(5))).toBe(true)
    expect(inkIn(flagged, 3, 10, 0, 12)).toBeGreaterThan(inkIn(one, 3, 10, 0, 12) + 2)
  })

  it('leaves digits without such a style, and empty images, as they are', () => {
    const out = new Uint8Array(784)
    const random = new Random(1)
    for (let i = 0; i < 50; i++) expect(addWritingStyle(plainSeven(), 0, 3, random, out)).toBe(false)
    expect(crossSeven(new Uint8Array(784), random)).toBe(false)
  })

  it('is applied by the augmenter to some of the 7s, by their labels', () => {
    const count = 200
    const images = new Uint8Array(count * 784)
    for (let i = 0; i < count; i++) images.set(plainSeven(), i * 784)
    const labels = Uint8Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 7 : 3))
    const augment = createAugmenter(AugmentationSchema.parse({ styles: true }), new Random(9), labels)
    const out = new Float32Array(count * 784)
    augment?.(
      images,
      Int32Array.from({ length: count }, (_, i) => i),
      out
    )
    const changed = (i: number) =>
      out.subarray(i * 784, (i + 1) * 784).some((v, p) => Math.abs(v - images[i * 784 + p] / 255) > 0.01)
    const sevensChanged = labels.filter((l, i) => l === 7 && changed(i)).length
    const othersChanged = labels.filter((l, i) => l === 3 && changed(i)).length
    expect(othersChanged).toBe(0)
    expect(sevensChanged).toBeGreaterThan(10)
    expect(sevensChanged).toBeLessThan(60)
    // Without labels the styles cannot be placed: nothing to do.
    expect(createAugmenter(AugmentationSchema.parse({ styles: true }), new Random(9))).toBeNull()
  })
})
