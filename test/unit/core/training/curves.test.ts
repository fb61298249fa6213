/** Defect 10: training curves start at step 0, have enough points on small runs, and pauses are not training time. */
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../../src/core/backend'
import type { DigitSet } from '../../../../src/core/data'
import { train } from '../../../../src/core/training/trainer'
import { HyperparametersSchema, type BatchProgress } from '../../../../src/shared/schemas/training'
import { seededRandom } from '../../../support/mnist-sample'

/** A small synthetic set (no data folder needed): label = which quarter of the image holds the ink. */
function syntheticSet(count: number, seed: number): DigitSet {
  const random = seededRandom(seed)
  const images = new Uint8Array(count * 784)
  const labels = new Uint8Array(count)
  for (let i = 0; i < count; i++) {
    const label = Math.floor(random() * 4)
    labels[i] = label
    for (let p = 0; p < 784; p++) {
      const quarter = (Math.floor(p / 392) << 1) | Math.floor((p % 28) / 14)
      images[i * 784 + p] = quarter === label ? 200 + Math.floor(random() * 55) : Math.floor(random() * 30)
    }
  }
  return { count, images, labels }
}

beforeAll(async () => {
  await selectBackend('cpu')
})

describe('training curves', () => {
  it('start with a step-0 point and have at least 10 points per epoch on a small run', async () => {
    const events: BatchProgress[] = []
    await train({
      hyperparameters: HyperparametersSchema.parse({ epochs: 2, batchSize: 10, reportEvery: 100 }),
      train: syntheticSet(200, 1),
      test: syntheticSet(50, 2),
      onProgress: (event) => events.push(event)
    })
    expect(events[0]).toMatchObject({ step: 0, epoch: 1, batchInEpoch: 0 })
    expect(events[0].loss).toBeGreaterThan(0)
    // 20 batches per epoch, reportEvery 100: a point every 2 batches instead of one per epoch.
    for (const epoch of [1, 2]) {
      const points = events.filter((e) => e.epoch === epoch && e.step > 0)
      expect(points.length).toBeGreaterThanOrEqual(10)
    }
    const steps = events.map((e) => e.step)
    expect(steps).toEqual([...steps].sort((a, b) => a - b))
  })

  it('do not count paused time in an epoch’s seconds', async () => {
    const PAUSE_S = 1.5
    let paused = false
    const epochs: number[] = []
    const startedAt = performance.now()
    await train({
      hyperparameters: HyperparametersSchema.parse({ epochs: 1, batchSize: 10, reportEvery: 5 }),
      train: syntheticSet(100, 3),
      test: syntheticSet(20, 4),
      yieldEvery: 5,
      control: {
        cancelled: () => false,
        waitWhilePaused: () => {
          if (paused) return Promise.resolve()
          paused = true
          return new Promise((resolve) => setTimeout(resolve, PAUSE_S * 1000))
        }
      },
      onEpoch: ({ summary }) => void epochs.push(summary.seconds)
    })
    const wall = (performance.now() - startedAt) / 1000
    expect(wall).toBeGreaterThan(PAUSE_S)
    expect(epochs).toHaveLength(1)
    expect(epochs[0]).toBeLessThan(wall - PAUSE_S + 0.2)
  })
})
