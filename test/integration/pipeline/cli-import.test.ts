import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/index'
import type { CliIo } from '../../../src/cli/types'
import { selectBackend } from '../../../src/core/backend'
import { initWeights, layerSizes } from '../../../src/core/model/mlp'
import { buildMetadata, writeModelFolder } from '../../../src/core/models'
import { EvaluationSchema } from '../../../src/shared/schemas/evaluation'
import { SampleResultSchema } from '../../../src/shared/schemas/import'
import { HyperparametersSchema } from '../../../src/shared/schemas/training'
import { USPS_DIR as USPS } from '../../support/paths'

const root = mkdtempSync(path.join(tmpdir(), 'digit-cli-import-'))
const modelDir = path.join(root, 'model')
const folder = path.join(root, 'scans')

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false }
  const code = await main(args, io)
  return { code, out, err }
}

beforeAll(async () => {
  // The CLI's plumbing is under test, not recognition: an untrained model with fixed weights is enough.
  await selectBackend('auto')
  const metadata = buildMetadata({
    id: 'untrained',
    name: 'untrained',
    hyperparameters: HyperparametersSchema.parse({}),
    epochsCompleted: 0,
    trainSamples: 0,
    dataChecksums: {},
    testAccuracy: null,
    testLoss: null,
    backend: 'cpu',
    trainingSeconds: 0
  })
  await writeModelFolder(modelDir, initWeights(layerSizes([100, 100]), 1), metadata)
  for (const digit of ['3', '7']) {
    for (const n of ['00', '01', '02'])
      cpSync(path.join(USPS, digit, `${n}.png`), path.join(folder, digit, `${n}.png`))
  }
  writeFileSync(path.join(folder, 'notes.png'), 'not an image')
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('digit-studio import', () => {
  it('--json prints one document: accuracy, per-digit table, confusion, per-sample list, skipped files', async () => {
    const exportFile = path.join(root, 'table.csv')
    const { code, out } = await cli(['import', folder, '--model', modelDir, '--json', '--export', exportFile])
    expect(code).toBe(0)
    const doc = JSON.parse(out)
    expect(doc.accuracy).toBeGreaterThanOrEqual(0)
    expect(doc.accuracy).toBeLessThanOrEqual(1)
    expect(doc.labelled).toBe(6)
    expect(doc.perDigit).toHaveLength(10)
    expect(doc.perDigit[3]).toMatchObject({ samples: 3 })
    expect(
      EvaluationSchema.shape.confusion
        .parse(doc.confusion)
        .flat()
        .reduce((a, b) => a + b, 0)
    ).toBe(6)
    expect(doc.perSample).toHaveLength(6)
    for (const sample of doc.perSample) SampleResultSchema.parse(sample)
    expect(doc.skipped).toEqual([
      { file: 'notes.png', reason: expect.stringMatching(/not a supported image/) }
    ])
    const csv = readFileSync(exportFile, 'utf8')
    expect(csv.startsWith('\uFEFFdigit,samples,correct,accuracy_percent')).toBe(true)
  })

  it('prints the per-digit table without --json', async () => {
    const { code, out } = await cli(['import', folder, '--model', modelDir])
    expect(code).toBe(0)
    expect(out).toMatch(/Imported 6 images/)
    expect(out).toMatch(/digit\s+samples\s+correct\s+accuracy/)
    expect(out).toMatch(/notes\.png: not a supported image/)
  })

  it('exits 1 naming a missing folder, 2 for usage errors', async () => {
    const missing = await cli(['import', path.join(root, 'nope'), '--model', modelDir])
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/nope: folder not found/)
    expect((await cli(['import'])).code).toBe(2)
    expect((await cli(['import', folder, '--export', path.join(root, 'x.txt')])).code).toBe(2)
    expect((await cli(['import', folder, '--format', 'bogus', '--export', 'x.csv'])).code).toBe(2)
  })
})
