/**
 * The training run as the UI knows it. Subscribed once at start-up, so events keep arriving (and curves keep
 * growing) while the user is on another view.
 */
import type { BatchProgress, EpochSummary, TrainingState } from '../../../shared/schemas/training'
import { api, invoke } from './api'
import { refreshModels } from './app.svelte'

const MAX_LOG_LINES = 2000

export const training = $state<{
  state: TrainingState
  message: string | null
  modelId: string | null
  epochs: number
  batches: BatchProgress[]
  epochSummaries: EpochSummary[]
  log: string[]
  /** Increases on every batch/epoch event, so charts can redraw without deep-watching arrays. */
  revision: number
}>({
  state: 'idle',
  message: null,
  modelId: null,
  epochs: 0,
  batches: [],
  epochSummaries: [],
  log: [],
  revision: 0
})

export const activeStates: TrainingState[] = ['loading-data', 'running', 'paused', 'saving']

export function isTrainingActive(): boolean {
  return activeStates.includes(training.state)
}

export function lastBatch(): BatchProgress | null {
  return training.batches.at(-1) ?? null
}

/** Fraction of the whole run done, from the latest batch event. */
export function trainingFraction(): number {
  const batch = lastBatch()
  if (!batch || training.epochs === 0) return 0
  const done = batch.epoch - 1 + batch.batchInEpoch / Math.max(1, batch.batchesPerEpoch)
  return Math.min(1, Math.max(0, done / training.epochs))
}

export function resetRun(epochs: number): void {
  training.epochs = epochs
  training.batches = []
  training.epochSummaries = []
  training.log = []
  training.modelId = null
  training.message = null
  training.revision++
}

export function applyStatus(status: { state: TrainingState; message?: string; modelId?: string }): void {
  const finished =
    training.state !== status.state && (status.state === 'done' || status.state === 'cancelled')
  training.state = status.state
  training.message = status.message ?? null
  if (status.modelId) training.modelId = status.modelId
  if (finished) void refreshModels().catch(() => undefined)
}

let subscribed = false

export function subscribeTraining(): void {
  if (subscribed) return
  subscribed = true
  api.on('training.event', (event) => {
    if (event.kind === 'batch') {
      training.batches.push(event)
      training.revision++
    } else if (event.kind === 'epoch') {
      training.epochSummaries.push(event)
      training.revision++
    } else applyStatus(event)
  })
  api.on('training.log', ({ line }) => {
    training.log.push(line)
    if (training.log.length > MAX_LOG_LINES) training.log.splice(0, training.log.length - MAX_LOG_LINES)
  })
  void invoke('training.status', {})
    .then(applyStatus)
    .catch(() => undefined)
}
