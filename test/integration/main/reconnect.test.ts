/**
 * Defect 5: a window that reloads (here: a new web socket) gets back exactly what the first one saw — mid-training
 * and mid-import — and the last import survives a restart of the app.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebApp, type WebApp } from '../../../src/main/web/app'
import { JobsStateSchema } from '../../../src/shared/schemas/jobs'
import type { BatchProgress, EpochSummary } from '../../../src/shared/schemas/training'
import { writeDigitFolder } from '../../support/digit-folder'
import { MNIST_DIR, hasMnist } from '../../support/paths'
import { connectClient, type ReceivedEvent } from '../../support/ws-client'

let dataDir: string
let app: WebApp
const startApp = () => startWebApp({ dataDir, staticDir: join(dataDir, 'static'), log: () => undefined })

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'digit-studio-reconnect-'))
  app = await startApp()
})
afterAll(async () => {
  await app?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const payloads = <T>(events: ReceivedEvent[], name: string, kind?: string): T[] =>
  events
    .filter((e) => e.name === name && (kind === undefined || (e.payload as { kind?: string }).kind === kind))
    .map((e) => e.payload as T)

describe.skipIf(!hasMnist())('a reconnecting client', () => {
  it('gets the whole running training back: progress, epoch total, log; and what a cancel kept', async () => {
    const first = await connectClient(app.port, app.token)
    await first.value('training.start', {
      hyperparameters: { epochs: 5, reportEvery: 1, batchSize: 50 },
      mnistFolder: MNIST_DIR,
      trainSubset: 500,
      testSubset: 100,
      name: 'Reconnect test'
    })
    // After the first epoch, pause, so the stream stops and both views can be compared exactly.
    await first.waitFor((e) => e.name === 'training.event' && (e.payload as EpochSummary).kind === 'epoch')
    await first.value('training.pause', {})
    await first.waitFor(
      (e) => e.name === 'training.event' && (e.payload as { state?: string }).state === 'paused'
    )

    const second = await connectClient(app.port, app.token)
    const state = JobsStateSchema.parse(await second.value('jobs.state', {}))
    const training = state.training
    expect(training).not.toBeNull()
    if (!training) return
    expect(training.status.state).toBe('paused')
    expect(training.epochs).toBe(5)
    expect(training.name).toBe('Reconnect test')
    // Every batch event the first window saw, from the first step on (not just the latest ones).
    const seenBatches = payloads<BatchProgress>(first.events, 'training.event', 'batch')
    expect(seenBatches.length).toBeGreaterThan(5)
    expect(training.batches.map((b) => b.step)).toEqual(seenBatches.map((b) => b.step))
    expect(training.epochSummaries).toEqual(payloads(first.events, 'training.event', 'epoch'))
    expect(training.log).toEqual(payloads<{ line: string }>(first.events, 'training.log').map((l) => l.line))
    expect(training.log.length).toBeGreaterThan(0)

    const cancelled = await second.value('training.cancel', {})
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.kept).toMatchObject({ name: 'Reconnect test', epochsPlanned: 5 })
    const after = JobsStateSchema.parse(await first.value('jobs.state', {}))
    expect(after.training?.kept?.epochsCompleted).toBeGreaterThanOrEqual(1)
    expect(after.training?.kept?.id).toBe(cancelled.modelId)
    first.close()
    second.close()
  })

  it('gets the running import back, then its result, also after a restart', async () => {
    const folder = join(dataDir, 'scans')
    await writeDigitFolder(folder, 3000)
    const first = await connectClient(app.port, app.token)
    const running = first.value('testset.import', { folder })
    await first.waitFor((e) => e.name === 'testset.progress' && (e.payload as { done: number }).done > 0)
    const second = await connectClient(app.port, app.token)
    const mid = JobsStateSchema.parse(await second.value('jobs.state', {}))
    expect(mid.import).toMatchObject({ state: 'running', folder, result: null })
    expect(mid.import?.progress?.total).toBe(3000)

    const result = await running
    const done = JobsStateSchema.parse(await second.value('jobs.state', {}))
    expect(done.import?.state).toBe('done')
    expect(done.import?.result?.importId).toBe(result.importId)
    expect(done.import?.result?.samples.length).toBe(3000)
    first.close()
    second.close()

    // The last test-set result survives a restart, and can still be exported.
    await app.close()
    app = await startApp()
    const third = await connectClient(app.port, app.token)
    const restored = JobsStateSchema.parse(await third.value('jobs.state', {}))
    expect(restored.import?.result?.importId).toBe(result.importId)
    expect(restored.import?.result?.evaluation?.accuracy).toBe(result.evaluation?.accuracy)
    const exported = await third.value('testset.export', { importId: result.importId, format: 'json' })
    expect(exported.content.length).toBeGreaterThan(100)
    third.close()
  })
})
