/**
 * The on-disk model: tfjs layers-model artifacts (model.json + weights.bin, loadable with
 * tf.loadLayersModel) plus metadata.json (ModelMetadataSchema), and, for a model calibrated with the
 * "not a digit" detector, its arrays in detector.bin (DETECTOR_FILE; an unreadable one only means "no detector"). Folders are written atomically:
 * files go to a temporary sibling folder, are fsynced, and the folder is renamed into place.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { ModelMetadataSchema, type ModelMetadata } from '../../shared/schemas/models'
import { tf } from '../backend'
import { CnnSettingsSchema } from '../../shared/schemas/training'
import { makeFolders, writeFailureReason, writeFileSafely } from '../fs/safe-write'
import { describeFileType, readRegularFile, SafeReadError, type ReadLimits } from '../fs/safe-read'
import { cnnShapes, isCnnWeights, type CnnWeights } from '../model/cnn'
import type { MlpWeights } from '../model/mlp'
import { paramArrays, type ModelWeights } from '../model/weights'
import {
  DETECTOR_FILE,
  detectorBytes,
  detectorFileBytes,
  detectorFromBytes,
  type Detector
} from '../calibration/detector'
import { ModelError, type ModelErrorCode } from './errors'

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
  if (error instanceof ModelError) return error
  const code = (error as { code?: unknown }).code
  return Object.assign(new Error(`${folder}: cannot save the model: ${writeFailureReason(error)}`), {
    code,
    file: folder
  })
}

/** The files a model folder may hold; anything else means the folder is not ours to replace. */
const MODEL_FILES = new Set([MODEL_JSON, WEIGHTS_BIN, METADATA_JSON, DETECTOR_FILE])

/**
 * What is at `folder`, for a save that would replace it: nothing, an empty folder, or a Digit Studio model
 * folder (only model files, readable metadata) may be written; anything else (a folder of other files, a file,
 * a device, a symbolic link) is described in `refused`.
 */
export async function modelTargetState(
  folder: string
): Promise<{ state: 'absent' | 'empty' | 'model' } | { state: 'refused'; reason: string }> {
  await recoverModelFolder(folder).catch(() => undefined)
  const info = await lstat(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw saveError(folder, error)
  })
  if (info === null) return { state: 'absent' }
  if (info.isSymbolicLink()) return { state: 'refused', reason: 'it is a symbolic link' }
  if (!info.isDirectory()) return { state: 'refused', reason: `it is ${describeFileType(info)}` }
  const entries = await readdir(folder)
  if (entries.length === 0) return { state: 'empty' }
  const others = entries.filter((entry) => !MODEL_FILES.has(entry))
  if (others.length > 0) {
    const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? ', …' : '')
    return { state: 'refused', reason: `it holds files that are not a model's (${shown})` }
  }
  const metadata = await readMetadata(folder).catch(() => null)
  if (metadata === null) return { state: 'refused', reason: 'it has no readable Digit Studio metadata.json' }
  return { state: 'model' }
}

/** Throws a `conflict` ModelError unless writing a model to `folder` replaces at most a model folder. */
export async function assertModelTarget(folder: string): Promise<void> {
  const target = await modelTargetState(folder)
  if (target.state === 'refused') {
    throw new ModelError(
      'conflict',
      folder,
      `will not save a model here: ${target.reason}, and only a Digit Studio model folder is ever replaced. ` +
        'Choose a new or empty folder.'
    )
  }
}

/** The index of the first NaN or infinite value, or -1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i
  return -1
}

/**
 * The metadata as it is written beside `detector`: its calibration describes exactly that detector, or none
 * (a detector whose arrays are not written along is never described).
 */
function withDetector(
  metadata: ModelMetadata,
  detector: Detector | null,
  weights: ModelWeights
): ModelMetadata {
  const calibration = metadata.calibration
  if (!calibration) return metadata
  const { detector: _described, ...rest } = calibration
  if (!detector) return { ...metadata, calibration: rest }
  const info = { ...detector.info, weightsSha256: weightsDigest(weights) }
  return { ...metadata, calibration: { ...rest, detector: info } }
}

