/**
 * Accuracy per shipped model (resources/models/*): MNIST's test set, ../shared/data/usps-600 through the import
 * preprocessing, single-sample inference latency, and the "not sure" flag on both sets at several thresholds
 * (how many errors it catches, how many correct answers it flags).
 * `npm run bench` includes it; alone: tsx bench/models.ts [MODEL_DIR…] → one JSON document.
 */
import { readdirSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { selectBackend } from '../src/core/backend'
import { assess, DEFAULT_UNSURE_THRESHOLD, temperatureOf } from '../src/core/calibration'
import { loadMnist } from '../src/core/data'
import { argmax10 } from '../src/core/evaluation'
import { importFolder } from '../src/core/import'
import { loadModelFolder } from '../src/core/models'
import { toUnitPixels } from '../src/core/training/tensors'
import { percentile } from './stats'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]

interface Item {
  correct: boolean
  probabilities: Float32Array
  pixels: Float32Array
}

function flagCounts(items: Item[], temperature: number) {
  return THRESHOLDS.map((threshold) => {
    let errors = 0
    let errorsFlagged = 0
    let correctFlagged = 0
    let notADigit = 0
    for (const item of items) {
      const { flag } = assess(item.probabilities, item.pixels, temperature, threshold)
      if (flag === 'not-a-digit') notADigit++
      if (!item.correct) {
        errors++
        if (flag !== 'sure') errorsFlagged++
      } else if (flag !== 'sure') correctFlagged++
    }
    return { threshold, samples: items.length, errors, errorsFlagged, correctFlagged, notADigit }
  })
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
    const temperature = temperatureOf(model.metadata)
    const probabilities = await model.predict(testPixels, mnist.test.count)
    const mnistItems: Item[] = []
    for (let n = 0; n < mnist.test.count; n++) {
      mnistItems.push({
        correct: argmax10(probabilities, n * 10) === mnist.test.labels[n],
        probabilities: probabilities.subarray(n * 10, n * 10 + 10),
        pixels: testPixels.subarray(n * 784, n * 784 + 784)
      })
    }
    const forms = new Map<string, Float32Array>()
    const usps = existsSync(uspsDir)
      ? await importFolder(uspsDir, model, { onForm: (file, pixels) => forms.set(file, pixels) })
      : null
    const uspsItems: Item[] = (usps?.samples ?? [])
      .filter((s) => forms.has(s.file))
      .map((s) => ({
        correct: s.label === s.predicted,
        probabilities: Float32Array.from(s.probabilities),
        pixels: forms.get(s.file) as Float32Array
      }))
    const sample = testPixels.subarray(0, 784)
    for (let i = 0; i < 50; i++) await model.predict(sample, 1)
    const latencies: number[] = []
    for (let i = 0; i < 500; i++) {
      const t = performance.now()
      await model.predict(sample, 1)
      latencies.push(performance.now() - t)
    }
    latencies.sort((a, b) => a - b)
    out.push({
      model: path.relative(root, dir),
      name: model.metadata.name,
      architecture: model.metadata.architecture,
      mnistTestAccuracy: mnistItems.filter((i) => i.correct).length / mnistItems.length,
      usps600Accuracy: usps?.evaluation?.accuracy ?? null,
      usps600Seconds: usps?.seconds ?? null,
      inferenceMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
      calibration: model.metadata.calibration ?? null,
      defaultThreshold: DEFAULT_UNSURE_THRESHOLD,
      notSure: { usps600: flagCounts(uspsItems, temperature), mnistTest: flagCounts(mnistItems, temperature) }
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
