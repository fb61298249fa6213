import { checkUserPath } from '../../core/paths'
import type { TrainingHost } from '../training/host'
import type { EmitEvent } from '../ipc/events'
import { HyperparametersSchema, type TrainingStatus } from '../../shared/schemas/training'
import type { TrainingJob } from '../../core/training/job'
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

/**
 * Starts a job in the training process (training, or teaching when job.tune is set), recording it for
 * jobs.state and forwarding its events to every window.
 */
export function startTrainingJob(
  host: TrainingHost,
  jobs: JobTracker,
  emit: EmitEvent,
  job: TrainingJob,
  planned: { name: string | null; epochs: number }
): TrainingStatus {
  try {
    if (isActive(host.status().state))
      throw new ServiceError('conflict', 'A training run is already in progress.', 'alreadyRunning')
    jobs.trainingStarted(planned.name, planned.epochs)
    const status = host.start(
      job,
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
}

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
    'training.start': async ({ hyperparameters, mnistFolder, trainSubset, testSubset, name, step }) => {
      const folder = mnistFolder ? checkUserPath(mnistFolder) : (await mnist.folder()).folder
      const epochs = HyperparametersSchema.parse(hyperparameters).epochs
      const job: TrainingJob = {
        hyperparameters,
        mnistFolder: folder,
        trainSubset,
        testSubset,
        name,
        step,
        // The backend the user chose in the settings applies to training too.
        backend: (await settings.get()).backend,
        modelsDir: models.store.dir
      }
      return startTrainingJob(host, jobs, emit, job, { name: name ?? null, epochs })
    },
    'training.pause': async () => host.pause(),
    'training.resume': async () => host.resume(),
    'training.cancel': () => host.cancel(),
    'training.status': async () => host.status()
  }
}