/** SHA-256 (hex) of the weights' float32 values, little-endian, in the tfjs layers order (weights.bin's bytes). */
export function weightsDigest(weights: ModelWeights): string {
  const hash = createHash('sha256')
  const bigEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1
  for (const { values } of paramArrays(weights)) {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
    if (!bigEndian) hash.update(bytes)
    else {
      const swapped = Uint8Array.from(bytes)
      for (let i = 0; i < swapped.length; i += 4) swapped.subarray(i, i + 4).reverse()
      hash.update(swapped)
    }
  }
  return hash.digest('hex')
}

/**
 * Writes model.json, weights.bin, metadata.json (and detector.bin for a `detector`) into `folder`, replacing it
 * atomically. Without `detector` the metadata's calibration keeps no detector description.
 */
export async function writeModelFolder(
  folder: string,
  weights: ModelWeights,
  metadata: ModelMetadata,
  detector: Detector | null = null
): Promise<void> {
  const parsed = ModelMetadataSchema.parse(
    withDetector(metadata, metadata.calibration ? detector : null, weights)
  )
  if (paramArrays(weights).some((p) => firstNonFinite(p.values) >= 0)) {
    throw new ModelError(
      'bad-model',
      folder,
      'cannot save the model: its weights hold NaN or infinite values (the training diverged; ' +
        'a lower learning rate helps)'
    )
  }
  await assertModelTarget(folder)
  const artifacts = await toArtifacts(weights)
  const parent = path.dirname(path.resolve(folder))
  const base = path.basename(folder)
  const tag = randomBytes(6).toString('hex')
  const temp = path.join(parent, `.${base}.tmp-${tag}`)
  try {
    await makeFolders(parent)
    await mkdir(temp)
    const modelJson = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: 'Digit Studio',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }]
    }
    await writeFileSynced(path.join(temp, WEIGHTS_BIN), new Uint8Array(artifacts.weightData as ArrayBuffer))
    if (parsed.calibration?.detector && detector)
      await writeFileSynced(path.join(temp, DETECTOR_FILE), detectorBytes(detector))
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

/**
 * Records a new calibration in an existing model folder without touching its weights or other files (a shipped
 * model's README stays): detector.bin first, then metadata.json, each through the safe write (exclusive
 * temporary file, fsync, rename). A crash between the two leaves the old metadata, whose checksum no longer
 * matches the new detector.bin: the model loads without a detector, as readDetector reports.
 */
export async function writeCalibration(
  folder: string,
  weights: ModelWeights,
  metadata: ModelMetadata,
  detector: Detector | null
): Promise<void> {
  const parsed = ModelMetadataSchema.parse(
    withDetector(metadata, metadata.calibration ? detector : null, weights)
  )
  try {
    if (parsed.calibration?.detector && detector) {
      await writeFileSafely(path.join(folder, DETECTOR_FILE), detectorBytes(detector), { replace: true })
    }
    await writeFileSafely(path.join(folder, METADATA_JSON), JSON.stringify(parsed, null, 2) + '\n', {
      replace: true
    })
  } catch (error) {
    throw saveError(folder, error)
  }
}

/**
 * Size caps of a model's files. model.json holds the topology and the manifest (a few kB for any model the
 * app makes); metadata.json the name, hyperparameters and figures; weights.bin exactly what the manifest
 * declares, and no manifest may declare more than MAX_WEIGHTS_BYTES.
 */
export const MAX_MODEL_JSON_BYTES = 1024 * 1024
export const MAX_METADATA_BYTES = 256 * 1024
export const MAX_WEIGHTS_BYTES = 256 * 1024 * 1024

/** A safe read (regular file after links, size cap) as a ModelError naming the file. */
async function readModelFile(file: string, limits: ReadLimits, missing: ModelErrorCode): Promise<Buffer> {
  try {
    return await readRegularFile(file, limits)
  } catch (error) {
    if (!(error instanceof SafeReadError)) throw error
    const code = error.code === 'not-found' ? missing : error.code === 'unreadable' ? 'io' : 'bad-model'
    throw new ModelError(code, file, error.reason)
  }
}

