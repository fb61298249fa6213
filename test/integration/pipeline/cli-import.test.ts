import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/index'
import type { CliIo } from '../../../src/cli/types'
import { selectBackend } from '../../../src/core/backend'
import { initWeights, layerSizes } from '../../../src/core/model/mlp'
import { buildMetadata, writeModelFolder } from '../../../src/core/models'
import { EvaluationSchema } from '../../../src/shared/schemas/evaluation'
import { SampleResultSchema } from '../../../src/shared/schemas/import'
import { HyperparametersSchema } from '../../../src/shared/schemas/training'

const root = mkdtempSync(path.join(tmpdir(), 'digit-cli-import-'))
const modelDir = path.join(root, 'model')
const folder = path.join(root, 'scans')

/** A 40×40 white image with a dark bar whose slant depends on `variant`. */
async function strokePng(variant: number): Promise<Buffer> {
  const side = 40
  const pixels = Buffer.alloc(side * side, 255)
  for (let y = 8; y < 32; y++) {
    const x = 16 + Math.round(((y - 20) * variant) / 6)
    for (let dx = 0; dx < 5; dx++) pixels[y * side + x + dx] = 20
  }
  return sharp(pixels, { raw: { width: side, height: side, channels: 1 } })
    .png()
    .toBuffer()
}

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
  // Synthetic scans (dark strokes on white): the plumbing needs images, not real hand-writing.
  for (const digit of ['3', '7']) {
    mkdirSync(path.join(folder, digit), { recursive: true })
    for (const n of [0, 1, 2]) writeFileSync(path.join(folder, digit, `0${n}.png`), await strokePng(n))
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
    for (const sample of doc.perSample) SampleResultSchema.omit({ view28: true }).parse(sample)
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

  it('--export into a missing folder: one line naming it, exit 1, no stack trace, before any work', async () => {
    const target = path.join(root, 'missing', 'table.csv')
    const { code, out, err } = await cli(['import', folder, '--model', modelDir, '--export', target])
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err.trim().split('\n')).toHaveLength(1)
    expect(err).toContain(path.join(root, 'missing'))
    expect(err).not.toMatch(/\n\s+at /)
  })

  it('--json and the JSON export are one document shape, naming the model', async () => {
    const exportFile = path.join(root, 'result.json')
    const { code, out } = await cli(['import', folder, '--model', modelDir, '--json', '--export', exportFile])
    expect(code).toBe(0)
    const printed = JSON.parse(out)
    const exported = JSON.parse(readFileSync(exportFile, 'utf8'))
    expect(Object.keys(exported).sort()).toEqual(Object.keys(printed).sort())
    expect(exported).toEqual(printed)
    expect(printed).toMatchObject({ modelName: 'untrained', outcome: 'evaluated' })
    expect(printed.counts).toMatchObject({ images: 6, labelled: 6, skipped: 1 })
  })

  it('says "No images found" for an empty folder', async () => {
    const empty = mkdtempSync(path.join(root, 'empty-'))
    const { code, out } = await cli(['import', empty, '--model', modelDir])
    expect(code).toBe(0)
    expect(out).toMatch(/No images found/)
  })
})

describe('digit-studio predict', () => {
  it('reports a bad file with its reason and still predicts the others; exit 1', async () => {
    const bad = path.join(root, 'broken.png')
    writeFileSync(bad, 'hello')
    const good = path.join(folder, '3', '00.png')
    const text = await cli(['predict', '--model', modelDir, bad, good])
    expect(text.code).toBe(1)
    expect(text.out).toMatch(new RegExp(`${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d`))
    expect(text.err).toContain(`${bad}: not a supported image`)
    expect(text.err).not.toMatch(/\n\s+at /)
    const json = await cli(['predict', '--model', modelDir, bad, good, '--json'])
    expect(json.code).toBe(1)
    const doc = JSON.parse(json.out)
    expect(doc.predictions.map((p: { error: string | null }) => p.error !== null)).toEqual([true, false])
    expect(doc.predictions[1].digit).toEqual(expect.any(Number))
  })
})
