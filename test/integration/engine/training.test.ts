import { describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/core/backend'
import { loadMnist } from '../../../src/core/data'
import { train } from '../../../src/core/training/trainer'
import {
  BatchProgressSchema,
  EpochSummarySchema,
  HyperparametersSchema,
  type BatchProgress,
  type EpochSummary
} from '../../../src/shared/schemas/training'
import { MNIST_DIR } from '../../support/engine'
import { paramArrays } from '../../../src/core/model/weights'
import { hasMnist } from '../../support/paths'

describe.skipIf(!hasMnist())('training on an MNIST subset', () => {
  it('reaches ≥ 85% on 1,000 test images after short training on 5,000, reporting in order', async () => {
    await selectBackend('auto')
    const data = await loadMnist(MNIST_DIR, { trainLimit: 5000, testLimit: 1000 })
    const events: (BatchProgress | EpochSummary)[] = []
    // The paper's lr 0.001 / batch 100 needs tens of thousands of steps; a short run uses larger steps.
    const hyperparameters = HyperparametersSchema.parse({
      epochs: 2,
      learningRate: 0.01,
      batchSize: 50,
      reportEvery: 20,
      seed: 5
    })
    const result = await train({
      hyperparameters,
      train: data.train,
      test: data.test,
      onProgress: (e) => events.push(e),
      onEpoch: ({ summary }) => {
        events.push(summary)
      }
    })
    expect(result.epochsCompleted).toBe(2)
    expect(result.lastEpoch?.testAccuracy).toBeGreaterThanOrEqual(0.85)

    const batches = events.filter((e): e is BatchProgress => e.kind === 'batch')
    const epochs = events.filter((e): e is EpochSummary => e.kind === 'epoch')
    for (const e of batches) BatchProgressSchema.parse(e)
    for (const e of epochs) EpochSummarySchema.parse(e)
    // Step 0 (the untrained model), then every 20 batches of 100 per epoch (the cadence asked for, since it
    // gives 5 points an epoch), then the summary.
    const reports = (epoch: number) => Array.from({ length: 5 }, (_, i) => `b${epoch}:${(i + 1) * 20}`)
    expect(events.map((e) => (e.kind === 'batch' ? `b${e.epoch}:${e.batchInEpoch}` : `e${e.epoch}`))).toEqual(
      ['b1:0', ...reports(1), 'e1', ...reports(2), 'e2']
    )
    expect(batches.map((b) => b.step)).toEqual(Array.from({ length: 11 }, (_, i) => i * 20))
    for (const b of batches.slice(1)) {
      expect(b.batchesPerEpoch).toBe(100)
      expect(b.loss).toBeGreaterThan(0)
      expect(b.accuracy).toBeGreaterThanOrEqual(0)
      expect(b.accuracy).toBeLessThanOrEqual(1)
      expect(b.samplesPerSecond).toBeGreaterThan(0)
    }
    expect(epochs[1].trainLoss).toBeLessThan(epochs[0].trainLoss)
    expect(epochs[1].etaSeconds).toBe(0)
  })

  it('repeats exactly with the same seed, and differs with another seed', async () => {
    await selectBackend('auto')
    const data = await loadMnist(MNIST_DIR, { trainLimit: 600, testLimit: 100 })
    const run = (seed: number, dropout = 0.2) =>
      train({
        hyperparameters: HyperparametersSchema.parse({
          epochs: 1,
          seed,
          dropout,
          augmentation: { affine: true, elastic: true }
        }),
        train: data.train,
        test: data.test
      }).then((r) => Array.from(paramArrays(r.weights)[4].values))
    const [a, b, c] = [await run(1), await run(1), await run(2)]
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
  })
})
