import { describe, expect, it } from 'vitest'
import { selectBackend, tf, useBackend } from '../../../../src/core/backend'
import { initWeights, layerSizes } from '../../../../src/core/model/mlp'
import { Random } from '../../../../src/core/model/random'
import { changeThickness, createAugmenter } from '../../../../src/core/training/augment'
import { FlatParameters } from '../../../../src/core/training/flat-params'
import { dense, matMul, sigmoidBackward, softmaxCrossEntropy } from '../../../../src/core/backend/native-ops'
import { AugmentationSchema } from '../../../../src/shared/schemas/training'

/** A 28×28 test image: a bright 4×4 square with its corner at (x, y). */
function square(x: number, y: number): Uint8Array {
  const image = new Uint8Array(784)
  for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) image[(y + dy) * 28 + x + dx] = 255
  return image
}
const inkCentre = (pixels: ArrayLike<number>) => {
  let sum = 0
  let sx = 0
  for (let i = 0; i < 784; i++) {
    sum += pixels[i]
    sx += pixels[i] * (i % 28)
  }
  return { sum, x: sx / sum }
}

describe('augmentation', () => {
  it('is the identity with zero rotation, unit scale and no shift', () => {
    const augment = createAugmenter(
      AugmentationSchema.parse({
        affine: true,
        rotationDegrees: 0,
        scaleMin: 1,
        scaleMax: 1,
        shiftPixels: 0
      }),
      new Random(1)
    )
    const out = new Float32Array(784)
    augment?.(square(10, 12), [0], out)
    const expected = square(10, 12)
    for (let i = 0; i < 784; i++) expect(out[i]).toBeCloseTo(expected[i] / 255, 6)
  })

  it('moves ink by at most the shift and keeps it on the page', () => {
    const augment = createAugmenter(
      AugmentationSchema.parse({
        affine: true,
        rotationDegrees: 0,
        scaleMin: 1,
        scaleMax: 1,
        shiftPixels: 3
      }),
      new Random(2)
    )
    const out = new Float32Array(784)
    const moves = new Set<number>()
    for (let k = 0; k < 20; k++) {
      augment?.(square(12, 12), [0], out)
      const { x, sum } = inkCentre(out)
      expect(Math.abs(x - 13.5)).toBeLessThanOrEqual(3.01)
      expect(sum).toBeCloseTo(16, 0)
      moves.add(Math.round(x * 10))
    }
    expect(moves.size).toBeGreaterThan(5)
  })

  it('elastic distortion changes the image but keeps roughly the same ink', () => {
    const augment = createAugmenter(AugmentationSchema.parse({ elastic: true }), new Random(3))
    const out = new Float32Array(784)
    augment?.(square(12, 12), [0], out)
    const { sum } = inkCentre(out)
    expect(sum).toBeGreaterThan(8)
    expect(sum).toBeLessThan(32)
    expect(Array.from(out).some((v, i) => Math.abs(v - square(12, 12)[i] / 255) > 0.1)).toBe(true)
  })

  it('thickness makes strokes thicker or thinner', () => {
    const out = new Uint8Array(784)
    changeThickness(square(10, 10), 0, 1, out)
    expect(inkCentre(out).sum).toBe(36 * 255)
    changeThickness(square(10, 10), 0, -1, out)
    expect(inkCentre(out).sum).toBe(4 * 255)
  })

  it('returns null when nothing is switched on', () => {
    expect(createAugmenter(AugmentationSchema.parse({}), new Random(1))).toBeNull()
  })
})

describe('flat Adam', () => {
  // Reference: Adam (Kingma & Ba, Algorithm 1) in float64. tf.train.adam itself drifts ~8e-5 from it
  // here because it forms 1 - 0.999^t in float32.
  // On wasm the moments live in JavaScript (FlatParameters' host mode): the same maths.
  it.for(['tensorflow', 'wasm'] as const)('matches a float64 Adam step for step on %s', async (name, t) => {
    try {
      await useBackend(name)
    } catch (error) {
      console.warn(`[flat Adam] ${name} skipped: ${(error as Error).message}`)
      return t.skip()
    }
    const weights = initWeights(layerSizes([5, 4]), 9)
    const flat = new FlatParameters(weights, { learningRate: 0.01 })
    const x = Array.from(weights[0].kernel, Number)
    const m = new Array<number>(x.length).fill(0)
    const v = new Array<number>(x.length).fill(0)
    const random = new Random(4)
    for (let t = 1; t <= 5; t++) {
      const grads = weights.map((w) => ({
        kernel: Float32Array.from({ length: w.inputs * w.outputs }, () => random.normal()),
        bias: Float32Array.from({ length: w.outputs }, () => random.normal())
      }))
      flat.applyAdam(
        grads.map((g, i) => ({
          kernel: tf.tensor2d(g.kernel, [weights[i].inputs, weights[i].outputs]),
          bias: tf.tensor1d(g.bias)
        }))
      )
      grads[0].kernel.forEach((g, i) => {
        m[i] = 0.9 * m[i] + 0.1 * g
        v[i] = 0.999 * v[i] + 0.001 * g * g
        x[i] -= (0.01 * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-7)
      })
    }
    const mine = flat.weights()[0].kernel
    const worst = Math.max(...Array.from(mine, (value, i) => Math.abs(value - x[i])))
    expect(worst).toBeLessThan(1e-5)
    flat.dispose()
    await selectBackend('auto')
  })
})

