/** The feature-space "not a digit" detector: its maths, its sidecar file, and what it says of letters and digits. */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend, tf } from '../../../../src/core/backend'
import { assess, assessorFor, temperatureOf } from '../../../../src/core/calibration'
import {
  DETECTOR_FILE,
  detectorBytes,
  detectorFromBytes,
  detectorScore,
  detectorScores,
  fitDetector,
  releaseDetector
} from '../../../../src/core/calibration/detector'
import { loadMnist } from '../../../../src/core/data'
import { Random } from '../../../../src/core/model/random'
import {
  loadModelFolder,
  readModelFolder,
  writeModelFolder,
  type LoadedModel
} from '../../../../src/core/models'
import { toUnitPixels } from '../../../../src/core/training/tensors'
import { letterForms, stackForms } from '../../../support/letters'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const MNIST_DIR = path.resolve(ROOT, '..', 'shared', 'data', 'mnist')
const haveMnist = existsSync(path.join(MNIST_DIR, 't10k-images-idx3-ubyte.gz'))
if (!haveMnist)
  console.warn(`[detector tests] MNIST not found at ${MNIST_DIR}: the MNIST digit tests are skipped`)
const SHIPPED_CNN = path.join(ROOT, 'resources', 'models', 'default')

/** count points per class near a class-specific 3-dimensional subspace of R^size (plus small noise). */
function clusteredData(count: number, size: number, seed: number) {
  const random = new Random(seed)
  const directions = Array.from({ length: 10 }, () =>
    Array.from({ length: 3 }, () => Float32Array.from({ length: size }, () => random.normal()))
  )
  const centres = Array.from({ length: 10 }, () =>
    Float32Array.from({ length: size }, () => 4 * random.normal())
  )
  const features = new Float32Array(count * size)
  const labels: number[] = []
  for (let n = 0; n < count; n++) {
    const c = n % 10
    labels.push(c)
    const a = [random.normal(), random.normal(), random.normal()]
    for (let k = 0; k < size; k++) {
      features[n * size + k] =
        centres[c][k] +
        a[0] * directions[c][0][k] +
        a[1] * directions[c][1][k] +
        a[2] * directions[c][2][k] +
        0.05 * random.normal()
    }
  }
  return { features, labels, random }
}

beforeAll(async () => {
  await selectBackend('auto')
})

