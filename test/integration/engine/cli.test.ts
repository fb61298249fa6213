import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readModelFolder } from '../../../src/core/models'
import { tuningVerdict } from '../../../src/core/personal/verdict'
import { EvaluationSchema } from '../../../src/shared/schemas/evaluation'
import { runCli } from '../../support/cli'
import { writeDigitFolder } from '../../support/digit-folder'
import { MNIST_DIR, USPS_DIR, tempDir } from '../../support/engine'
import { hasMnist, hasUsps } from '../../support/paths'

const cli = runCli

const modelDir = path.join(tempDir(), 'tiny')

beforeAll(async () => {
  if (!hasMnist()) return
  const train = await cli([
    'train',
    '--mnist',
    MNIST_DIR,
    '--epochs',
    '1',
    '--train-limit',
    '3000',
    '--test-limit',
    '500',
    '--learning-rate',
    '0.01',
    '--batch-size',
    '50',
    '--out',
    modelDir,
    '--json'
  ])
  expect(train.err).toBe('')
  expect(train.code).toBe(0)
  const doc = JSON.parse(train.out)
  expect(doc.accuracy).toBeGreaterThan(0.8)
  expect(doc.epochs).toHaveLength(1)
})

describe.skipIf(!hasMnist())('digit-studio CLI', () => {
  it('calibrates a model trained on a subset on training images it never saw', async () => {
    const metadata = JSON.parse(readFileSync(path.join(modelDir, 'metadata.json'), 'utf8'))
    const [first, last] = /images (\d+)-(\d+)/.exec(metadata.calibration.source)?.slice(1).map(Number) ?? []
    expect(first).toBeGreaterThan(3000)
    expect(last - first + 1).toBe(metadata.calibration.samples)
  })

  it('eval --json prints one document with accuracy, the per-digit table and the confusion matrix', async () => {
    const { code, out } = await cli([
      'eval',
      '--model',
      modelDir,
      '--mnist',
      MNIST_DIR,
      '--test-limit',
      '500',
      '--json'
    ])
    expect(code).toBe(0)
    const doc = JSON.parse(out)
    const evaluation = EvaluationSchema.parse(doc)
    expect(evaluation.samples).toBe(500)
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(500)
    expect(evaluation.confusion.reduce((sum, row, d) => sum + row[d], 0)).toBe(evaluation.correct)
    expect(doc.accuracy).toBeCloseTo(evaluation.correct / 500, 10)
  })

  it('eval uses the shipped model by default, and it is accurate', async () => {
    const { code, out } = await cli(['eval', '--mnist', MNIST_DIR, '--test-limit', '2000', '--json'])
    expect(code).toBe(0)
    const doc = JSON.parse(out)
    expect(doc.model).toMatch(/resources[/\\]models[/\\]default$/)
    expect(doc.accuracy).toBeGreaterThan(0.97)
  })

  it('eval without --json prints a readable table', async () => {
    const { code, out } = await cli([
      'eval',
      '--model',
      modelDir,
      '--mnist',
      MNIST_DIR,
      '--test-limit',
      '200'
    ])
    expect(code).toBe(0)
    expect(out).toMatch(/Accuracy \d+\.\d\d%/)
    expect(out).toMatch(/most frequent wrong/)
  })

  it.skipIf(!hasUsps())('predict reads images through the import preprocessing', async () => {
    const images = ['3/00.png', '7/00.png'].map((f) => path.join(USPS_DIR, f))
    const { code, out } = await cli(['predict', '--model', modelDir, ...images, '--json'])
    expect(code).toBe(0)
    const doc = JSON.parse(out)
    expect(doc.predictions).toHaveLength(2)
    for (const p of doc.predictions) {
      expect(p.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4)
    }
  })

  it('tune teaches a labelled folder into a new model and says whether it is worth using', async () => {
    const folder = path.join(tempDir(), 'to-teach')
    await writeDigitFolder(folder, 60)
    const baseFiles = readFileSync(path.join(modelDir, 'weights.bin'))
    const out = path.join(tempDir(), 'tuned')
    const args = ['tune', folder, '--model', modelDir, '--mnist', MNIST_DIR, '--epochs', '1']
    const json = await cli([...args, '--out', out, '--json'])
    expect(json.err).toBe('')
    expect(json.code).toBe(0)
    const doc = JSON.parse(json.out)
    expect(doc.state).toBe('done')
    expect(doc.trainSamples + doc.heldOutSamples).toBe(60)
    expect(doc.heldOutSamples).toBeGreaterThan(0)
    expect(doc.verdict).toBe(tuningVerdict(doc))
    expect((await readModelFolder(out)).metadata.id).toBe('tuned')
    expect(readFileSync(path.join(modelDir, 'weights.bin')).equals(baseFiles)).toBe(true)
    // The same run in words: the figures and the same verdict, said as a line.
    const text = await cli([...args, '--out', path.join(tempDir(), 'tuned-again')])
    expect(text.code).toBe(0)
    expect(text.out).toMatch(/held-out images of .*to-teach \(\d+\): \d/)
    expect(text.out).toContain(`verdict: ${doc.verdict}`)
    expect((await cli([...args, '--out', modelDir])).code).toBe(2)
  })

  it('exit code 1 names the bad file and the reason; exit code 2 for usage errors', async () => {
    const bad = path.join(tempDir(), 'not-an-image.png')
    writeFileSync(bad, 'hello')
    const predict = await cli(['predict', '--model', modelDir, bad])
    expect(predict.code).toBe(1)
    expect(predict.err).toContain(bad)
    const missingModel = await cli(['eval', '--model', path.join(tempDir(), 'none'), '--mnist', MNIST_DIR])
    expect(missingModel.code).toBe(1)
    expect(missingModel.err).toMatch(/not found/)
    expect((await cli(['eval', '--bogus'])).code).toBe(2)
    expect((await cli(['train', '--epochs', 'many'])).code).toBe(2)
    expect((await cli(['predict'])).code).toBe(2)
    expect((await cli(['frobnicate'])).code).toBe(2)
  })
})
