/**
 * The training run as the UI knows it. Subscribed once at start-up, so events keep arriving (and curves keep
 * growing) while the user is on another view; on (re)connect the main process's snapshot of the run replaces
 * what the window had, so a reload shows the same run.
 */
import type { TrainingJobState } from '../../../../shared/schemas/jobs'
import type {
  BatchProgress,
  EpochSummary,
  KeptModel,
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
  /** What the ended run kept (name, after which epoch), as main reported it. */
  kept: KeptModel | null
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
  kept: null,
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
  training.kept = null
  training.message = null
  training.revision++
}

export function applyStatus(status: Omit<TrainingStatus, 'kind'>): void {
  const finished =
    training.state !== status.state && (status.state === 'done' || status.state === 'cancelled')
  training.state = status.state
  training.message = status.message ?? null
  if (status.modelId) training.modelId = status.modelId
  if (status.kept) training.kept = status.kept
  if (finished) void refreshModels().catch(() => undefined)
}

/** Events that arrive while a snapshot is on its way; those newer than the snapshot are kept after it. */
let buffered: { batches: BatchProgress[]; epochs: EpochSummary[] } | null = null

export function beginSnapshot(): void {
  buffered = { batches: [], epochs: [] }
}

/** Replaces what the window knew with main's record of the running or last run (on load and reconnect). */
export function applyTrainingSnapshot(job: TrainingJobState | null): void {
  const late = buffered
  buffered = null
  if (!job) return
  const lastStep = job.batches.at(-1)?.step ?? -1
  const lastEpoch = job.epochSummaries.at(-1)?.epoch ?? 0
  training.epochs = job.epochs
  training.batches = [...job.batches, ...(late?.batches.filter((b) => b.step > lastStep) ?? [])]
  training.epochSummaries = [
    ...job.epochSummaries,
    ...(late?.epochs.filter((e) => e.epoch > lastEpoch) ?? [])
  ]
  training.log = [...job.log]
  training.kept = job.kept
  training.modelId = job.kept?.id ?? job.status.modelId ?? null
  training.state = job.status.state
  training.message = job.status.message ?? null
  training.revision++
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
      buffered?.batches.push(event)
      training.revision++
    } else if (event.kind === 'epoch') {
      training.epochSummaries.push(event)
      buffered?.epochs.push(event)
      training.revision++
    } else applyStatus(event)
  })
  api.on('training.log', ({ line }) => pushLog(line))
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

/** What an ended run left behind: the model it kept (if any), under its name, after which epoch of how many. */
export function runOutcome(): KeptModel | 'nothing' | null {
  if (training.state !== 'done' && training.state !== 'cancelled') return null
  if (training.kept) return training.kept
  if (!training.modelId) return 'nothing'
  return {
    id: training.modelId,
    name: training.modelId,
    epochsCompleted: training.epochSummaries.at(-1)?.epoch ?? 0,
    epochsPlanned: training.epochs
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
