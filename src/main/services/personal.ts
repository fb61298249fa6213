/**
 * The personal sample collection and "teach": corrections from the drawing pad, labelled imports taken into
 * the collection, and fine-tuning the active (or a chosen) model on it in the training process.
 */
import { PersonalStore } from '../../core/personal/store'
import { toMnistForm } from '../../core/preprocess'
import type { ImportResult } from '../../shared/schemas/import'
import type { PersonalList } from '../../shared/schemas/personal'
import type { EmitEvent } from '../ipc/events'
import { ServiceError, type Handlers } from '../ipc/router'
import type { TrainingHost } from '../training/host'
import type { JobTracker } from './jobs'
import type { MnistService } from './mnist'
import type { ModelService } from './models'
import type { SettingsStore } from './settings'
import { startTrainingJob } from './training'

type PersonalCalls = Pick<
  Handlers,
  | 'personal.list'
  | 'personal.add'
  | 'personal.delete'
  | 'personal.image'
  | 'personal.addImport'
  | 'personal.teach'
>

export interface PersonalDeps {
  dataDir: string
  models: ModelService
  mnist: MnistService
  settings: SettingsStore
  jobs: JobTracker
  host: TrainingHost
  /** A finished import by id (the Test sets view's "Teach the model with these samples"). */
  importResult: (importId: string) => ImportResult
}

export function personalHandlers(deps: PersonalDeps, emit: EmitEvent): PersonalCalls {
  const store = new PersonalStore(deps.dataDir)
  const list = (): Promise<PersonalList> => store.list()
  return {
    'personal.list': list,
    'personal.add': async ({ label, width, height, pixels }) => {
      const data = new Uint8Array(Buffer.from(pixels, 'base64'))
      if (data.length !== width * height) {
        throw new ServiceError('bad-request', `Expected ${width * height} pixels, got ${data.length}.`)
      }
      const form = toMnistForm({ width, height, data })
      if (form.kind === 'no-digit') throw new ServiceError('bad-input', form.reason)
      await store.add({ label, form: form.pixels, source: 'pad', image: { width, height, data } })
      return list()
    },
    'personal.delete': async ({ id }) => {
      await store.delete(id)
      return list()
    },
    'personal.image': async ({ id }) => ({ dataUrl: await store.image(id) }),
    'personal.addImport': async ({ importId }) => {
      const result = deps.importResult(importId)
      let added = 0
      for (const sample of result.samples) {
        if (sample.label === null || sample.view28 === null) continue
        const bytes = Buffer.from(sample.view28, 'base64')
        const form = Float32Array.from(bytes, (v) => v / 255)
        await store.add({
          label: sample.label,
          form,
          source: 'import',
          origin: `${result.folder}/${sample.file}`
        })
        added++
      }
      if (added === 0)
        throw new ServiceError('bad-input', 'This import has no labelled images with a digit to learn from.')
      return { added, list: await list() }
    },
    'personal.teach': async ({ modelId, epochs, name, hyperparameters }) => {
      const { samples } = await list()
      if (samples.length === 0)
        throw new ServiceError(
          'bad-input',
          'The collection is empty: correct a few drawings or teach from a test set first.'
        )
      const baseId = modelId ?? (await deps.models.activeId())
      if (!(await deps.models.store.exists(baseId)))
        throw new ServiceError('not-found', `No model with id ${baseId}.`)
      const folder = (await deps.mnist.folder()).folder
      return startTrainingJob(
        deps.host,
        deps.jobs,
        emit,
        {
          hyperparameters,
          mnistFolder: folder,
          name,
          backend: (await deps.settings.get()).backend,
          modelsDir: deps.models.store.dir,
          tune: { baseFolder: deps.models.store.folderOf(baseId), baseId, dataDir: deps.dataDir, epochs }
        },
        { name: name ?? null, epochs: epochs ?? 5 }
      )
    }
  }
}