describe('fused loss and sigmoid gradient', () => {
  it('the native TensorFlow kernels equal the plain tfjs maths', async () => {
    await selectBackend('auto')
    const random = new Random(5)
    const logits = tf.tensor2d(
      Float32Array.from({ length: 30 }, () => 4 * random.normal()),
      [3, 10]
    )
    const oneHot = tf.oneHot(tf.tensor1d([1, 5, 9], 'int32'), 10).toFloat() as tf.Tensor2D
    const a = tf.sigmoid(
      tf.tensor2d(
        Float32Array.from({ length: 12 }, () => random.normal()),
        [3, 4]
      )
    ) as tf.Tensor2D
    const dy = tf.tensor2d(
      Float32Array.from({ length: 12 }, () => random.normal()),
      [3, 4]
    )
    const run = () => {
      const { loss, grad } = softmaxCrossEntropy(logits, oneHot)
      const w = tf.tensor2d(
        Float32Array.from({ length: 40 }, (_, i) => Math.sin(i)),
        [4, 10]
      )
      const b = tf.tensor1d(Float32Array.from({ length: 10 }, (_, i) => i / 10))
      return [
        loss.dataSync(),
        grad.dataSync(),
        sigmoidBackward(a, dy).dataSync(),
        matMul(a, logits, true, false).dataSync(),
        matMul(logits, w, false, true).dataSync(),
        dense(a, w, b, 'sigmoid').dataSync(),
        dense(a, w, b, 'linear').dataSync()
      ].map((t) => Array.from(t))
    }
    const native = run()
    process.env.DIGIT_STUDIO_NATIVE_OPS = '0'
    const plain = run()
    delete process.env.DIGIT_STUDIO_NATIVE_OPS
    native.forEach((values, k) => values.forEach((v, i) => expect(v).toBeCloseTo(plain[k][i], 5)))
    // Loss is the cross-entropy of the softmax: positive, and the gradient rows sum to 0.
    expect(native[0].every((v) => v > 0)).toBe(true)
    for (let r = 0; r < 3; r++)
      expect(native[1].slice(r * 10, r * 10 + 10).reduce((s, v) => s + v, 0)).toBeCloseTo(0, 5)
  })
})

describe('matrix products with transposes', () => {
  // wasm computes transposed products through an explicit transpose (its own transposed path is slow).
  it.each(['wasm', 'cpu'] as const)('equal the plain product of transposed inputs on %s', async (name) => {
    await useBackend(name)
    const random = new Random(8)
    const a = tf.tensor2d(
      Float32Array.from({ length: 12 }, () => random.normal()),
      [3, 4]
    )
    const b = tf.tensor2d(
      Float32Array.from({ length: 15 }, () => random.normal()),
      [3, 5]
    )
    const c = tf.tensor2d(
      Float32Array.from({ length: 20 }, () => random.normal()),
      [4, 5]
    )
    const pairs = [
      [matMul(a, b, true, false), tf.matMul(tf.transpose(a), b)],
      [matMul(b, c, false, true), tf.matMul(b, tf.transpose(c))],
      [matMul(c, a, true, true), tf.matMul(tf.transpose(c), tf.transpose(a))]
    ]
    for (const [mine, plain] of pairs) {
      expect(mine.shape).toEqual(plain.shape)
      const p = plain.dataSync()
      mine.dataSync().forEach((v, i) => expect(v).toBeCloseTo(p[i], 5))
    }
    await selectBackend('auto')
  })
})

describe('learning-rate schedule', () => {
  it('is constant without a final rate, and falls along a half cosine with one', async () => {
    const { learningRateAt } = await import('../../../../src/core/training/trainer')
    const constant = { learningRate: 0.001, finalLearningRate: null, epochs: 10 }
    expect([1, 5, 10].map((epoch) => learningRateAt(constant, epoch))).toEqual([0.001, 0.001, 0.001])
    const cosine = { learningRate: 0.001, finalLearningRate: 0.00001, epochs: 11 }
    const rates = Array.from({ length: 11 }, (_, i) => learningRateAt(cosine, i + 1))
    expect(rates[0]).toBeCloseTo(0.001, 12)
    expect(rates[10]).toBeCloseTo(0.00001, 12)
    expect(rates[5]).toBeCloseTo((0.001 + 0.00001) / 2, 12)
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1])
  })
})

describe('weight averaging', () => {
  it('returns the running mean of the weights added so far', async () => {
    const { WeightAverage } = await import('../../../../src/core/training/weight-average')
    const layer = (k: number[], b: number[]) => ({
      kernel: Float32Array.from(k),
      bias: Float32Array.from(b),
      inputs: 2,
      outputs: 1
    })
    const average = new WeightAverage()
    const first = average.add([layer([1, 2], [3])])
    expect(Array.from(first[0].kernel)).toEqual([1, 2])
    average.add([layer([3, 4], [5])])
    const third = average.add([layer([5, 9], [-2])])
    expect(Array.from(third[0].kernel)).toEqual([3, 5])
    expect(Array.from(third[0].bias)).toEqual([2])
    expect(third[0]).toMatchObject({ inputs: 2, outputs: 1 })
  })
})
