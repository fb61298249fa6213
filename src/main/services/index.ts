/**
 * The main-process services: one handler per call of the contract, shared verbatim by the Electron app and
 * web mode. Only the ShellHost (dialogs, folders) differs between the two.
 */
import type { ShellHost } from '../app/shell'
import type { EmitEvent } from '../ipc/events'
import { ServiceError, type Handlers } from '../ipc/router'
import { appHandlers } from './app'
import { EngineService } from './engine'
import { SettingsStore } from './settings'

export interface ServiceDeps {
  host: ShellHost
  emit: EmitEvent
  version: string
  log?: (line: string) => void
}

export interface Services {
  handlers: Handlers
  dispose(): Promise<void>
}

const notYet = (what: string) => async (): Promise<never> => {
  throw new ServiceError('unavailable', `${what} is not available yet.`)
}

export async function createServices({ host, version }: ServiceDeps): Promise<Services> {
  const settings = new SettingsStore(host.dataDir)
  const engine = new EngineService((await settings.get()).backend)
  const handlers: Handlers = {
    ...appHandlers(host, settings, engine, version),
    'predict.image': notYet('Prediction'),
    'models.list': notYet('Models'),
    'models.setActive': notYet('Models'),
    'models.rename': notYet('Models'),
    'models.delete': notYet('Models'),
    'models.import': notYet('Models'),
    'models.export': notYet('Models'),
    'mnist.status': notYet('MNIST'),
    'mnist.download': notYet('MNIST'),
    'training.start': notYet('Training'),
    'training.pause': notYet('Training'),
    'training.resume': notYet('Training'),
    'training.cancel': notYet('Training'),
    'training.status': notYet('Training'),
    'testset.import': notYet('Import'),
    'testset.cancel': notYet('Import'),
    'testset.sampleImage': notYet('Import'),
    'testset.export': notYet('Import')
  }
  return { handlers, dispose: async () => undefined }
}
