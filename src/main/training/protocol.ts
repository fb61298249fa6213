/** Messages between the training host (main process) and the training worker process. */
import type { TrainingEvent, TrainingStatus } from '../../shared/schemas/training'
import type { TrainingJob } from '../../core/training/job'

export type HostMessage =
  { type: 'start'; job: TrainingJob } | { type: 'pause' } | { type: 'resume' } | { type: 'cancel' }

export type WorkerMessage =
  | { type: 'event'; event: TrainingEvent }
  | { type: 'log'; line: string }
  | { type: 'finished'; status: TrainingStatus }
