/**
 * Run under a real Node 24 by node24.test.ts: proves the runtime lacks util.isNullOrUndefined, then loads the
 * tensorflow backend through the app's own entry path (the shim), trains a small MLP on MNIST for one epoch
 * into a folder, loads it back and predicts. Prints one JSON line.
 */
import util from 'node:util'
const hadLegacyUtil = typeof (util as unknown as Record<string, unknown>).isNullOrUndefined === 'function'
const { selectBackend } = await import('../../../src/core/backend')
const { runTrainingJob } = await import('../../../src/core/training/job')
const { loadModelFolder } = await import('../../../src/core/models')
const { loadMnistTest } = await import('../../../src/core/data/mnist')

const [mnistFolder, outFolder] = process.argv.slice(2)
const backend = await selectBackend('tensorflow')
const result = await runTrainingJob(
  {
    mnistFolder,
    outFolder,
    backend: 'tensorflow',
    trainSubset: 3000,
    testSubset: 500,
    hyperparameters: { epochs: 1 }
  },
  { onEvent: () => undefined }
)
const model = await loadModelFolder(outFolder)
const { test } = await loadMnistTest(mnistFolder, 200)
const pixels = Float32Array.from(test.images, (v) => v / 255)
const probabilities = await model.predict(pixels, test.count)
let correct = 0
for (let i = 0; i < test.count; i++) {
  const row = probabilities.subarray(i * 10, i * 10 + 10)
  if (row.indexOf(Math.max(...row)) === test.labels[i]) correct++
}
console.log(
  JSON.stringify({
    node: process.version,
    hadLegacyUtil,
    backend: backend.name,
    state: result.status.state,
    testAccuracy: result.testAccuracy,
    predictedAccuracy: correct / test.count
  })
)
