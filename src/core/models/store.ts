/**
 * The app's model library: one folder per model under `dir`, plus the read-only built-in models shipped
 * with the app: 'default' in `builtinDir` (the most accurate one: first start and the CLI without --model)
 * and any others in `builtins` (e.g. the paper's MLP). Ids are safe slugs, so an id can never name a path
 * outside `dir`.
 */
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises'
import path from 'node:path'
import { IdSchema } from '../../shared/contract'
import type { ModelMetadata } from '../../shared/schemas/models'
import { createRunner, type ModelWeights } from '../model/weights'
import type { Outputs } from '../model/runner'
import { releaseDetector, type Detector } from '../calibration/detector'
import { makeFolders, writeFailureReason } from '../fs/safe-write'
import { ModelError } from './errors'
import {
  METADATA_JSON,
  assertModelTarget,
  modelTargetState,
  readMetadata,
  readModelFolder,
  writeModelFolder,
  type ModelFolder
} from './format'

export const BUILTIN_ID = 'default'

export interface StoredModel extends ModelMetadata {
  builtin: boolean
}

export interface LoadedModel {
  id: string
  metadata: ModelMetadata
  /** pixels: count×784 in [0,1] (MNIST polarity, ink = 1); returns count×10 probabilities. */
  predict(pixels: Float32Array, count: number): Promise<Float32Array>
  /** The probabilities and the feature activations (runner.ts), from one forward pass. */
  predictWithFeatures(pixels: Float32Array, count: number): Promise<Outputs>
  /** The "not a digit" detector fitted with the model's calibration; null when it has none or it is unusable. */
  detector: Detector | null
  /** Why a detector named in metadata.json is not used (file and reason), else null. */
  detectorProblem: string | null
  dispose(): void
}

export interface ModelStoreOptions {
  dir: string
  builtinDir?: string | null
  /** Further read-only shipped models: id → folder. */
  builtins?: Record<string, string>
}

/**
 * The shipped models in a resources folder: every subfolder holding a metadata.json, by folder name
 * ('default' is the default model). For ModelStore's builtinDir and builtins.
 */
export function shippedModels(modelsDir: string): {
  builtinDir: string | null
  builtins: Record<string, string>
} {
  const builtins: Record<string, string> = {}
  let builtinDir: string | null = null
  let entries: string[] = []
  try {
    entries = readdirSync(modelsDir)
  } catch {
    // No shipped models (e.g. a stripped build): the library still works.
  }
  for (const entry of entries.sort()) {
    const folder = path.join(modelsDir, entry)
    if (!IdSchema.safeParse(entry).success || !existsSync(path.join(folder, METADATA_JSON))) continue
    if (entry === BUILTIN_ID) builtinDir = folder
    else builtins[entry] = folder
  }
  return { builtinDir, builtins }
}

/** `name`, or `name (2)`, `name (3)`… — the first that is not taken. */
export function uniqueName(name: string, taken: string[]): string {
  const names = new Set(taken)
  const base = name.replace(/ \(\d+\)$/, '')
  if (!names.has(name)) return name
  for (let n = 2; ; n++) if (!names.has(`${base} (${n})`)) return `${base} (${n})`
}

/** Turns a name into an id: letters, digits, - and _, starting with a letter or digit. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 60)
  return slug || 'model'
}

export function checkId(id: string): string {
  if (!IdSchema.safeParse(id).success) throw new ModelError('bad-id', id, 'not a valid model id')
  return id
}

/** Loads a model folder onto the active backend. */
export async function loadModelFolder(folder: string, id?: string): Promise<LoadedModel> {
  const read = await readModelFolder(folder)
  return runnerModel(id ?? read.metadata.id, read.metadata, read.weights, read)
}

export function runnerModel(
  id: string,
  metadata: ModelMetadata,
  weights: ModelWeights,
  detector: Pick<ModelFolder, 'detector' | 'detectorProblem'> = { detector: null, detectorProblem: null }
): LoadedModel {
  const runner = createRunner(weights)
  return {
    id,
    metadata,
    detector: detector.detector,
    detectorProblem: detector.detectorProblem,
    predict: (pixels, count) => runner.predict(pixels, count),
    predictWithFeatures: (pixels, count) => runner.predictWithFeatures(pixels, count),
    dispose: () => {
      runner.dispose()
      if (detector.detector) releaseDetector(detector.detector)
    }
  }
}

export class ModelStore {
  readonly dir: string
  readonly builtinDir: string | null
  /** Every shipped model, 'default' first: id → folder. */
  private readonly builtins = new Map<string, string>()

  constructor(options: ModelStoreOptions) {
    this.dir = path.resolve(options.dir)
    this.builtinDir = options.builtinDir ? path.resolve(options.builtinDir) : null
    if (this.builtinDir) this.builtins.set(BUILTIN_ID, this.builtinDir)
    for (const [id, folder] of Object.entries(options.builtins ?? {})) {
      if (id !== BUILTIN_ID) this.builtins.set(checkId(id), path.resolve(folder))
    }
  }

  isBuiltin(id: string): boolean {
    return this.builtins.has(id)
  }

