import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFolder, ImportError, type Classifier } from '../../../src/core/import'
import { toMnistForm } from '../../../src/core/preprocess'
import { ImportResultSchema, type ImportResult } from '../../../src/shared/schemas/import'
import { writeBmp } from '../../support/bmp-writer'
import { readMnist } from '../../support/mnist-sample'
import { hasMnist } from '../../support/paths'

const mnist = readMnist('t10k', 40)
/** MNIST test digit `index` as a scan: 3× larger, dark ink on white, with a margin. */
function scan(index: number): { data: Uint8Array; width: number; height: number } {
  const side = 100
  const data = new Uint8Array(side * side).fill(250)
  for (let y = 0; y < 84; y++) {
    for (let x = 0; x < 84; x++) {
      data[(y + 8) * side + x + 8] =
        250 - Math.round(mnist.images[index][Math.floor(y / 3) * 28 + Math.floor(x / 3)] * 0.9)
    }
  }
  return { data, width: side, height: side }
}
const raw = (index: number) => {
  const { data, width, height } = scan(index)
  return sharp(Buffer.from(data), { raw: { width, height, channels: 1 } })
}
/** Index of the first test digit with this label, from `after` on. */
const digitIndex = (label: number, after = 0) => mnist.labels.findIndex((l, i) => i >= after && l === label)

/**
 * Recognises exactly the digits the test wrote: the label of the most correlated template (the MNIST form of each
 * source digit). Deterministic and independent of any trained model.
 */
function templateClassifier(): Classifier {
  const templates = mnist.images.map((_, i) => {
    const form = toMnistForm(scan(i))
    if (form.kind !== 'digit') throw new Error('template without digit')
    return form.pixels
  })
  return {
    id: 'templates',
    async predict(pixels, count) {
      const out = new Float32Array(count * 10)
      for (let n = 0; n < count; n++) {
        const x = pixels.subarray(n * 784, (n + 1) * 784)
        let best = -Infinity
        let label = 0
        templates.forEach((t, i) => {
          let dot = 0
          for (let k = 0; k < 784; k++) dot += (t[k] - 0.5) * (x[k] - 0.5)
          if (dot > best) {
            best = dot
            label = mnist.labels[i]
          }
        })
        out.fill(0.02, n * 10, n * 10 + 10)
        out[n * 10 + label] = 0.82
      }
      return out
    }
  }
}

const root = mkdtempSync(join(tmpdir(), 'digit-import-'))
const folder = join(root, 'scans')
let result: ImportResult
const progress: { done: number; total: number }[] = []

// file → [MNIST index, expected label, label source]
const good: Record<string, [number, number | null, string | null]> = {}

