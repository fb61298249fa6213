/**
 * An import keeps going whatever happens around it (issue 13, items 9 and 10): the active model renamed,
 * switched, deleted and the backend changed while testset.import runs must not end it with "model was
 * disposed"; a data folder where settings cannot be saved (a real ENOSPC) must not lose the import's result.
 * HARDENING_CHURN_FILES images per import.
 */
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { safeWriteHooks } from '../../../src/core/fs/safe-write'
import { ModelStore } from '../../../src/core/models'
import type { ImportResult } from '../../../src/shared/schemas/import'
import { writeDigitFolder } from '../../support/digit-folder'
import { modelVersion } from './saved-versions'
import { startServices, type RunningServices } from '../../support/services'
import { countFromEnv, MNIST_DIR, recordFigures, tempDir } from './support'

const FILES = countFromEnv('HARDENING_CHURN_FILES', 300)
const haveMnist = existsSync(MNIST_DIR)
if (!haveMnist) console.warn(`[import-churn] skipped: no MNIST at ${MNIST_DIR} to write digit scans from`)

const root = tempDir('import-churn')
const folder = path.join(root, 'digits')
let app: RunningServices

beforeAll(async () => {
  if (!haveMnist) return
  await writeDigitFolder(folder, FILES)
  app = await startServices(path.join(root, 'data'))
  const store = new ModelStore({ dir: path.join(root, 'data', 'models') })
  for (const id of ['mine', 'other']) {
    const v = modelVersion(id === 'mine' ? 1 : 2)
    await store.save(id, v.weights, v.metadata)
  }
}, 300_000)
afterAll(async () => {
  safeWriteHooks.beforeWrite = undefined
  await app?.services.dispose()
  rmSync(root, { recursive: true, force: true })
})

describe.runIf(haveMnist)('an import while the library changes', () => {
  it('survives its model being renamed, switched, deleted and the backend changing', async () => {
    expect((await app.call('models.setActive', { id: 'mine' })).ok).toBe(true)
    const importing = app.call('testset.import', { folder })
    // Let the import load its model and start decoding, then change everything under it.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const changes = [
      await app.call('models.rename', { id: 'mine', name: 'renamed meanwhile' }),
      await app.call('models.setActive', { id: 'other' }),
      await app.call('settings.set', { backend: 'cpu' }),
      await app.call('models.delete', { id: 'mine' }),
      await app.call('settings.set', { backend: 'auto' })
    ]
    for (const change of changes) expect(change.ok).toBe(true)
    const result = await importing
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
    const value = result.value as ImportResult
    expect(value.samples).toHaveLength(FILES)
    expect(value.modelId).toBe('mine')
    recordFigures('import-churn', { files: FILES, changesDuringImport: changes.length })
  })

  it('returns its result when the settings cannot be saved (a full disk)', async () => {
    safeWriteHooks.beforeWrite = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    }
    const result = await app.call('testset.import', { folder })
    safeWriteHooks.beforeWrite = undefined
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
    expect((result.value as ImportResult).samples).toHaveLength(FILES)
  })
})