  /** The folder of a model; throws for ids that are not safe slugs. */
  folderOf(id: string): string {
    checkId(id)
    const builtin = this.builtins.get(id)
    if (builtin) return builtin
    const folder = path.join(this.dir, id)
    if (path.dirname(folder) !== this.dir) throw new ModelError('bad-id', id, 'id escapes the models folder')
    return folder
  }

  /** All readable models, built-in first, then newest first. Unreadable folders are skipped. */
  async list(): Promise<StoredModel[]> {
    const out: StoredModel[] = []
    for (const [id, folder] of this.builtins) {
      const builtin = await readMetadata(folder).catch(() => null)
      if (builtin) out.push({ ...builtin, id, builtin: true })
    }
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => [])
    const own: StoredModel[] = []
    for (const entry of entries) {
      if (!entry.isDirectory() || !IdSchema.safeParse(entry.name).success || this.isBuiltin(entry.name))
        continue
      const metadata = await readMetadata(path.join(this.dir, entry.name)).catch(() => null)
      if (metadata) own.push({ ...metadata, id: entry.name, builtin: false })
    }
    own.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    return [...out, ...own]
  }

  async exists(id: string): Promise<boolean> {
    return existsSync(path.join(this.folderOf(id), METADATA_JSON))
  }

  async load(id: string): Promise<LoadedModel> {
    return loadModelFolder(this.folderOf(id), id)
  }

  async read(id: string): Promise<ModelFolder> {
    return readModelFolder(this.folderOf(id))
  }

  /**
   * A fresh id for a name (its slug, with -2, -3, … appended while taken), reserved at once by creating its
   * empty folder: a training that saves at the end of its first epoch cannot replace a model imported or
   * trained under the same name meanwhile. An empty folder is not listed; releaseId gives it back.
   */
  async newId(name: string): Promise<string> {
    const base = slugify(name)
    await mkdir(this.dir, { recursive: true })
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base.slice(0, 60)}-${n}`
      if (this.isBuiltin(id)) continue
      try {
        await mkdir(this.folderOf(id))
        return id
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          const reason = `cannot create the model folder: ${writeFailureReason(error)}`
          throw new ModelError('io', this.folderOf(id), reason)
        }
      }
    }
  }

  /** Gives back an id reserved by newId whose model was never saved (removes the folder only if empty). */
  async releaseId(id: string): Promise<void> {
    await rmdir(this.folderOf(id)).catch(() => undefined)
  }

  /** Saves (or atomically replaces) a model, with its detector if it has one; the metadata's id is set to `id`. */
  async save(
    id: string,
    weights: ModelWeights,
    metadata: ModelMetadata,
    detector: Detector | null = null
  ): Promise<StoredModel> {
    if (this.isBuiltin(checkId(id)))
      throw new ModelError('read-only', id, 'a built-in model cannot be changed')
    await mkdir(this.dir, { recursive: true })
    const full = { ...metadata, id }
    await writeModelFolder(this.folderOf(id), weights, full, detector)
    return { ...full, builtin: false }
  }

  async rename(id: string, name: string): Promise<StoredModel> {
    if (this.isBuiltin(checkId(id)))
      throw new ModelError('read-only', id, 'a built-in model cannot be renamed')
    const { metadata, weights, detector } = await this.read(id)
    return this.save(id, weights, { ...metadata, name }, detector)
  }

  async delete(id: string): Promise<void> {
    if (this.isBuiltin(checkId(id)))
      throw new ModelError('read-only', id, 'a built-in model cannot be deleted')
    const folder = this.folderOf(id)
    if (!existsSync(folder)) throw new ModelError('not-found', id, 'no such model')
    await rm(folder, { recursive: true, force: true })
  }

  /**
   * Copies a model folder into the library under a fresh id. A name already in the library gets " (2)", " (3)"…
   * so that importing the same folder twice never gives two models one can't tell apart.
   */
  async importFolder(folder: string): Promise<StoredModel> {
    const source = path.resolve(folder)
    if (!existsSync(source)) throw new ModelError('not-found', source, 'folder not found')
    if (!existsSync(path.join(source, METADATA_JSON)))
      throw new ModelError(
        'not-a-model',
        source,
        'this folder is not a Digit Studio model (it has no metadata.json)'
      )
    const { metadata, weights, detector } = await readModelFolder(source)
    const name = uniqueName(
      metadata.name || path.basename(source),
      (await this.list()).map((m) => m.name)
    )
    const id = await this.newId(name)
    try {
      return await this.save(id, weights, { ...metadata, name }, detector)
    } catch (error) {
      await this.releaseId(id)
      throw error
    }
  }

  /**
   * Writes the model into `folder`: there if it is new, empty or a model folder (replaced), else into a new
   * sub-folder named after the model (`<folder>/<id>`, `<id>-2`, …), so an export never overwrites other
   * files. Returns the folder written.
   */
  async exportFolder(id: string, folder: string): Promise<string> {
    const { metadata, weights, detector } = await this.read(id) // refuses to export a damaged model
    const chosen = path.resolve(folder)
    let target = chosen
    for (let n = 1; (await modelTargetState(target)).state === 'refused'; n++) {
      if (n > 100) await assertModelTarget(target)
      target = path.join(chosen, n === 1 ? id : `${id}-${n}`)
    }
    await makeFolders(path.dirname(target))
    await writeModelFolder(target, weights, metadata, detector)
    return target
  }
}
