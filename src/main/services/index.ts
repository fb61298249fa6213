/**
 * The main-process services: one handler per call of the contract, shared verbatim by the Electron app and
 * web mode. Only the ShellHost (dialogs, folders, the training process) differs between the two.
 */
import type { ShellHost } from '../app/shell'
import type { EmitEvent } from '../ipc/events'
import type { Handlers } from '../ipc/router'
import { appHandlers } from './app'
import { EngineService } from './engine'
import { JobTracker } from './jobs'
import { MnistService } from './mnist'
import { ModelService } from './models'
import { personalHandlers } from './personal'
import { predictHandlers } from './predict'
import { readingHandlers } from './reading'
import { SettingsStore } from './settings'
import { TestSetService } from './testsets'
import { trainingHandlers } from './training'

export interface ServiceDeps {
  host: ShellHost
  emit: EmitEvent
  version: string
  log?: (line: string) => void
  /** Load (and warm up) the active model at once rather than at the first drawing (the app and web mode). */
  preloadModel?: boolean
}

export interface Services {
  handlers: Handlers
  dispose(): Promise<void>
}

export async function createServices({
  host,
  emit,
  version,
  log,
  preloadModel = false
}: ServiceDeps): Promise<Services> {
  const settings = new SettingsStore(host.dataDir)
  settings.onChange((next) => emit('settings.changed', next))
  const jobs = new JobTracker(host.dataDir)
  // Models live on the backend they were loaded on: a backend switch reloads the active one.
  const engine: EngineService = new EngineService((await settings.get()).backend, () => models.unload())
  const models: ModelService = new ModelService(
    host.dataDir,
    host.resourcesDir,
    settings,
    () => engine.backend(),
    log
  )
  const mnist = new MnistService(host.dataDir, settings)
  const testSets = new TestSetService(models, settings, jobs)
  await testSets.restore()
  const training = host.createTrainingHost()
  const unsureThreshold = async (): Promise<number> => (await settings.get()).unsureThreshold
  if (preloadModel) models.preload()

  const handlers: Handlers = {
    ...appHandlers(host, settings, engine, mnist, version),
    'jobs.state': async () => jobs.snapshot(),
    ...predictHandlers(models, unsureThreshold),
    ...models.handlers(),
    ...mnist.handlers(emit),
    ...trainingHandlers(training, mnist, models, settings, jobs, emit),
    ...testSets.handlers(emit),
    ...readingHandlers(models, (folder) => testSets.runImport({ folder }, emit), unsureThreshold),
    ...personalHandlers(
      {
        dataDir: host.dataDir,
        models,
        mnist,
        settings,
        jobs,
        host: training,
        importResult: (id) => testSets.resultOf(id)
      },
      emit
    )
  }
  return {
    handlers,
    dispose: async () => {
      await training.cancel()
      models.unload()
    }
  }
}