async function readJson(file: string, maxBytes: number): Promise<unknown> {
  const text = (await readModelFile(file, { maxBytes }, 'not-found')).toString('utf8')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ModelError('bad-model', file, `not valid JSON (${(error as Error).message})`)
  }
}

export async function readMetadata(folder: string): Promise<ModelMetadata> {
  const file = path.join(folder, METADATA_JSON)
  const result = ModelMetadataSchema.safeParse(await readJson(file, MAX_METADATA_BYTES))
  if (!result.success)
    throw new ModelError('bad-model', file, `invalid metadata: ${result.error.issues[0]?.message}`)
  return result.data
}

/** A model folder as read: its metadata, weights and "not a digit" detector. */
export interface ModelFolder {
  metadata: ModelMetadata
  weights: ModelWeights
  /** null: the model has none, or its file could not be used (see detectorProblem). */
  detector: Detector | null
  /** Why a detector described in metadata.json is not used (the file and the reason), else null. */
  detectorProblem: string | null
}

/**
 * The detector described in a model's metadata, from its sidecar file: a missing, damaged or mismatched file,
 * or one fitted for other weights, means no detector and a reason, never an error (the model still reads digits).
 */
export async function readDetector(
  folder: string,
  metadata: ModelMetadata,
  weights: ModelWeights
): Promise<{ detector: Detector | null; detectorProblem: string | null }> {
  const info = metadata.calibration?.detector
  if (!info) return { detector: null, detectorProblem: null }
  const file = path.join(folder, info.file)
  try {
    if (info.weightsSha256 !== undefined && info.weightsSha256 !== weightsDigest(weights)) {
      throw new Error('it was fitted for other weights than these (the model was replaced since)')
    }
    const expected = detectorFileBytes(info)
    const bytes = await readRegularFile(file, { maxBytes: expected, exactBytes: expected })
    return { detector: detectorFromBytes(info, bytes), detectorProblem: null }
  } catch (error) {
    const reason = error instanceof SafeReadError ? error.reason : (error as Error).message
    return {
      detector: null,
      detectorProblem: `${file}: ${reason}; the "not a digit" detector is off for this model (calibrate it again)`
    }
  }
}

/**
 * Reads and checks a model folder: for the MLP the weights must form a dense chain 784 → … → 10, for the CNN
 * they must have exactly the shapes its metadata's architecture needs. The detector is read as readDetector says.
 */
export async function readModelFolder(folder: string): Promise<ModelFolder> {
  await recoverModelFolder(folder)
  if (!existsSync(folder)) throw new ModelError('not-found', folder, 'model folder not found')
  const metadata = await readMetadata(folder)
  const jsonFile = path.join(folder, MODEL_JSON)
  const parsed = ModelJsonSchema.safeParse(await readJson(jsonFile, MAX_MODEL_JSON_BYTES))
  if (!parsed.success)
    throw new ModelError('bad-model', jsonFile, `not a tfjs layers model: ${parsed.error.issues[0]?.message}`)
  const manifest = parsed.data.weightsManifest[0]
  const binFile = path.join(folder, path.basename(manifest.paths[0] ?? WEIGHTS_BIN))
  const specs = manifest.weights
  // The weights' size follows from the architecture the manifest declares: that many bytes are read, no more.
  const needed = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * 4, 0)
  if (needed > MAX_WEIGHTS_BYTES) {
    throw new ModelError(
      'bad-model',
      jsonFile,
      `the manifest declares ${needed} bytes of weights, over the limit of ${MAX_WEIGHTS_BYTES}`
    )
  }
  const bytes = await readModelFile(binFile, { maxBytes: needed, exactBytes: needed }, 'bad-model')
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
  const bad = firstNonFinite(floats)
  if (bad >= 0) {
    throw new ModelError(
      'bad-model',
      binFile,
      `weight ${bad} is ${floats[bad]}, not a finite number: the model cannot give meaningful answers`
    )
  }
  if (metadata.architecture.kind === 'cnn') {
    const weights = cnnFromFloats(metadata, specs, floats, jsonFile)
    return { metadata, weights, ...(await readDetector(folder, metadata, weights)) }
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
  return { metadata, weights, ...(await readDetector(folder, metadata, weights)) }
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
