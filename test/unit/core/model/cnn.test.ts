/** The CNN beside the paper's MLP: it learns, it saves and loads exactly, and every backend agrees on it. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { backendFailure, selectBackend, tf, useBackend } from '../../../../src/core/backend'
import { loadMnist } from '../../../../src/core/data'
import { CnnRunner, initCnnWeights } from '../../../../src/core/model/cnn'
import {
  buildMetadata,
  loadModelFolder,
  readModelFolder,
  writeModelFolder
} from '../../../../src/core/models'
import { train } from '../../../../src/core/training/trainer'
import { toUnitPixels } from '../../../../src/core/training/tensors'
import { CnnSettingsSchema, HyperparametersSchema } from '../../../../src/shared/schemas/training'
import type { BackendName } from '../../../../src/shared/schemas/models'

const MNIST_DIR = fileURLToPath(new URL('../../../../../shared/data/mnist', import.meta.url))
const haveMnist = existsSync(path.join(MNIST_DIR, 'train-images-idx3-ubyte.gz'))
if (!haveMnist) console.warn(`[cnn tests] MNIST not found at ${MNIST_DIR}: the training test is skipped`)

const settings = CnnSettingsSchema.parse({})
const weights = initCnnWeights(settings, 11)
const inputs = Float32Array.from({ length: 5 * 784 }, (_, i) => ((i * 131) % 256) / 255)

function maxDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

const metadataFor = (trained: number) =>
  buildMetadata({
    id: 'cnn-test',
    name: 'CNN test',
    hyperparameters: HyperparametersSchema.parse({ architecture: 'cnn' }),
    epochsCompleted: 1,
    trainSamples: trained,
    dataChecksums: {},
    testAccuracy: null,
    testLoss: null,
    backend: 'cpu',
    trainingSeconds: 1
  })

describe('the CNN', () => {
  it.skipIf(!haveMnist)('trains on a small MNIST subset to well above chance', async () => {
    await selectBackend('auto')
    const data = await loadMnist(MNIST_DIR, { trainLimit: 2000, testLimit: 500 })
    const epochs: number[] = []
    const result = await train({
      hyperparameters: HyperparametersSchema.parse({
        architecture: 'cnn',
        epochs: 2,
        seed: 5,
        reportEvery: 5
      }),
      train: data.train,
      test: data.test,
      onEpoch: ({ summary }) => {
        epochs.push(summary.testAccuracy)
      }
    })
    expect(epochs).toHaveLength(2)
    // Chance is 10 %; the MLP gets about 80 % here, the CNN more.
    expect(result.lastEpoch?.testAccuracy).toBeGreaterThan(0.8)
    // The weights returned are the CNN's, and they predict what the trainer measured.
    const runner = new CnnRunner(result.weights as typeof weights)
    const p = runner.predictSync(toUnitPixels(data.test.images), data.test.count)
    runner.dispose()
    let correct = 0
    for (let n = 0; n < data.test.count; n++) {
      const row = p.subarray(n * 10, n * 10 + 10)
      if (row.indexOf(Math.max(...row)) === data.test.labels[n]) correct++
    }
    expect(correct / data.test.count).toBeCloseTo(result.lastEpoch?.testAccuracy ?? 0, 5)
  })

  it('save → load gives identical predictions, and tfjs itself loads the folder as a layers model', async () => {
    await selectBackend('auto')
    const folder = path.join(mkdtempSync(path.join(os.tmpdir(), 'digit-studio-cnn-')), 'cnn')
    await writeModelFolder(folder, weights, metadataFor(0))
    const read = await readModelFolder(folder)
    expect(read.metadata.architecture).toMatchObject({
      kind: 'cnn',
      conv: [{ filters: 32 }, { filters: 64 }]
    })
    const loaded = await loadModelFolder(folder)
    const direct = new CnnRunner(weights)
    const p1 = await loaded.predict(inputs, 5)
    expect(Array.from(p1)).toEqual(Array.from(direct.predictSync(inputs, 5)))
    const modelJson = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8'))
    const bin = readFileSync(path.join(folder, 'weights.bin'))
    const layers = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length)
      })
    )
    const viaTfjs = layers.predict(tf.tensor2d(inputs, [5, 784])) as tf.Tensor
    expect(maxDifference(viaTfjs.dataSync() as Float32Array, p1)).toBeLessThan(1e-5)
    tf.dispose([viaTfjs])
    layers.dispose()
    loaded.dispose()
    direct.dispose()
  })

  it('the backends agree on the same CNN weights', async (context) => {
    const results = new Map<BackendName, Float32Array>()
    for (const name of ['tensorflow', 'wasm', 'cpu'] as BackendName[]) {
      try {
        await useBackend(name)
      } catch (error) {
        console.warn(`[cnn tests] backend '${name}' skipped: ${backendFailure(name) ?? String(error)}`)
        continue
      }
      const runner = new CnnRunner(weights)
      results.set(name, runner.predictSync(inputs, 5))
      runner.dispose()
    }
    await selectBackend('auto')
    const names = [...results.keys()]
    if (names.length < 2) return context.skip(`only ${names.join(', ')} loaded`)
    const reference = results.get(names[0]) as Float32Array
    for (const other of names.slice(1)) {
      expect(
        maxDifference(results.get(other) as Float32Array, reference),
        `${other} vs ${names[0]}`
      ).toBeLessThan(1e-5)
    }
  })

  it('refuses a CNN folder whose weights do not match its architecture', async () => {
    await selectBackend('auto')
    const folder = path.join(mkdtempSync(path.join(os.tmpdir(), 'digit-studio-cnn-')), 'cnn')
    const narrow = initCnnWeights(CnnSettingsSchema.parse({ denseUnits: 16 }), 1)
    // The metadata says 256 dense units; the weights have 16.
    await writeModelFolder(folder, narrow, metadataFor(0))
    await expect(readModelFolder(folder)).rejects.toThrow(/shapes of the CNN/)
  })
})