describe('fitDetector', () => {
  const size = 40
  const { features, labels, random } = clusteredData(2000, size, 5)
  let fitted: ReturnType<typeof fitDetector> = null
  beforeAll(() => {
    fitted = fitDetector(features, size, labels, { layer: 'test', components: 3, percentile: 99 })
  })

  it('takes the threshold at the percentile of the fitting samples', () => {
    if (!fitted) throw new Error('the detector should fit on 200 samples per class')
    const { detector, scores } = fitted
    const above = scores.filter((s) => s > detector.info.threshold).length
    expect(above / scores.length).toBeLessThanOrEqual(0.01)
    expect(above / scores.length).toBeGreaterThan(0.002)
  })

  it('scores new points of the classes low and points off every class high', () => {
    if (!fitted) throw new Error('no detector')
    const fresh = clusteredData(500, size, 5).features // the same classes (same seed), fresh points
    let inFlagged = 0
    for (let n = 0; n < 500; n++)
      if (detectorScore(fitted.detector, fresh, n * size) > fitted.detector.info.threshold) inFlagged++
    let outFlagged = 0
    for (let n = 0; n < 200; n++) {
      const stray = Float32Array.from({ length: size }, () => 4 * random.normal())
      if (detectorScore(fitted.detector, stray) > fitted.detector.info.threshold) outFlagged++
    }
    expect(inFlagged / 500).toBeLessThan(0.03)
    expect(outFlagged / 200).toBeGreaterThan(0.95)
  })

  it('round-trips through its file bytes, and refuses damaged bytes', () => {
    if (!fitted) throw new Error('no detector')
    const { detector } = fitted
    const bytes = detectorBytes(detector)
    const back = detectorFromBytes(detector.info, bytes)
    expect(detectorScore(back, features, 7 * size)).toBeCloseTo(
      detectorScore(fitted.detector, features, 7 * size),
      6
    )
    const flipped = Uint8Array.from(bytes)
    flipped[100] ^= 0xff
    expect(() => detectorFromBytes(detector.info, flipped)).toThrow(/checksum/)
    expect(() => detectorFromBytes(detector.info, bytes.subarray(4))).toThrow(/bytes/)
  })

  it('gives one activation array its verdict once, however often the flag is asked (the pad, every frame)', () => {
    if (!fitted) throw new Error('no detector')
    const { detector } = fitted
    // The detector reads its threshold once per verdict: counting the reads counts the verdicts worked out.
    let verdictsWorkedOut = 0
    const info = { ...detector.info }
    Object.defineProperty(info, 'threshold', {
      get: () => (verdictsWorkedOut++, detector.info.threshold)
    })
    const counted = { ...detector, info }
    const flagOf = assessorFor({ metadata: {}, detector: counted })
    const stray = Float32Array.from({ length: size }, () => 4 * random.normal())
    const near = features.slice(3 * size, 4 * size)
    const pixels = new Float32Array(784).fill(0)
    for (let i = 300; i < 330; i++) pixels[i] = 1
    const sure = Float32Array.from({ length: 10 }, (_, i) => (i === 2 ? 0.99 : 0.001))
    const first = [flagOf(sure, pixels, stray).flag, flagOf(sure, pixels, near).flag]
    expect(first[0]).toBe('not-a-digit')
    expect(first[1]).not.toBe('not-a-digit')
    for (let frame = 0; frame < 5; frame++) {
      expect([flagOf(sure, pixels, stray).flag, flagOf(sure, pixels, near).flag]).toEqual(first)
    }
    expect(verdictsWorkedOut).toBe(2)
    // A new array (a new reading) gets its own verdict, equal for equal activations.
    expect(flagOf(sure, pixels, Float32Array.from(stray)).flag).toBe('not-a-digit')
    expect(verdictsWorkedOut).toBe(3)
  })

  it("scores a batch on the backend as it scores each vector alone, and frees the backend's copy", () => {
    if (!fitted) throw new Error('no detector')
    const { detector } = fitted
    const tensorsBefore = tf.memory().numTensors
    // Below the batch size the loop scores; from it on, the backend (both are checked).
    for (const count of [1, 3, 4, 50]) {
      const batch = features.subarray(100 * size, (100 + count) * size)
      const scores = detectorScores(detector, batch, count)
      expect(scores).toHaveLength(count)
      for (let n = 0; n < count; n++) {
        const alone = detectorScore(detector, batch, n * size)
        expect(Math.abs(scores[n] - alone)).toBeLessThan(1e-4 * Math.max(1, alone))
      }
    }
    const stray = Float32Array.from({ length: 6 * size }, () => 4 * random.normal())
    const strayScores = detectorScores(detector, stray, 6)
    expect(strayScores.every((score) => score > detector.info.threshold)).toBe(true)
    // An all-zero vector (a blank crop's activations) scores like the loop does, not NaN.
    expect(detectorScores(detector, new Float32Array(5 * size), 5)[0]).toBeCloseTo(
      detectorScore(detector, new Float32Array(size)),
      5
    )
    expect(tf.memory().numTensors).toBeGreaterThan(tensorsBefore)
    releaseDetector(detector)
    expect(tf.memory().numTensors).toBe(tensorsBefore)
  })

  it('flags by the score worked out with the batch when one is given', () => {
    if (!fitted) throw new Error('no detector')
    const { detector } = fitted
    const flagOf = assessorFor({ metadata: {}, detector })
    const pixels = new Float32Array(784)
    for (let i = 300; i < 330; i++) pixels[i] = 1
    const sure = Float32Array.from({ length: 10 }, (_, i) => (i === 2 ? 0.99 : 0.001))
    const near = features.slice(3 * size, 4 * size)
    expect(flagOf(sure, pixels, near).flag).not.toBe('not-a-digit')
    expect(flagOf(sure, pixels, near, 2 * detector.info.threshold).flag).toBe('not-a-digit')
    expect(flagOf(sure, pixels, near, 0).flag).not.toBe('not-a-digit')
  })

  it('fits none where a digit has too few samples', () => {
    const few = clusteredData(30, size, 2)
    expect(fitDetector(few.features, size, few.labels, { layer: 'test' })).toBeNull()
  })
})

