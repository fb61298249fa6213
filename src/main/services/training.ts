import type { TrainingHost } from '../training/host'
import type { EmitEvent } from '../ipc/events'
import { ServiceError, type Handlers } from '../ipc/router'
import type { MnistService } from './mnist'
import type { ModelService } from './models'
import type { SettingsStore } from './settings'

type TrainingCalls = Pick<
  Handlers,
  'training.start' | 'training.pause' | 'training.resume' | 'training.cancel' | 'training.status'
>

/** Training runs in its own process (the TrainingHost); this forwards its events to every window. */
export function trainingHandlers(
  host: TrainingHost,
  mnist: MnistService,
  models: ModelService,
  settings: SettingsStore,
  emit: EmitEvent
): TrainingCalls {
  return {
    'training.start': async ({ hyperparameters, mnistFolder, trainSubset, testSubset, name }) => {
      const folder = mnistFolder ?? (await mnist.folder())
      try {
        return host.start(
          {
            hyperparameters,
            mnistFolder: folder,
            trainSubset,
            testSubset,
            name,
            // The backend the user chose in the settings applies to training too.
            backend: (await settings.get()).backend,
            modelsDir: models.store.dir
          },
          (event) => emit('training.event', event),
          (line) => emit('training.log', { line })
        )
      } catch (error) {
        if ((error as { code?: string }).code === 'conflict')
          throw new ServiceError('conflict', (error as Error).message)
        throw error
      }
    },
    'training.pause': async () => host.pause(),
    'training.resume': async () => host.resume(),
    'training.cancel': () => host.cancel(),
    'training.status': async () => host.status()
  }
}
