/**
 * "Not sure" figures per model: the temperature fitted on held-out MNIST training images, then on
 * ../shared/data/usps-600 and on MNIST's test set how many errors the flag catches and how many correct
 * answers it flags, at several thresholds. Prints one JSON document.
 * Usage: tsx bench/calibration.ts MODEL_DIR [MODEL_DIR…] [--clean]
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { selectBackend } from '../src/core/backend'
import { assess, DEFAULT_UNSURE_THRESHOLD } from '../src/core/calibration'
import { calibrateOnMnist } from '../src/core/calibration/fit'
import { loadMnist } from '../src/core/data'
import { importFolder } from '../src/core/import'
import { loadModelFolder } from '../src/core/models'
import { decodeImageFile, toMnistForm } from '../src/core/preprocess'
import { toUnitPixels } from '../src/core/training/tensors'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const clean = args.includes('--clean')
const models = args.filter((a) => !a.startsWith('--'))
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
      const flagged = flag !== 'sure'
      if (flag === 'not-a-digit') notADigit++
      if (!item.correct) {
        errors++
        if (flagged) errorsFlagged++
      } else if (flagged) correctFlagged++
    }
    return { threshold, samples: items.length, errors, errorsFlagged, correctFlagged, notADigit }
  })
}

await selectBackend('auto')
const mnist = await loadMnist(path.resolve(root, '..', 'shared', 'data', 'mnist'))
const out: Record<string, unknown>[] = []
for (const dir of models) {
  const model = await loadModelFolder(path.resolve(dir))
  const calibration = await calibrateOnMnist((p, n) => model.predict(p, n), mnist.train, {
    augmented: !clean
  })
  const T = calibration.temperature
  // usps-600 through the import pipeline, keeping each form for the flag.
  const uspsItems: Item[] = []
  const uspsDir = path.resolve(root, '..', 'shared', 'data', 'usps-600')
  const result = await importFolder(uspsDir, model)
  for (const sample of result.samples) {
    const form = toMnistForm(await decodeImageFile(path.join(uspsDir, sample.file)))
    if (form.kind !== 'digit') continue
    uspsItems.push({
      correct: sample.label === sample.predicted,
      probabilities: Float32Array.from(sample.probabilities),
      pixels: form.pixels
    })
  }
  const testPixels = toUnitPixels(mnist.test.images)
  const testProbabilities = await model.predict(testPixels, mnist.test.count)
  const mnistItems: Item[] = []
  for (let n = 0; n < mnist.test.count; n++) {
    const p = testProbabilities.subarray(n * 10, n * 10 + 10)
    const predicted = p.indexOf(Math.max(...p))
    mnistItems.push({
      correct: predicted === mnist.test.labels[n],
      probabilities: p,
      pixels: testPixels.subarray(n * 784, n * 784 + 784)
    })
  }
  out.push({
    model: dir,
    calibration,
    defaultThreshold: DEFAULT_UNSURE_THRESHOLD,
    usps600: flagCounts(uspsItems, T),
    mnistTest: flagCounts(mnistItems, T)
  })
  model.dispose()
}
console.log(JSON.stringify(out, null, 2))