describe('the shipped CNN with its detector', () => {
  let model: LoadedModel
  const temp = mkdtempSync(path.join(tmpdir(), 'detector-test-'))
  beforeAll(async () => {
    model = await loadModelFolder(SHIPPED_CNN)
  })
  afterAll(() => {
    model?.dispose()
    rmSync(temp, { recursive: true, force: true })
  })

  async function notADigitShare(m: LoadedModel, pixels: Float32Array, count: number): Promise<number> {
    const { probabilities, features, featureSize } = await m.predictWithFeatures(pixels, count)
    const assessor = assessorFor(m)
    let flagged = 0
    for (let n = 0; n < count; n++) {
      const flag = assessor(
        probabilities.subarray(n * 10, n * 10 + 10),
        pixels.subarray(n * 784, n * 784 + 784),
        features.subarray(n * featureSize, (n + 1) * featureSize)
      ).flag
      if (flag === 'not-a-digit') flagged++
    }
    return flagged / count
  }

  it('has a detector, described in its calibration', () => {
    expect(model.detectorProblem).toBeNull()
    expect(model.detector?.info).toEqual(model.metadata.calibration?.detector)
  })

  it('flags most letters drawn like the pad draws them as not a digit', async () => {
    const letters = letterForms(100, 3)
    expect(letters.length).toBeGreaterThan(90)
    expect(await notADigitShare(model, stackForms(letters), letters.length)).toBeGreaterThan(0.5)
  })

  it.skipIf(!haveMnist)('flags almost no clean MNIST test digit as not a digit', async () => {
    const { test } = await loadMnist(MNIST_DIR, { trainLimit: 1, testLimit: 1000 })
    expect(await notADigitShare(model, toUnitPixels(test.images), test.count)).toBeLessThan(0.02)
  })

  it('without a detector, flags as before (softmax and ink rules only)', async () => {
    const folder = path.join(temp, 'no-detector')
    const { metadata, weights } = await readModelFolder(SHIPPED_CNN)
    await writeModelFolder(folder, weights, metadata) // no detector passed: none described, none written
    expect(existsSync(path.join(folder, DETECTOR_FILE))).toBe(false)
    const plain = await loadModelFolder(folder)
    try {
      expect(plain.detector).toBeNull()
      expect(plain.detectorProblem).toBeNull()
      expect(plain.metadata.calibration?.detector).toBeUndefined()
      const letters = letterForms(40, 4)
      const pixels = stackForms(letters)
      const { probabilities, features, featureSize } = await plain.predictWithFeatures(pixels, letters.length)
      const assessor = assessorFor(plain)
      for (let n = 0; n < letters.length; n++) {
        const p = probabilities.subarray(n * 10, n * 10 + 10)
        const f = features.subarray(n * featureSize, (n + 1) * featureSize)
        expect(assessor(p, letters[n].pixels, f)).toEqual(
          assess(p, letters[n].pixels, temperatureOf(plain.metadata))
        )
      }
      // The detector is what catches them: the shipped model flags more.
      expect(await notADigitShare(model, pixels, letters.length)).toBeGreaterThan(
        await notADigitShare(plain, pixels, letters.length)
      )
    } finally {
      plain.dispose()
    }
  })

  it.each([
    [
      'damaged',
      (file: string) => writeFileSync(file, Buffer.from(readFileSync(file)).fill(7, 0, 64)),
      /checksum/
    ],
    ['truncated', (file: string) => writeFileSync(file, readFileSync(file).subarray(0, 1000)), /bytes/],
    ['missing', (file: string) => rmSync(file), /not found|no such|missing/i],
    [
      'stale (the weights were replaced since)',
      (file: string) => {
        const weightsFile = path.join(path.dirname(file), 'weights.bin')
        const weights = readFileSync(weightsFile)
        weights.writeFloatLE(weights.readFloatLE(0) + 0.01, 0)
        writeFileSync(weightsFile, weights)
      },
      /other weights/
    ]
  ])('a %s detector.bin is reported, and the model still reads digits', async (name, spoil, reason) => {
    const folder = path.join(temp, name.split(' ')[0])
    cpSync(SHIPPED_CNN, folder, { recursive: true })
    spoil(path.join(folder, DETECTOR_FILE))
    const spoilt = await loadModelFolder(folder)
    try {
      expect(spoilt.detector).toBeNull()
      expect(spoilt.detectorProblem).toContain(path.join(folder, DETECTOR_FILE))
      expect(spoilt.detectorProblem).toMatch(reason)
      const letters = letterForms(10, 5)
      const probabilities = await spoilt.predict(stackForms(letters), letters.length)
      expect(probabilities.length).toBe(100)
      if (!name.startsWith('stale')) {
        expect(probabilities).toEqual(await model.predict(stackForms(letters), letters.length))
      }
    } finally {
      spoilt.dispose()
    }
  })
})
