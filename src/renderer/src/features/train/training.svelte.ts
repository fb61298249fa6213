/**
 * The training run as the UI knows it. Subscribed once at start-up, so events keep arriving (and curves keep
 * growing) while the user is on another view; on (re)connect the main process's snapshot of the run replaces
 * what the window had, so a reload shows the same run.
 */
import type {
  BatchProgress,
  EpochSummary,
  TrainingState,
  TrainingStatus
} from '../../../../shared/schemas/training'
import { api, invoke } from '../../lib/api'
import { refreshModels } from '../models/models.svelte'

const MAX_LOG_LINES = 2000

export const training = $state<{
  state: TrainingState
  message: string | null
  modelId: string | null
  epochs: number
  batches: BatchProgress[]
  epochSummaries: EpochSummary[]
  log: string[]
  /** The report interval of the run (for the curves' legend). */
  reportEvery: number | null
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
  reportEvery: null,
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

export function resetRun(epochs: number, reportEvery: number): void {
  training.epochs = epochs
  training.reportEvery = reportEvery
  training.batches = []
  training.epochSummaries = []
  training.log = []
  training.modelId = null
  training.message = null
  training.revision++
}

export function applyStatus(status: Pick<TrainingStatus, 'state' | 'message' | 'modelId'>): void {
  const finished =
    training.state !== status.state && (status.state === 'done' || status.state === 'cancelled')
  training.state = status.state
  training.message = status.message ?? null
  if (status.modelId) training.modelId = status.modelId
  if (finished) void refreshModels().catch(() => undefined)
}

function pushLog(line: string): void {
  training.log.push(line)
  if (training.log.length > MAX_LOG_LINES) training.log.splice(0, training.log.length - MAX_LOG_LINES)
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
  api.on('training.log', ({ line }) => pushLog(line))
  void invoke('training.status', {})
    .then(applyStatus)
    .catch(() => undefined)
}

export async function startTraining(request: Parameters<typeof invoke<'training.start'>>[1]): Promise<void> {
  resetRun(request.hyperparameters.epochs ?? 0, request.hyperparameters.reportEvery ?? 0)
  applyStatus(await invoke('training.start', request))
}

export async function controlTraining(
  call: 'training.pause' | 'training.resume' | 'training.cancel'
): Promise<void> {
  applyStatus(await invoke(call, {}))
}

/** What a finished run left behind: the model it kept (if any) and after which epoch. */
export function runOutcome(): { modelId: string | null; epoch: number; epochs: number } | null {
  if (training.state !== 'done' && training.state !== 'cancelled') return null
  return {
    modelId: training.modelId,
    epoch: training.epochSummaries.at(-1)?.epoch ?? 0,
    epochs: training.epochs
  }
}

/** The run's curves as CSV: one row per batch report and per epoch average. */
export function historyCsv(): string {
  const rows = [['kind', 'step', 'epoch', 'loss', 'accuracy', 'test_loss', 'test_accuracy', 'seconds']]
  for (const b of training.batches) {
    rows.push(['batch', String(b.step), String(b.epoch), String(b.loss), String(b.accuracy), '', '', ''])
  }
  for (const e of training.epochSummaries) {
    rows.push([
      'epoch',
      String(e.step),
      String(e.epoch),
      String(e.trainLoss),
      String(e.trainAccuracy),
      String(e.testLoss),
      String(e.testAccuracy),
      String(e.seconds)
    ])
  }
  rows.sort((a, b) => (a[0] === 'kind' ? -1 : b[0] === 'kind' ? 1 : Number(a[1]) - Number(b[1])))
  return rows.map((row) => row.join(',')).join('\n') + '\n'
}
