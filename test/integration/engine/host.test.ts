import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createForkTrainingHost } from '../../../src/main/training'
import { ModelStore } from '../../../src/core/models'
import { selectBackend } from '../../../src/core/backend'
import type { TrainingEvent } from '../../../src/shared/schemas/training'
import { MNIST_DIR, tempDir } from '../../support/engine'
import { hasMnist } from '../../support/paths'

function collect() {
  const events: TrainingEvent[] = []
  let resolveEpoch: () => void = () => {}
  const firstEpoch = new Promise<void>((resolve) => (resolveEpoch = resolve))
  let resolveBatch: () => void = () => {}
  const firstBatch = new Promise<void>((resolve) => (resolveBatch = resolve))
  const onEvent = (event: TrainingEvent) => {
    events.push(event)
    if (event.kind === 'epoch') resolveEpoch()
    if (event.kind === 'batch') resolveBatch()
  }
  return { events, onEvent, firstEpoch, firstBatch }
}

const job = (modelsDir: string, epochs: number) => ({
  mnistFolder: MNIST_DIR,
  trainSubset: 2000,
  testSubset: 500,
  modelsDir,
  modelId: 'run',
  hyperparameters: { epochs, reportEvery: 1, learningRate: 0.01 }
})

describe('training in a child process', () => {
  it.skipIf(!hasMnist())('pauses, resumes, and on cancel keeps the last completed epoch', async () => {
    const modelsDir = tempDir()
    const host = createForkTrainingHost()
    const { events, onEvent, firstEpoch } = collect()
    host.start(job(modelsDir, 200), onEvent)
    expect(() => host.start(job(modelsDir, 1), () => {})).toThrow(/already/)
    await firstEpoch
    host.pause()
    await new Promise((r) => setTimeout(r, 300))
    expect(host.status().state).toBe('paused')
    const stepsWhilePaused = events.filter((e) => e.kind === 'batch').length
    await new Promise((r) => setTimeout(r, 300))
    expect(events.filter((e) => e.kind === 'batch').length).toBe(stepsWhilePaused)
    host.resume()
    const final = await host.cancel()
    expect(final.state).toBe('cancelled')
    expect(final.modelId).toBe('run')
    await selectBackend('auto')
    const store = new ModelStore({ dir: modelsDir })
    const model = await store.load('run')
    const lastEpoch = events.filter((e) => e.kind === 'epoch').pop()
    expect(model.metadata.epochsCompleted).toBe(lastEpoch?.kind === 'epoch' ? lastEpoch.epoch : -1)
    expect(model.metadata.testAccuracy).toBeGreaterThan(0.5)
    model.dispose()
    const states = events.filter((e) => e.kind === 'status').map((e) => (e.kind === 'status' ? e.state : ''))
    expect(states).toEqual(expect.arrayContaining(['loading-data', 'running', 'paused', 'cancelled']))
  })

  it.skipIf(!hasMnist())('a cancel before the first epoch ends saves nothing and says so', async () => {
    const modelsDir = tempDir()
    const host = createForkTrainingHost()
    const { onEvent, firstBatch } = collect()
    host.start(job(modelsDir, 5), onEvent)
    await firstBatch
    const final = await host.cancel()
    expect(final.state).toBe('cancelled')
    expect(final.modelId).toBeUndefined()
    expect(final.message).toMatch(/no model was saved/)
    expect(existsSync(path.join(modelsDir, 'run'))).toBe(false)
  })

  it('reports a failure with the reason (missing MNIST folder)', async () => {
    const host = createForkTrainingHost()
    host.start({ ...job(tempDir(), 1), mnistFolder: path.join(tempDir(), 'nothing') }, () => {})
    const final = await host.finished()
    expect(final.state).toBe('failed')
    expect(final.message).toMatch(/not found/)
  })
})
