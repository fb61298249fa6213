/**
 * A big folder import through the contract (testset.import with the shipped model) with bounded memory, and a
 * second import of the same folder cancelled midway through testset.cancel, which must stop promptly with a
 * 'cancelled' error. `npm test` writes 2,000 PNGs into a temporary folder; the soak imports 60,000, kept under
 * os.tmpdir()/digit-studio-soak-60k between runs because writing them takes minutes.
 */
import { rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Prediction } from '../../../src/shared/schemas/images'
import type { ImportProgress, ImportResult } from '../../../src/shared/schemas/import'
import { readMnist } from '../../support/mnist-sample'
import { cachedDigitFolder, writeDigitFolder } from '../../support/digit-folder'
import { startServices, type RunningServices } from '../../support/services'
import { countFromEnv, memory, recordFigures, rssSampler, tempDir } from './support'
import { hasMnist } from '../../support/paths'

const FILES = countFromEnv('HARDENING_IMPORT_FILES', 2000)
/** Large folders are cached between soak runs; small ones are written fresh. */
const CACHE_FROM = 10_000
const CANCEL_WITHIN_MS = 2000
/**
 * Peak RSS growth allowed over the resting process: decoding runs on a small pool and forms go to the model in
 * batches, so only the result (a few hundred bytes per image) grows with the folder.
 */
const peakBudgetMiB = (files: number) => 200 + files / 100

const work = tempDir('load-import')
const folder = FILES >= CACHE_FROM ? path.join(os.tmpdir(), `digit-studio-soak-${FILES / 1000}k`) : work
let app: RunningServices
/** The latest progress event, written by the event handler. */
const seen: { progress: ImportProgress | null } = { progress: null }
/** A function, so TypeScript does not narrow away the handler's writes inside the waiting loop. */
const filesDone = (): number => seen.progress?.done ?? 0

beforeAll(async () => {
  if (!hasMnist()) return
  const started = performance.now()
  if (FILES >= CACHE_FROM) await cachedDigitFolder(folder, FILES)
  else await writeDigitFolder(folder, FILES)
  recordFigures('load-import', {
    files: FILES,
    secondsToWriteFolder: Math.round((performance.now() - started) / 100) / 10
  })
  app = await startServices(path.join(work, 'data'))
  app.events.subscribe((event, payload) => {
    if (event === 'testset.progress') seen.progress = payload as ImportProgress
  })
}, 900_000)
afterAll(async () => {
  await app?.services.dispose()
  rmSync(work, { recursive: true, force: true })
})

describe.skipIf(!hasMnist())(`a folder of ${FILES} images`, () => {
  it('imports completely with bounded memory', async () => {
    // The model loads on first use: load it first, so the figures measure the import alone.
    const digit = Buffer.from(readMnist('t10k', 1).images[0]).toString('base64')
    const warmUp = await app.call('predict.image', { width: 28, height: 28, pixels: digit })
    expect(warmUp.ok && (warmUp.value as Prediction).digit).not.toBeNull()
    const before = memory()
    const sampler = rssSampler()
    const started = performance.now()
    const answer = await app.call('testset.import', { folder })
    const seconds = (performance.now() - started) / 1000
    const peakRssMiB = sampler.stop()
    if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`)
    const result = answer.value as ImportResult
    expect(result.samples.length + result.skipped.length).toBe(FILES)
    expect(result.skipped).toEqual([])
    const after = memory()
    recordFigures('load-import', {
      importSeconds: Math.round(seconds * 10) / 10,
      imagesPerSecond: Math.round(FILES / seconds),
      accuracy: result.evaluation?.accuracy ?? null,
      rssBeforeMiB: before.rssMiB,
      peakRssMiB,
      peakGrowthMiB: Math.round((peakRssMiB - before.rssMiB) * 10) / 10,
      rssAfterMiB: after.rssMiB
    })
    expect(result.evaluation?.accuracy).toBeGreaterThan(0.8)
    expect(peakRssMiB - before.rssMiB).toBeLessThan(peakBudgetMiB(FILES))
  }, 900_000)

  it('a second import cancelled midway stops promptly with a cancelled error', async () => {
    seen.progress = null
    const importing = app.call('testset.import', { folder })
    while (filesDone() < FILES / 4) await new Promise((resolve) => setTimeout(resolve, 10))
    const doneAtCancel = filesDone()
    const cancelledAt = performance.now()
    const cancel = await app.call('testset.cancel', {})
    expect(cancel.ok && (cancel.value as { cancelled: boolean }).cancelled).toBe(true)
    const answer = await importing
    const stopMs = performance.now() - cancelledAt
    expect(answer.ok).toBe(false)
    if (!answer.ok) expect(answer.error.code).toBe('cancelled')
    recordFigures('load-import', {
      cancelAfterFiles: doneAtCancel,
      cancelStoppedWithinMs: Math.round(stopMs)
    })
    expect(stopMs).toBeLessThan(CANCEL_WITHIN_MS)
    // The service is free again: a new import is accepted.
    const status = await app.call('testset.cancel', {})
    expect(status.ok && (status.value as { cancelled: boolean }).cancelled).toBe(false)
  }, 900_000)
})
