/**
 * An import folder that changes while it is imported: a slow classifier deletes files, truncates one and adds
 * new ones between batches. The import finishes, and every file that vanished or changed is reported in
 * `skipped` with a reason; files that appeared are reported too (they were not imported).
 */
import { mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFolder, type Classifier } from '../../../src/core/import'
import { seededRandom } from '../../support/mnist-sample'
import { writeDigitFolder } from '../../support/digit-folder'
import { SEED, recordFigures, tempDir } from './support'
import { hasMnist } from '../../support/paths'

const FILES = 120
const BATCH = 16
const dir = tempDir('import-changes')

beforeAll(() => writeDigitFolder(dir, FILES))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(!hasMnist())('an import folder that changes during the import', () => {
  it('finishes, and reports the files deleted, damaged and added while it ran', async () => {
    const all = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.png'))
      .map((f) => f.split(path.sep).join('/'))
      .sort(new Intl.Collator('en', { numeric: true }).compare)
    const random = seededRandom(SEED)
    // Files late in the import's (natural) order, so they are still waiting when the first batch is classified.
    const late = all.slice(all.length / 2)
    const deleted = late.filter(() => random() < 0.25)
    const damaged = late.find((f) => !deleted.includes(f)) as string
    const added = ['3/extra-1.png', '7/extra-2.png', 'new-folder/extra-3.png']
    let calls = 0
    const classifier: Classifier = {
      id: 'slow-and-meddling',
      async predict(_pixels, count) {
        if (calls++ === 0) {
          for (const f of deleted) unlinkSync(path.join(dir, f))
          writeFileSync(
            path.join(dir, damaged),
            Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])
          )
          for (const f of added) {
            mkdirSync(path.dirname(path.join(dir, f)), { recursive: true })
            writeFileSync(path.join(dir, f), Buffer.alloc(10))
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
        return new Float32Array(count * 10).fill(0.1)
      }
    }
    const result = await importFolder(dir, classifier, { batchSize: BATCH, concurrency: 2 })
    const skipped = new Map(result.skipped.map((s) => [s.file, s.reason]))
    expect(calls).toBeGreaterThan(1)
    expect(deleted.length).toBeGreaterThan(3)
    for (const f of deleted) expect(skipped.get(f), f).toMatch(/deleted|moved|does not exist/)
    expect(skipped.get(damaged)).toMatch(/damaged|truncated|corrupt/)
    for (const f of added) expect(skipped.get(f), f).toMatch(/added/)
    // Every file that was there at the start is either a result or a skip, once.
    const samples = new Set(result.samples.map((s) => s.file))
    for (const f of all) expect(samples.has(f) !== skipped.has(f), f).toBe(true)
    expect(result.samples.length).toBe(all.length - deleted.length - 1)
    recordFigures('import-changes', {
      files: all.length,
      deletedDuringImport: deleted.length,
      damagedDuringImport: 1,
      addedDuringImport: added.length,
      reportedInSkipped: result.skipped.length
    })
  })
})
