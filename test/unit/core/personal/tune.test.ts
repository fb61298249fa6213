/** Teaching: fine-tuning on digits the model gets wrong fixes most of them without breaking MNIST. */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { selectBackend } from '../../../../src/core/backend'
import { argmax10 } from '../../../../src/core/evaluation'
import { loadMnist, PIXELS, type DigitSet } from '../../../../src/core/data/mnist'
import { Random } from '../../../../src/core/model/random'
import { createRunner } from '../../../../src/core/model/weights'
import { readModelFolder } from '../../../../src/core/models'
import { accuracyOf, splitHeldOut, tuneModel } from '../../../../src/core/personal/tune'
import { changeThickness, createAugmenter } from '../../../../src/core/training/augment'
import { AugmentationSchema } from '../../../../src/shared/schemas/training'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const MNIST_DIR = path.resolve(ROOT, '..', 'shared', 'data', 'mnist')
const BASE = path.join(ROOT, 'resources', 'models', 'paper-mlp')
const haveMnist = existsSync(path.join(MNIST_DIR, 'train-images-idx3-ubyte.gz'))
if (!haveMnist) console.warn(`[tune tests] MNIST not found at ${MNIST_DIR}: skipped`)

const hashOf = (folder: string) =>
  ['model.json', 'weights.bin', 'metadata.json']
    .map((f) =>
      createHash('sha256')
        .update(readFileSync(path.join(folder, f)))
        .digest('hex')
    )
    .join()

/** Bold, strongly slanted versions of MNIST digits: a style MNIST lacks. */
function boldSlanted(set: DigitSet, from: number, count: number): DigitSet {
  const bold = new Uint8Array(count * PIXELS)
  const once = new Uint8Array(PIXELS)
  for (let n = 0; n < count; n++) {
    changeThickness(set.images, (from + n) * PIXELS, 1, once)
    changeThickness(once, 0, 1, bold.subarray(n * PIXELS, (n + 1) * PIXELS))
  }
  const slant = createAugmenter(AugmentationSchema.parse({ slant: true, slantMax: 0.6 }), new Random(9))
  const floats = new Float32Array(count * PIXELS)
  slant?.(
    bold,
    Int32Array.from({ length: count }, (_, i) => i),
    floats
  )
  return {
    count,
    images: Uint8Array.from(floats, (v) => Math.round(v * 255)),
    labels: set.labels.slice(from, from + count)
  }
}

describe('tuneModel', () => {
  it.skipIf(!haveMnist)(
    'fixes most of the digits the model got wrong, keeps MNIST, and saves a new model',
    async () => {
      await selectBackend('auto')
      const mnist = await loadMnist(MNIST_DIR, { trainLimit: 12_000, testLimit: 2000 })
      const base = await readModelFolder(BASE)
      const before = hashOf(BASE)
      // The test set's later digits, made bold and slanted; keep those the model reads wrongly.
      const styled = boldSlanted(
        await loadMnist(MNIST_DIR, { trainLimit: 1 }).then((m) => m.test),
        5000,
        3000
      )
      const runner = createRunner(base.weights)
      const p = runner.predictSync(
        Float32Array.from(styled.images, (v) => v / 255),
        styled.count
      )
      runner.dispose()
      const wrong = Array.from({ length: styled.count }, (_, n) => n).filter(
        (n) => argmax10(p, n * 10) !== styled.labels[n]
      )
      expect(wrong.length).toBeGreaterThan(50)
      const samples = wrong.map((n) => ({
        id: String(n),
        label: styled.labels[n],
        bytes: styled.images.subarray(n * PIXELS, (n + 1) * PIXELS)
      }))
      const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'digit-studio-tune-')), 'tuned')
      const { report, status } = await tuneModel({
        base: { id: 'paper-mlp', ...base },
        samples,
        mnist,
        epochs: 4,
        outFolder: out,
        backend: 'tensorflow'
      })
      expect(status.state).toBe('done')
      // Every sample the model got wrong: before 0 % by construction.
      const { train: taught, heldOut } = splitHeldOut(samples)
      expect(report.trainSamples).toBe(taught.length)
      expect(report.heldOutSamples).toBe(heldOut.length)
      expect(report.before.heldOut).toBe(0)
      const tuned = await readModelFolder(out)
      const asSet = (list: typeof samples): DigitSet => ({
        count: list.length,
        images: Uint8Array.from(list.flatMap((s) => Array.from(s.bytes))),
        labels: Uint8Array.from(list, (s) => s.label)
      })
      // Most of the taught digits are now read right, and the held-out ones of the same style improve.
      expect(accuracyOf(tuned.weights, asSet(taught))).toBeGreaterThan(0.6)
      expect(report.after.heldOut).toBeGreaterThan(0.5)
      // MNIST's test digits (first 2000) lose at most one point.
      expect(report.after.mnistTest).toBeGreaterThan(report.before.mnistTest - 0.01)
      // A new model; the one it started from is untouched.
      expect(tuned.metadata.id).toBe('tuned')
      expect(tuned.metadata.calibration?.temperature).toBeGreaterThan(0)
      expect(hashOf(BASE)).toBe(before)
    },
    300_000
  )
})