beforeAll(async () => {
  if (!hasMnist()) return
  const write = async (file: string, content: Buffer | Promise<Buffer>) => {
    mkdirSync(join(folder, file, '..'), { recursive: true })
    writeFileSync(join(folder, file), await content)
  }
  const add = async (
    file: string,
    label: number,
    source: string | null,
    encode: (i: number) => Promise<Buffer> | Buffer,
    expected: number | null = label
  ) => {
    const index = digitIndex(label, Object.keys(good).length)
    good[file] = [index, expected, source]
    await write(file, encode(index))
  }
  // Labels from folders, in every supported format.
  await add('3/a.png', 3, 'folder', (i) => raw(i).png().toBuffer())
  await add('3/b.jpg', 3, 'folder', (i) => raw(i).jpeg({ quality: 92 }).toBuffer())
  await add('1/nested/c.webp', 1, 'folder', (i) => raw(i).webp({ lossless: true }).toBuffer())
  await add('0/d.tiff', 0, 'folder', (i) => raw(i).tiff({ compression: 'lzw' }).toBuffer())
  await add('2/e.gif', 2, 'folder', (i) => raw(i).gif().toBuffer())
  await add('4/f.bmp', 4, 'folder', (i) => {
    const { data, width, height } = scan(i)
    return writeBmp(data, width, height, '24')
  })
  // Labels from file names.
  await add('loose/7_012.png', 7, 'file-name', (i) => raw(i).png().toBuffer())
  await add('loose/012_9.png', 9, 'file-name', (i) => raw(i).png().toBuffer())
  await add('loose/digit6-001.jpg', 6, 'file-name', (i) => raw(i).jpeg().toBuffer())
  // Labels from labels.csv, which also beats a folder name; the image in 5/ is really a 5 but listed as 8.
  await add('loose/scan-a.png', 5, 'labels.csv', (i) => raw(i).png().toBuffer())
  await add('5/listed.png', 5, 'labels.csv', (i) => raw(i).png().toBuffer(), 8)
  // No label at all, and a file without extension that is still a PNG.
  await add('unknown.png', 1, null, (i) => raw(i).png().toBuffer(), null)
  await add('noextension', 2, null, (i) => raw(i).png().toBuffer(), null)
  await write(
    'labels.csv',
    Buffer.from('file,label\nloose/scan-a.png,5\n5/listed.png,8\nmissing.png,3\nloose/7_012.png,x\n')
  )

  // Bad files.
  const png = await raw(0).png().toBuffer()
  await write('bad/corrupt.png', png.subarray(0, Math.floor(png.length / 2)))
  await write('bad/text.png', Buffer.from('This is a text file, not a PNG.\n'))
  await write('bad/empty.png', Buffer.alloc(0))
  await write(
    'bad/huge.png',
    sharp({ create: { width: 400, height: 300, channels: 3, background: '#fff' } })
      .png()
      .toBuffer()
  )
  await write('README.txt', Buffer.from('scans of my digits'))
  await write('.DS_Store', Buffer.from('hidden clutter'))
  await write(
    'bad/blank.png',
    sharp({ create: { width: 50, height: 50, channels: 3, background: '#fff' } })
      .png()
      .toBuffer()
  )

  result = await importFolder(folder, templateClassifier(), {
    maxPixels: 100_000,
    batchSize: 4,
    onProgress: (p) => progress.push(p)
  })
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe.skipIf(!hasMnist())('importFolder', () => {
  it('returns a result that satisfies the schema', () => {
    expect(ImportResultSchema.parse(result)).toEqual(result)
    expect(result.modelId).toBe('templates')
    expect(result.folder).toBe(folder)
  })

  it('evaluates every good image with its label and label source', () => {
    for (const [file, [, label, source]] of Object.entries(good)) {
      const sample = result.samples.find((s) => s.file === file)
      expect(sample, file).toBeDefined()
      expect(sample).toMatchObject({ label, labelSource: source, noDigit: false })
      expect(sample?.top3).toHaveLength(3)
      expect(sample?.confidence).toBeCloseTo(0.82, 5)
    }
  })

  it('recognises the digits and counts the mislabelled one as a confusion', () => {
    for (const [file, [index]] of Object.entries(good)) {
      expect(result.samples.find((s) => s.file === file)?.predicted, file).toBe(mnist.labels[index])
    }
    const evaluation = result.evaluation
    expect(evaluation).not.toBeNull()
    // 13 good images, 2 of them unlabelled; the blank image in bad/ has no label either.
    expect(evaluation?.samples).toBe(11)
    expect(evaluation?.correct).toBe(10)
    expect(evaluation?.confusion[8][5]).toBe(1)
    expect(evaluation?.perDigit[3]).toMatchObject({ samples: 2, correct: 2, accuracy: 1 })
  })

  it('lists every bad file with its reason and goes on', () => {
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.file, s.reason]))
    expect(reasons['bad/corrupt.png']).toMatch(/damaged|truncated/)
    expect(reasons['bad/text.png']).toMatch(/not a supported image/)
    expect(reasons['bad/empty.png']).toMatch(/empty/)
    expect(reasons['bad/huge.png']).toMatch(/pixels/)
    expect(reasons['README.txt']).toMatch(/not a supported image/)
    expect(reasons['labels.csv']).toMatch(/missing\.png/)
    expect(reasons['labels.csv:5']).toMatch(/not a digit/)
    expect(reasons['.DS_Store']).toBeUndefined()
    for (const file of Object.keys(reasons)) expect(result.samples.some((s) => s.file === file)).toBe(false)
  })

  it('keeps an image without ink as a sample with no digit, not a guess', () => {
    expect(result.samples.find((s) => s.file === 'bad/blank.png')).toMatchObject({
      noDigit: true,
      predicted: null
    })
  })

  it('reports progress up to the total', () => {
    const last = progress.at(-1)
    expect(last?.done).toBe(last?.total)
    // Good images + 6 bad or blank files; labels.csv and hidden files are not counted.
    expect(last?.total).toBe(Object.keys(good).length + 6)
  })
})

describe.skipIf(!hasMnist())('importFolder failures', () => {
  const classifier: Classifier = { id: 'x', predict: async (_p, n) => new Float32Array(n * 10).fill(0.1) }

  it('reports a file deleted during the import and finishes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'digit-import-del-'))
    try {
      for (const name of ['a.png', 'b.png', 'c.png'])
        writeFileSync(join(dir, name), await raw(0).png().toBuffer())
      let deleted = false
      const deleting = await importFolder(dir, classifier, {
        concurrency: 1,
        onProgress: () => {
          if (!deleted) unlinkSync(join(dir, 'b.png'))
          deleted = true
        }
      })
      expect(deleting.samples.map((s) => s.file)).toEqual(['a.png', 'c.png'])
      expect(deleting.skipped).toEqual([{ file: 'b.png', reason: expect.stringMatching(/deleted or moved/) }])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('stops with code "cancelled" when aborted, and "not-found" for a missing folder', async () => {
    const controller = new AbortController()
    const cancelled = importFolder(folder, classifier, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: () => controller.abort()
    })
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' })
    await expect(importFolder(join(root, 'nope'), classifier)).rejects.toBeInstanceOf(ImportError)
    await expect(importFolder(join(root, 'nope'), classifier)).rejects.toMatchObject({ code: 'not-found' })
  })

  it('fails when the classifier fails, without unhandled rejections', async () => {
    const broken: Classifier = { id: 'broken', predict: () => Promise.reject(new Error('model exploded')) }
    await expect(importFolder(folder, broken, { batchSize: 2 })).rejects.toThrow('model exploded')
  })
})
