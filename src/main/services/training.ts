import { checkUserPath } from '../../core/paths'
import type { TrainingHost } from '../training/host'
import type { EmitEvent } from '../ipc/events'
import { HyperparametersSchema } from '../../shared/schemas/training'
import { ServiceError, type Handlers } from '../ipc/router'
import type { JobTracker } from './jobs'
import type { MnistService } from './mnist'
import type { ModelService } from './models'
import type { SettingsStore } from './settings'

type TrainingCalls = Pick<
  Handlers,
  'training.start' | 'training.pause' | 'training.resume' | 'training.cancel' | 'training.status'
>

const isActive = (state: string): boolean => ['loading-data', 'running', 'paused', 'saving'].includes(state)

/** Training runs in its own process (the TrainingHost); this forwards its events to every window. */
export function trainingHandlers(
  host: TrainingHost,
  mnist: MnistService,
  models: ModelService,
  settings: SettingsStore,
  jobs: JobTracker,
  emit: EmitEvent
): TrainingCalls {
  return {
    'training.start': async ({ hyperparameters, mnistFolder, trainSubset, testSubset, name }) => {
      const folder = mnistFolder ? checkUserPath(mnistFolder) : (await mnist.folder()).folder
      const epochs = HyperparametersSchema.parse(hyperparameters).epochs
      try {
        const backend = (await settings.get()).backend
        if (isActive(host.status().state))
          throw new ServiceError('conflict', 'A training run is already in progress.', 'alreadyRunning')
        jobs.trainingStarted(name ?? null, epochs)
        const status = host.start(
          {
            hyperparameters,
            mnistFolder: folder,
            trainSubset,
            testSubset,
            name,
            // The backend the user chose in the settings applies to training too.
            backend,
            modelsDir: models.store.dir
          },
          (event) => {
            jobs.trainingEvent(event)
            emit('training.event', event)
          },
          (line) => {
            jobs.trainingLog(line)
            emit('training.log', { line })
          }
        )
        jobs.trainingEvent(status)
        return status
      } catch (error) {
        if ((error as { code?: string }).code === 'conflict')
          throw new ServiceError('conflict', (error as Error).message, 'alreadyRunning')
        throw error
      }
    },
    'training.pause': async () => host.pause(),
    'training.resume': async () => host.resume(),
    'training.cancel': () => host.cancel(),
    'training.status': async () => host.status()
  }
}
