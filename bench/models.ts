/**
 * Accuracy per shipped model (resources/models/*): MNIST's test set, ../shared/data/usps-600 through the import
 * preprocessing, single-sample inference latency, and the "not sure" flag on both sets at several thresholds
 * (how many errors it catches, how many correct answers it flags, the features-based "not a digit" detector
 * included), the share of MNIST test, usps-600 and synthetic letter drawings the detector calls "not a digit",
 * and the latency of one prediction with the features and the flag (what the pad does per frame).
 * `npm run bench` includes it; alone: tsx bench/models.ts [MODEL_DIR…] → one JSON document.
 */
import { readdirSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { selectBackend } from '../src/core/backend'
import { assessorFor, DEFAULT_UNSURE_THRESHOLD, type Assessor } from '../src/core/calibration'
import { isNotADigit, type Detector } from '../src/core/calibration/detector'
import { loadMnist } from '../src/core/data'
import { argmax10 } from '../src/core/evaluation'
import { importFolder } from '../src/core/import'
import { loadModelFolder, type LoadedModel } from '../src/core/models'
import { letterForms, stackForms } from '../test/support/letters'
import { toUnitPixels } from '../src/core/training/tensors'
import { percentile } from './stats'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
/** Synthetic letter drawings (test/support/letters.ts): ten capitals in turn, varied by a seeded draw. */
const LETTER_COUNT = 500

interface Item {
  correct: boolean
  probabilities: Float32Array
  pixels: Float32Array
  features: Float32Array
}

function flagCounts(items: Item[], model: LoadedModel) {
  return THRESHOLDS.map((threshold) => {
    const assess: Assessor = assessorFor(model, threshold)
    let errors = 0
    let errorsFlagged = 0
    let correctFlagged = 0
    let notADigit = 0
    for (const item of items) {
      const { flag } = assess(item.probabilities, item.pixels, item.features)
      if (flag === 'not-a-digit') notADigit++
      if (!item.correct) {
        errors++
        if (flag !== 'sure') errorsFlagged++
      } else if (flag !== 'sure') correctFlagged++
    }
    return { threshold, samples: items.length, errors, errorsFlagged, correctFlagged, notADigit }
  })
}

/** count×784 pixels with their labels (null: no label) → one Item per image, from one forward pass. */
async function itemsOf(model: LoadedModel, pixels: Float32Array, labels: (number | null)[]): Promise<Item[]> {
  const { probabilities, features, featureSize } = await model.predictWithFeatures(pixels, labels.length)
  return labels.map((label, n) => ({
    correct: label !== null && argmax10(probabilities, n * 10) === label,
    probabilities: probabilities.subarray(n * 10, n * 10 + 10),
    pixels: pixels.subarray(n * 784, n * 784 + 784),
    features: features.subarray(n * featureSize, (n + 1) * featureSize)
  }))
}

/** Share of the items the detector alone calls "not a digit" (null: the model has no detector). */
function detectorShare(detector: Detector | null, items: Item[]): number | null {
  if (!detector || items.length === 0) return null
  return items.filter((item) => isNotADigit(detector, item.features)).length / items.length
}

export function shippedModelDirs(): string[] {
  const dir = path.join(root, 'resources', 'models')
  return readdirSync(dir)
    .map((entry) => path.join(dir, entry))
    .filter((folder) => existsSync(path.join(folder, 'metadata.json')))
}

export async function benchModels(dirs = shippedModelDirs()): Promise<Record<string, unknown>[]> {
  await selectBackend('auto')
  const mnist = await loadMnist(path.resolve(root, '..', 'shared', 'data', 'mnist'), { trainLimit: 1 })
  const uspsDir = path.resolve(root, '..', 'shared', 'data', 'usps-600')
  const testPixels = toUnitPixels(mnist.test.images)
  const out: Record<string, unknown>[] = []
  for (const dir of dirs) {
    const model = await loadModelFolder(dir)
    const mnistItems = await itemsOf(model, testPixels, Array.from(mnist.test.labels))
    const forms = new Map<string, Float32Array>()
    const usps = existsSync(uspsDir)
      ? await importFolder(uspsDir, model, { onForm: (file, pixels) => forms.set(file, pixels) })
      : null
    const uspsSamples = (usps?.samples ?? []).filter((s) => forms.has(s.file))
    const uspsItems = await itemsOf(
      model,
      stackForms(uspsSamples.map((s) => ({ pixels: forms.get(s.file) as Float32Array }))),
      uspsSamples.map((s) => s.label)
    )
    const letters = letterForms(LETTER_COUNT, 11)
    const letterItems = await itemsOf(
      model,
      stackForms(letters),
      letters.map(() => null)
    )
    const letterAssess = assessorFor(model)
    const byLetter: Record<string, { drawn: number; notADigit: number; flaggedAtAll: number }> = {}
    letters.forEach((l, i) => {
      const entry = (byLetter[l.letter] ??= { drawn: 0, notADigit: 0, flaggedAtAll: 0 })
      const item = letterItems[i]
      const { flag } = letterAssess(item.probabilities, item.pixels, item.features)
      entry.drawn++
      if (flag === 'not-a-digit') entry.notADigit++
      if (flag !== 'sure') entry.flaggedAtAll++
    })
    const letterFlags = Object.values(byLetter)
    const share = (key: 'notADigit' | 'flaggedAtAll') =>
      letterFlags.reduce((sum, e) => sum + e[key], 0) / Math.max(1, letters.length)
    const sample = testPixels.subarray(0, 784)
    for (let i = 0; i < 50; i++) await model.predict(sample, 1)
    const latencies: number[] = []
    for (let i = 0; i < 500; i++) {
      const t = performance.now()
      await model.predict(sample, 1)
      latencies.push(performance.now() - t)
    }
    latencies.sort((a, b) => a - b)
    // What the pad does per frame: one pass with the features, then the flag (detector included).
    const flagged: number[] = []
    const assessOne = assessorFor(model)
    for (let i = 0; i < 550; i++) {
      const t = performance.now()
      const { probabilities, features } = await model.predictWithFeatures(sample, 1)
      assessOne(probabilities, sample, features)
      if (i >= 50) flagged.push(performance.now() - t)
    }
    flagged.sort((a, b) => a - b)
    out.push({
      model: path.relative(root, dir),
      name: model.metadata.name,
      architecture: model.metadata.architecture,
      mnistTestAccuracy: mnistItems.filter((i) => i.correct).length / mnistItems.length,
      usps600Accuracy: usps?.evaluation?.accuracy ?? null,
      usps600Seconds: usps?.seconds ?? null,
      inferenceMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
      inferenceWithFlagMs: { p50: percentile(flagged, 50), p99: percentile(flagged, 99) },
      calibration: model.metadata.calibration ?? null,
      detectorProblem: model.detectorProblem,
      defaultThreshold: DEFAULT_UNSURE_THRESHOLD,
      notADigitDetector: {
        mnistTest: detectorShare(model.detector, mnistItems),
        usps600: detectorShare(model.detector, uspsItems),
        letters: detectorShare(model.detector, letterItems)
      },
      letters: {
        drawn: letters.length,
        notADigit: share('notADigit'),
        notSureOrNotADigit: share('flaggedAtAll'),
        byLetter
      },
      notSure: { usps600: flagCounts(uspsItems, model), mnistTest: flagCounts(mnistItems, model) }
    })
    model.dispose()
  }
  return out
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dirs = process.argv.slice(2)
  benchModels(dirs.length ? dirs.map((d) => path.resolve(d)) : undefined).then(
    (result) => process.stdout.write(JSON.stringify(result, null, 2) + '\n'),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
      process.exit(1)
    }
  )
}
