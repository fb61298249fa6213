/**
 * Training cancelled at random moments keeps the last good model. Real runs in a child process (the fork host the
 * CLI and web mode use) on a small MNIST subset are cancelled after a random number of batches (zero: while it
 * is still loading data; more than two epochs' worth: after it finished). Afterwards the model folder is either
 * absent, and the status says no model was saved, or loadable and holding the last completed epoch.
 */
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/core/backend'
import { ModelStore } from '../../../src/core/models'
import { createForkTrainingHost } from '../../../src/main/training'
import type { TrainingEvent, TrainingStatus } from '../../../src/shared/schemas/training'
import { seededRandom } from '../../support/mnist-sample'
import { MNIST_DIR, SEED, countFromEnv, recordFigures, tempDir } from './support'
import { hasMnist } from '../../support/paths'

const CANCELS = countFromEnv('HARDENING_CANCELS', 3)
const EPOCHS = 2
/** 2,000 images in batches of 100. */
const BATCHES_PER_EPOCH = 20
const random = seededRandom(SEED + 1)
const dir = tempDir('training-cancel')

beforeAll(async () => {
  await selectBackend('auto')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs one job and cancels it after `afterBatches` batch events (plus a little jitter). */
async function cancelAfter(modelId: string, afterBatches: number) {
  const host = createForkTrainingHost()
  const epochs: number[] = []
  let batches = 0
  let cancel: Promise<TrainingStatus> | null = null
  const requestCancel = () => {
    cancel ??= new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 30))).then(() =>
      host.cancel()
    )
  }
  const onEvent = (event: TrainingEvent) => {
    if (event.kind === 'epoch') epochs.push(event.epoch)
    if (event.kind === 'batch' && ++batches >= afterBatches) requestCancel()
  }
  host.start(
    {
      mnistFolder: MNIST_DIR,
      trainSubset: BATCHES_PER_EPOCH * 100,
      testSubset: 500,
      modelsDir: dir,
      modelId,
      hyperparameters: { epochs: EPOCHS, reportEvery: 1 }
    },
    onEvent
  )
  if (afterBatches === 0) requestCancel()
  const final = await host.finished()
  return { final, epochs }
}

describe.skipIf(!hasMnist())('training cancelled at random moments', () => {
  it(`${CANCELS} cancels each leave no model (and say so) or the last completed epoch`, async () => {
    const outcomes = { beforeFirstEpoch: 0, keptAnEpoch: 0, finishedFirst: 0 }
    for (let run = 0; run < CANCELS; run++) {
      const modelId = `run-${run}`
      // 0 = at once; up to a few batches past the end, so a cancel can also arrive after the run finished.
      const afterBatches = run === 0 ? 0 : Math.floor(random() * (EPOCHS * BATCHES_PER_EPOCH + 4))
      const { final, epochs } = await cancelAfter(modelId, afterBatches)
      const folder = path.join(dir, modelId)
      expect(['cancelled', 'done'], `${final.state}: ${final.message}`).toContain(final.state)
      if (epochs.length === 0) {
        expect(final.state).toBe('cancelled')
        expect(final.message).toMatch(/no model was saved/)
        expect(final.modelId).toBeUndefined()
        expect(existsSync(folder)).toBe(false)
        outcomes.beforeFirstEpoch++
        continue
      }
      expect(final.modelId).toBe(modelId)
      const model = await new ModelStore({ dir }).load(modelId)
      expect(model.metadata.epochsCompleted).toBe(epochs[epochs.length - 1])
      const probabilities = await model.predict(new Float32Array(784).fill(0.5), 1)
      expect(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-4)
      model.dispose()
      outcomes[final.state === 'done' ? 'finishedFirst' : 'keptAnEpoch']++
    }
    recordFigures('training-cancel', { cancels: CANCELS, ...outcomes })
  })
})
