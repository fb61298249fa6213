/**
 * The on-disk model: tfjs layers-model artifacts (model.json + weights.bin, loadable with
 * tf.loadLayersModel) plus metadata.json (ModelMetadataSchema). Folders are written atomically:
 * files go to a temporary sibling folder, are fsynced, and the folder is renamed into place.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { ModelMetadataSchema, type ModelMetadata } from '../../shared/schemas/models'
import { tf } from '../backend'
import { CnnSettingsSchema } from '../../shared/schemas/training'
import { cnnShapes, isCnnWeights, type CnnWeights } from '../model/cnn'
import type { MlpWeights } from '../model/mlp'
import { paramArrays, type ModelWeights } from '../model/weights'
import { ModelError } from './errors'

export const MODEL_JSON = 'model.json'
export const WEIGHTS_BIN = 'weights.bin'
export const METADATA_JSON = 'metadata.json'

const WeightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32')
})
const ModelJsonSchema = z.object({
  format: z.literal('layers-model'),
  modelTopology: z.unknown(),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.string()), weights: z.array(WeightSpecSchema) }))
    .length(1)
})

/** Test hook: called between writing files, so tests can simulate a crash midway through a save. */
export const saveHooks: { afterFile?: (file: string) => void } = {}

/** tfjs layers-model artifacts for the weights, produced by tfjs itself so the format stays exact. */
export async function toArtifacts(weights: ModelWeights): Promise<tf.io.ModelArtifacts> {
  const model = tf.sequential()
  try {
    if (isCnnWeights(weights)) addCnnLayers(model, weights)
    else addMlpLayers(model, weights)
    const tensors = paramArrays(weights).map((p) => tf.tensor(p.values, p.shape, 'float32'))
    model.setWeights(tensors)
    tf.dispose(tensors)
    let captured: tf.io.ModelArtifacts | null = null
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        captured = artifacts
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
      })
    )
    if (!captured) throw new Error('tfjs produced no model artifacts')
    return captured
  } finally {
    model.dispose()
  }
}

function addMlpLayers(model: tf.Sequential, weights: MlpWeights): void {
  weights.forEach((w, i) => {
    model.add(
      tf.layers.dense({
        units: w.outputs,
        inputShape: i === 0 ? [w.inputs] : undefined,
        activation: i === weights.length - 1 ? 'softmax' : 'sigmoid',
        name: `dense_${i + 1}`
      })
    )
  })
}

/**
 * The CNN as tfjs layers: it takes 784 pixels (as the MLP does) and reshapes them to 28×28×1. Training's
 * dropout is no layer here (it does nothing at inference); metadata.json records its rate.
 */
function addCnnLayers(model: tf.Sequential, weights: CnnWeights): void {
  const { filters, kernelSize, denseUnits } = weights.settings
  model.add(tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784], name: 'reshape' }))
  filters.forEach((f, i) => {
    model.add(
      tf.layers.conv2d({
        filters: f,
        kernelSize,
        padding: 'valid',
        activation: 'relu',
        name: `conv_${i + 1}`
      })
    )
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `pool_${i + 1}` }))
  })
  model.add(tf.layers.flatten({ name: 'flatten' }))
  model.add(tf.layers.dense({ units: denseUnits, activation: 'relu', name: 'dense_1' }))
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'dense_2' }))
}

async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'w')
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
  saveHooks.afterFile?.(file)
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r')
    await handle.sync().finally(() => handle.close())
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  }
}

/** The hidden siblings a save of `folder` makes: `.<id>.tmp-<tag>` while writing, `.<id>.old-<tag>` while swapping. */
async function saveLeftovers(folder: string, kind: 'tmp' | 'old'): Promise<string[]> {
  const parent = path.dirname(folder)
  const prefix = `.${path.basename(folder)}.${kind}-`
  const entries = await readdir(parent).catch(() => [] as string[])
  return entries.filter((entry) => entry.startsWith(prefix)).map((entry) => path.join(parent, entry))
}

/**
 * Restores a folder whose replacement was interrupted between the two renames of writeModelFolder. Several
 * `.old-` folders can exist after repeated crashes: the newest one holds the version that was just replaced.
 */
export async function recoverModelFolder(folder: string): Promise<void> {
  if (existsSync(folder)) return
  const candidates = await Promise.all(
    (await saveLeftovers(folder, 'old')).map(async (dir) => ({ dir, mtime: (await stat(dir)).mtimeMs }))
  )
  const newest = candidates.sort((a, b) => b.mtime - a.mtime)[0]
  if (newest) await rename(newest.dir, folder)
}

/** Node names no path in write errors (ENOSPC, EIO): say which model folder could not be saved. */
function saveError(folder: string, error: unknown): Error {
  const code = (error as { code?: unknown }).code
  const reason = error instanceof Error ? error.message : String(error)
  return Object.assign(new Error(`${folder}: cannot save the model (${reason})`), { code, file: folder })
}

