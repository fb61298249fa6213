/** The teaching run's training set: personal samples repeated (later repeats reshaped) beside MNIST images. */
import { describe, expect, it } from 'vitest'
import { PIXELS, type DigitSet } from '../../../../src/core/data/mnist'
import { Random } from '../../../../src/core/model/random'
import { DEFAULT_RECIPE, mixedSet } from '../../../../src/core/personal/tune'

/** A filled square of ink per image, its position varied, so that a reshaped copy differs from it. */
function squares(count: number, seed: number, base: number): { label: number; bytes: Uint8Array }[] {
  const random = new Random(seed)
  return Array.from({ length: count }, (_, n) => {
    const bytes = new Uint8Array(PIXELS)
    const x0 = 6 + random.int(6)
    const y0 = 6 + random.int(6)
    for (let y = y0; y < y0 + 10; y++) for (let x = x0; x < x0 + 8; x++) bytes[y * 28 + x] = base + (n % 50)
    return { label: n % 10, bytes }
  })
}

const asSet = (items: { label: number; bytes: Uint8Array }[]): DigitSet => ({
  count: items.length,
  images: Uint8Array.from(items.flatMap((s) => Array.from(s.bytes))),
  labels: Uint8Array.from(items, (s) => s.label)
})

const image = (set: DigitSet, n: number) => set.images.subarray(n * PIXELS, (n + 1) * PIXELS)
const personal = squares(100, 1, 200).map((s, i) => ({ id: String(i), ...s }))
const mnist = asSet(squares(20_000, 2, 100))

describe('mixedSet', () => {
  it('repeats the personal samples, the first time as they are and reshaped after, beside plain MNIST images', () => {
    const set = mixedSet(personal, mnist, 3, {
      share: 0.25,
      personalAugmentation: DEFAULT_RECIPE.personalAugmentation
    })
    // 1,200 personal a run (12 repeats of 100); a collection this small still gets 4,000 MNIST images.
    expect(set.count).toBe(1200 + 4000)
    for (let n = 0; n < 100; n++) expect(image(set, n)).toEqual(personal[n].bytes)
    let reshaped = 0
    for (let r = 1; r < 12; r++) {
      for (let n = 0; n < 100; n++) {
        expect(set.labels[r * 100 + n]).toBe(personal[n].label)
        if (image(set, r * 100 + n).some((v, p) => v !== personal[n].bytes[p])) reshaped++
      }
    }
    expect(reshaped).toBeGreaterThan(0.95 * 1100)
    // The MNIST part: unchanged training images, with their labels.
    const sources = new Map(Array.from({ length: mnist.count }, (_, i) => [image(mnist, i).join(), i]))
    for (let n = 1200; n < set.count; n += 97) {
      const source = sources.get(image(set, n).join())
      expect(source).toBeDefined()
      expect(set.labels[n]).toBe(mnist.labels[source as number])
    }
  })

  it('gives the personal samples the share asked for, and plain repeats without augmentation', () => {
    const half = mixedSet(personal, mnist, 3, { share: 0.5 })
    // At half, the MNIST minimum is in proportion: a third of 4,000.
    expect(half.count).toBe(1200 + 1333)
    const big = squares(2000, 5, 200).map((s, i) => ({ id: String(i), ...s }))
    expect(mixedSet(big, mnist, 3, { share: 0.5 }).count).toBe(4000)
    for (let r = 0; r < 12; r++) expect(image(half, r * 100 + 7)).toEqual(personal[7].bytes)
    // The same seed gives the same set; another seed another MNIST choice.
    const same = (seed: number) =>
      Buffer.from(mixedSet(personal, mnist, seed, { share: 0.5 }).images).equals(half.images)
    expect(same(3)).toBe(true)
    expect(same(4)).toBe(false)
  })
})
