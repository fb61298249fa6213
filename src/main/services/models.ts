import { assessorFor } from '../../core/calibration'
import { checkUserPath } from '../../core/paths'
import { warmUpReading } from '../../core/segmentation'
import { join } from 'node:path'
import { BUILTIN_ID, ModelStore, shippedModels, type LoadedModel } from '../../core/models'
import type { ModelSummary } from '../../shared/schemas/models'
import { ServiceError, type Handlers } from '../ipc/router'
import type { SettingsStore } from './settings'

type ModelCalls = Pick<
  Handlers,
  'models.list' | 'models.setActive' | 'models.rename' | 'models.delete' | 'models.import' | 'models.export'
>

/** The model library (the shipped model plus the user's) and the one model that drawing and imports use. */
export class ModelService {
  readonly store: ModelStore
  private loaded: { id: string; model: Promise<LoadedModel> } | null = null
  /** Models a running job (an import) holds: unloading one only marks it, it is disposed when the job ends. */
  private readonly leases = new Map<LoadedModel, number>()
  private readonly retired = new Set<LoadedModel>()

  constructor(
    dataDir: string,
    resourcesDir: string,
    private readonly settings: SettingsStore,
    /** Resolves once the tensor backend is chosen: weights must be loaded onto it. */
    private readonly backendReady: () => Promise<unknown>,
    /** Where a model's unusable "not a digit" detector is reported (the model still loads without it). */
    private readonly log: (line: string) => void = (line) => console.warn(line)
  ) {
    // Every model shipped in resources/models: 'default' (the most accurate) and the paper's MLP.
    const shipped = shippedModels(join(resourcesDir, 'models'))
    this.store = new ModelStore({
      dir: join(dataDir, 'models'),
      builtinDir: shipped.builtinDir ?? join(resourcesDir, 'models', BUILTIN_ID),
      builtins: shipped.builtins
    })
  }

  async activeId(): Promise<string> {
    const chosen = (await this.settings.get()).activeModelId
    if (!chosen) return BUILTIN_ID
    // Already in memory: no disk check on every drawing-pad frame.
    if (this.loaded?.id === chosen) return chosen
    // A chosen model that has since disappeared falls back to the shipped one.
    return (await this.store.exists(chosen).catch(() => false)) ? chosen : BUILTIN_ID
  }

  /** The active model, loaded once onto the current backend and kept until it changes. */
  async active(): Promise<LoadedModel> {
    const id = await this.activeId()
    if (this.loaded?.id !== id) {
      this.unload()
      const model = this.backendReady().then(() => this.load(id))
      this.loaded = { id, model }
      model.then(
        (loaded) => this.warmUp(loaded, model),
        () => {
          if (this.loaded?.model === model) this.loaded = null
        }
      )
    }
    return this.loaded.model
  }

  /** A model other than the active one, loaded for one task; the caller disposes it. */
  async loadOther(id: string): Promise<LoadedModel> {
    await this.backendReady()
    return this.load(id)
  }

  /** Loads the active model now (at start-up), so that the first stroke finds it loaded and warmed up. */
  preload(): void {
    this.active().catch(() => {
      // Reported when something asks for the model.
    })
  }

  /**
   * The active model is what the pad reads with: once loaded, its reading is warmed up in the background
   * (warm-up.ts; frames arriving meanwhile are read between its steps), or the first frames would take several
   * times longer. A failed warm-up only costs those frames' speed; one cut short by an unload says nothing.
   */
  private async warmUp(model: LoadedModel, loading: Promise<LoadedModel>): Promise<void> {
    await warmUpReading(model, assessorFor(model)).catch((error: unknown) => {
      if (this.loaded?.model === loading) {
        this.log(`model ${model.id}: warming up the reading failed: ${String(error)}`)
      }
    })
  }

  private async load(id: string): Promise<LoadedModel> {
    const model = await this.store.load(id)
    if (model.detectorProblem) this.log(`model ${id}: ${model.detectorProblem}`)
    return model
  }

  /**
   * The active model (or `id`) for a job that runs a while: it stays usable until release(), whatever is
   * renamed, deleted, activated or switched meanwhile.
   */
  async borrow(id?: string): Promise<{ model: LoadedModel; release(): void }> {
    const model = id ? await this.loadOther(id) : await this.active()
    if (id) this.retired.add(model)
    this.leases.set(model, (this.leases.get(model) ?? 0) + 1)
    let released = false
    return {
      model,
      release: () => {
        if (released) return
        released = true
        const left = (this.leases.get(model) ?? 1) - 1
        if (left > 0) return void this.leases.set(model, left)
        this.leases.delete(model)
        if (this.retired.delete(model)) model.dispose()
      }
    }
  }

  private retire(model: LoadedModel): void {
    if (this.leases.has(model)) this.retired.add(model)
    else model.dispose()
  }

  /** Forget the loaded model (after a backend switch, or when it is deleted or replaced). */
  unload(): void {
    const previous = this.loaded
    this.loaded = null
    void previous?.model.then((model) => this.retire(model)).catch(() => undefined)
  }

  async summaries(): Promise<ModelSummary[]> {
    const active = await this.activeId()
    return (await this.store.list()).map((model) => ({ ...model, active: model.id === active }))
  }

  handlers(): ModelCalls {
    return {
      'models.list': () => this.summaries(),
      'models.setActive': async ({ id }) => {
        if (!(await this.store.exists(id))) throw new ServiceError('not-found', `No model with id ${id}.`)
        // A damaged model (bad weights, NaN, wrong size) is refused here, naming the file, not on first use.
        await this.store.read(id)
        await this.settings.update({ activeModelId: id === BUILTIN_ID ? null : id })
        return this.summaries()
      },
      'models.rename': async ({ id, name }) => {
        await this.store.rename(id, name)
        if (this.loaded?.id === id) this.unload()
        return this.summaries()
      },
      'models.delete': async ({ id }) => {
        if (this.loaded?.id === id) this.unload()
        await this.store.delete(id)
        if ((await this.settings.get()).activeModelId === id)
          await this.settings.update({ activeModelId: null })
        return this.summaries()
      },
      'models.import': async ({ folder }) => {
        await this.store.importFolder(checkUserPath(folder))
        return this.summaries()
      },
      'models.export': async ({ id, folder }) => ({
        folder: await this.store.exportFolder(id, checkUserPath(folder))
      })
    }
  }
}