/** Writes model.json, weights.bin and metadata.json into `folder`, replacing it atomically. */
export async function writeModelFolder(
  folder: string,
  weights: ModelWeights,
  metadata: ModelMetadata
): Promise<void> {
  const parsed = ModelMetadataSchema.parse(metadata)
  const artifacts = await toArtifacts(weights)
  const parent = path.dirname(path.resolve(folder))
  const base = path.basename(folder)
  const tag = randomBytes(6).toString('hex')
  const temp = path.join(parent, `.${base}.tmp-${tag}`)
  try {
    await mkdir(temp, { recursive: true })
    const modelJson = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: 'Digit Studio',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }]
    }
    await writeFileSynced(path.join(temp, WEIGHTS_BIN), new Uint8Array(artifacts.weightData as ArrayBuffer))
    await writeFileSynced(path.join(temp, MODEL_JSON), JSON.stringify(modelJson))
    await writeFileSynced(path.join(temp, METADATA_JSON), JSON.stringify(parsed, null, 2) + '\n')
    await syncDir(temp)
    await recoverModelFolder(folder)
    const old = path.join(parent, `.${base}.old-${tag}`)
    const replacing = existsSync(folder)
    if (replacing) await rename(folder, old)
    await rename(temp, folder)
    await syncDir(parent)
  } catch (error) {
    await rm(temp, { recursive: true, force: true })
    throw saveError(folder, error)
  }
  // The new version is in place: whatever earlier crashed saves left behind is now only litter.
  const litter = [...(await saveLeftovers(folder, 'old')), ...(await saveLeftovers(folder, 'tmp'))]
  await Promise.all(litter.map((dir) => rm(dir, { recursive: true, force: true })))
}

async function readJson(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ModelError(
      code === 'ENOENT' ? 'not-found' : 'io',
      file,
      code === 'ENOENT' ? 'file not found' : String(error)
    )
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ModelError('bad-model', file, `not valid JSON (${(error as Error).message})`)
  }
}

export async function readMetadata(folder: string): Promise<ModelMetadata> {
  const file = path.join(folder, METADATA_JSON)
  const result = ModelMetadataSchema.safeParse(await readJson(file))
  if (!result.success)
    throw new ModelError('bad-model', file, `invalid metadata: ${result.error.issues[0]?.message}`)
  return result.data
}

/**
 * Reads and checks a model folder: for the MLP the weights must form a dense chain 784 → … → 10, for the CNN
 * they must have exactly the shapes its metadata's architecture needs.
 */
export async function readModelFolder(
  folder: string
): Promise<{ metadata: ModelMetadata; weights: ModelWeights }> {
  await recoverModelFolder(folder)
  if (!existsSync(folder)) throw new ModelError('not-found', folder, 'model folder not found')
  const metadata = await readMetadata(folder)
  const jsonFile = path.join(folder, MODEL_JSON)
  const parsed = ModelJsonSchema.safeParse(await readJson(jsonFile))
  if (!parsed.success)
    throw new ModelError('bad-model', jsonFile, `not a tfjs layers model: ${parsed.error.issues[0]?.message}`)
  const manifest = parsed.data.weightsManifest[0]
  const binFile = path.join(folder, path.basename(manifest.paths[0] ?? WEIGHTS_BIN))
  let bytes: Buffer
  try {
    bytes = await readFile(binFile)
  } catch {
    throw new ModelError('bad-model', binFile, 'weights file missing or unreadable')
  }
  const specs = manifest.weights
  const needed = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * 4, 0)
  if (bytes.length !== needed) {
    throw new ModelError('bad-model', binFile, `holds ${bytes.length} bytes, the manifest needs ${needed}`)
  }
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
  if (metadata.architecture.kind === 'cnn') {
    return { metadata, weights: cnnFromFloats(metadata, specs, floats, jsonFile) }
  }
  const weights: MlpWeights = []
  let offset = 0
  for (let i = 0; i + 1 < specs.length; i += 2) {
    const kernel = specs[i].shape
    const bias = specs[i + 1].shape
    if (kernel.length !== 2 || bias.length !== 1 || bias[0] !== kernel[1]) {
      throw new ModelError(
        'bad-model',
        jsonFile,
        `weights ${specs[i].name}/${specs[i + 1].name} are not a dense layer`
      )
    }
    const [inputs, outputs] = kernel
    if (weights.length && weights[weights.length - 1].outputs !== inputs) {
      throw new ModelError('bad-model', jsonFile, `layer ${specs[i].name} does not follow the previous layer`)
    }
    const k = floats.slice(offset, offset + inputs * outputs)
    offset += inputs * outputs
    const b = floats.slice(offset, offset + outputs)
    offset += outputs
    weights.push({ kernel: k, bias: b, inputs, outputs })
  }
  if (
    specs.length % 2 !== 0 ||
    weights.length < 1 ||
    weights[0].inputs !== 784 ||
    weights[weights.length - 1].outputs !== 10
  ) {
    throw new ModelError('bad-model', jsonFile, 'expected dense layers from 784 inputs to 10 outputs')
  }
  return { metadata, weights }
}

function cnnFromFloats(
  metadata: ModelMetadata,
  specs: z.infer<typeof WeightSpecSchema>[],
  floats: Float32Array,
  jsonFile: string
): CnnWeights {
  const architecture = metadata.architecture
  if (architecture.kind !== 'cnn' || architecture.conv.length !== 2 || architecture.dense.length !== 1) {
    throw new ModelError(
      'bad-model',
      jsonFile,
      'expected a CNN with two convolution stages and one dense layer'
    )
  }
  const settings = CnnSettingsSchema.parse({
    filters: architecture.conv.map((c) => c.filters),
    kernelSize: architecture.conv[0].kernelSize,
    denseUnits: architecture.dense[0]
  })
  const shapes = cnnShapes(settings)
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i])
  if (specs.length !== shapes.length || !specs.every((spec, i) => same(spec.shape, shapes[i]))) {
    throw new ModelError(
      'bad-model',
      jsonFile,
      'the weights do not have the shapes of the CNN in metadata.json'
    )
  }
  let offset = 0
  const params = shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1)
    const values = floats.slice(offset, offset + size)
    offset += size
    return { shape, values }
  })
  return { kind: 'cnn', settings, params }
}
