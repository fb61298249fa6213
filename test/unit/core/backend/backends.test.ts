import { describe, expect, it } from 'vitest'
import { selectBackend, tf } from '../../../../src/core/backend'
import { loadMnist } from '../../../../src/core/data'
import { MlpRunner, initWeights, layerSizes } from '../../../../src/core/model/mlp'
import { train } from '../../../../src/core/training/trainer'
import { toUnitPixels } from '../../../../src/core/training/tensors'
import { HyperparametersSchema } from '../../../../src/shared/schemas/training'
import { ALL_BACKENDS, MNIST_DIR, tryBackend } from '../../../support/engine'
import { paramArrays } from '../../../../src/core/model/weights'
import { hasMnist } from '../../../support/paths'

const weights = initWeights(layerSizes([100, 100]), 7)
const inputs = Float32Array.from({ length: 4 * 784 }, (_, i) => ((i * 131) % 256) / 255)
const predictions = new Map<string, Float32Array>()
const trained = new Map<string, Float32Array>()

describe('selectBackend', () => {
  it('prefers tfjs-node, honours the environment override and explains its choice', async () => {
    const auto = await selectBackend('auto')
    expect(auto.detail.length).toBeGreaterThan(0)
    process.env.DIGIT_STUDIO_BACKEND = 'cpu'
    try {
      const forced = await selectBackend('tensorflow')
      expect(forced.name).toBe('cpu')
      expect(tf.getBackend()).toBe('cpu')
    } finally {
      delete process.env.DIGIT_STUDIO_BACKEND
    }
    expect(await selectBackend('auto')).toEqual(auto)
  })
})

describe.each(ALL_BACKENDS)('backend %s', (name) => {
  it('predicts probabilities and trains a few steps deterministically', async (context) => {
    const skipped = await tryBackend(name)
    if (skipped) return context.skip(`${name} does not load here: ${skipped}`)
    if (!hasMnist()) return context.skip('needs ../shared/data/mnist')
    const runner = new MlpRunner(weights)
    const p = runner.predictSync(inputs, 4)
    runner.dispose()
    expect(p).toHaveLength(40)
    predictions.set(name, p)
    const data = await loadMnist(MNIST_DIR, { trainLimit: 500, testLimit: 200 })
    const result = await train({
      hyperparameters: HyperparametersSchema.parse({ epochs: 1, seed: 3, batchSize: 50, learningRate: 0.01 }),
      train: data.train,
      test: data.test,
      initialWeights: weights
    })
    trained.set(name, paramArrays(result.weights)[4].values)
    expect(result.lastEpoch?.testAccuracy).toBeGreaterThan(0.3)
  })
})

describe('backends agree', () => {
  it('on the same weights and inputs (inference and a short training run)', (context) => {
    const names = [...predictions.keys()]
    if (names.length < 2) return context.skip(`only ${names.join(', ')} loaded`)
    const reference = predictions.get(names[0]) as Float32Array
    const referenceTrained = trained.get(names[0]) as Float32Array
    for (const other of names.slice(1)) {
      const p = predictions.get(other) as Float32Array
      let worst = 0
      for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - reference[i]))
      expect(worst, `${other} vs ${names[0]} predictions`).toBeLessThan(1e-5)
      const t = trained.get(other) as Float32Array
      let drift = 0
      for (let i = 0; i < t.length; i++) drift = Math.max(drift, Math.abs(t[i] - referenceTrained[i]))
      expect(drift, `${other} vs ${names[0]} weights after training`).toBeLessThan(1e-3)
    }
  })

  it('converts pixels the same way everywhere', () => {
    expect(Array.from(toUnitPixels(Uint8Array.of(0, 255)))).toEqual([0, 1])
  })
})
