import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend, tf } from '../../../../src/core/backend'
import { initWeights, layerSizes } from '../../../../src/core/model/mlp'
import {
  ModelError,
  ModelStore,
  buildMetadata,
  loadModelFolder,
  saveHooks,
  writeModelFolder
} from '../../../../src/core/models'
import { HyperparametersSchema } from '../../../../src/shared/schemas/training'
import { tempDir } from '../../../support/engine'

const hp = HyperparametersSchema.parse({})
const metadata = (id: string, name = id) =>
  buildMetadata({
    id,
    name,
    hyperparameters: hp,
    epochsCompleted: 1,
    trainSamples: 100,
    dataChecksums: {},
    testAccuracy: 0.5,
    testLoss: 1,
    backend: 'cpu',
    trainingSeconds: 1
  })
const weightsA = initWeights(layerSizes([100, 100]), 1)
const weightsB = initWeights(layerSizes([100, 100]), 2)
const inputs = Float32Array.from({ length: 3 * 784 }, (_, i) => ((i * 37) % 255) / 255)

beforeAll(async () => {
  await selectBackend('auto')
})
afterEach(() => {
  saveHooks.afterFile = undefined
})

describe('ModelStore', () => {
  it('save → load gives identical predictions, and tfjs itself can load the folder', async () => {
    const store = new ModelStore({ dir: tempDir() })
    await store.save('alpha', weightsA, metadata('alpha'))
    const loaded = await store.load('alpha')
    const direct = await loadModelFolder(store.folderOf('alpha'))
    const [p1, p2] = [await loaded.predict(inputs, 3), await direct.predict(inputs, 3)]
    expect(Array.from(p1)).toEqual(Array.from(p2))
    // Same predictions from the tfjs layers model read from model.json + weights.bin.
    const folder = store.folderOf('alpha')
    const modelJson = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8'))
    const bin = readFileSync(path.join(folder, modelJson.weightsManifest[0].paths[0]))
    const layers = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length)
      })
    )
    const reference = (layers.predict(tf.tensor2d(inputs, [3, 784])) as tf.Tensor).dataSync()
    reference.forEach((v, i) => expect(p1[i]).toBeCloseTo(v, 5))
    for (let s = 0; s < 3; s++)
      expect(p1.slice(s * 10, s * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    layers.dispose()
    loaded.dispose()
    direct.dispose()
    expect(loaded.metadata.architecture).toMatchObject({ layers: [784, 100, 100, 10] })
  })

  it('an interrupted save leaves the previous model loadable', async () => {
    const store = new ModelStore({ dir: tempDir() })
    await store.save('m', weightsA, metadata('m', 'first'))
    const before = await (await store.load('m')).predict(inputs, 3)
    saveHooks.afterFile = (file) => {
      if (file.endsWith('model.json')) throw new Error('simulated crash while writing')
    }
    await expect(store.save('m', weightsB, metadata('m', 'second'))).rejects.toThrow(/simulated crash/)
    saveHooks.afterFile = undefined
    const after = await store.load('m')
    expect(after.metadata.name).toBe('first')
    expect(Array.from(await after.predict(inputs, 3))).toEqual(Array.from(before))
    expect(readdirSync(store.dir).filter((f) => f.startsWith('.'))).toEqual([])
  })

  it('recovers a model whose replacement stopped between the two renames', async () => {
    const dir = tempDir()
    const folder = path.join(dir, 'x')
    await writeModelFolder(folder, weightsA, metadata('x'))
    // State after "rename old away" but before "rename new into place".
    const fs = await import('node:fs/promises')
    await fs.rename(folder, path.join(dir, '.x.old-abc'))
    const model = await loadModelFolder(folder)
    expect(model.metadata.id).toBe('x')
    expect(existsSync(folder)).toBe(true)
  })

  it('lists, renames, deletes, imports and exports; the built-in model is read-only', async () => {
    const builtinDir = tempDir()
    await writeModelFolder(builtinDir, weightsA, metadata('default', 'Shipped'))
    const store = new ModelStore({ dir: tempDir(), builtinDir })
    await store.save('one', weightsA, metadata('one'))
    expect((await store.list()).map((m) => [m.id, m.builtin])).toEqual([
      ['default', true],
      ['one', false]
    ])
    await store.rename('one', 'Renamed')
    expect((await store.list())[1].name).toBe('Renamed')
    const exported = await store.exportFolder('one', path.join(tempDir(), 'exported'))
    const imported = await store.importFolder(exported)
    expect(imported.name).toBe('Renamed (2)')
    const again = await store.importFolder(exported)
    expect(again.name).toBe('Renamed (3)')
    await store.delete('one')
    expect((await store.list()).map((m) => m.id).sort()).toEqual([again.id, imported.id, 'default'].sort())
    for (const action of [() => store.delete('default'), () => store.rename('default', 'x')]) {
      await expect(action()).rejects.toMatchObject({ code: 'read-only' })
    }
    await expect(store.load('missing')).rejects.toMatchObject({ code: 'not-found' })
  })

  it('importing the same folder three times gives three names one can tell apart', async () => {
    const store = new ModelStore({ dir: tempDir() })
    const folder = path.join(tempDir(), 'm')
    await writeModelFolder(folder, weightsA, metadata('m', 'My model'))
    const names = []
    for (let i = 0; i < 3; i++) names.push((await store.importFolder(folder)).name)
    expect(names).toEqual(['My model', 'My model (2)', 'My model (3)'])
    expect(new Set((await store.list()).map((m) => m.id)).size).toBe(3)
  })

  it('says "this folder is not a Digit Studio model" for a folder without metadata.json', async () => {
    const store = new ModelStore({ dir: tempDir() })
    const folder = tempDir()
    writeFileSync(path.join(folder, 'notes.txt'), 'hello')
    await expect(store.importFolder(folder)).rejects.toMatchObject({
      code: 'not-a-model',
      message: expect.stringMatching(/this folder is not a Digit Studio model/)
    })
    await expect(store.importFolder(path.join(folder, 'missing'))).rejects.toMatchObject({
      code: 'not-found'
    })
  })

  it('never lets an id name a path outside the models folder', async () => {
    const store = new ModelStore({ dir: tempDir() })
    for (const id of ['../x', '..', 'a/b', '.hidden', '', 'a\\b', '/etc']) {
      expect(() => store.folderOf(id)).toThrow(ModelError)
      await expect(store.save(id, weightsA, metadata('x'))).rejects.toMatchObject({ code: 'bad-id' })
    }
  })

  it('rejects damaged model folders with the file and the reason', async () => {
    const store = new ModelStore({ dir: tempDir() })
    await store.save('d', weightsA, metadata('d'))
    writeFileSync(path.join(store.folderOf('d'), 'weights.bin'), Buffer.alloc(100))
    await expect(store.load('d')).rejects.toMatchObject({
      code: 'bad-model',
      file: expect.stringContaining('weights.bin')
    })
    writeFileSync(path.join(store.folderOf('d'), 'metadata.json'), '{nope')
    await expect(store.load('d')).rejects.toMatchObject({
      code: 'bad-model',
      file: expect.stringContaining('metadata.json')
    })
  })
})
