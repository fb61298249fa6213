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
/** Batch points kept in the window; beyond, every other older one goes (like main's history). */
const MAX_BATCH_POINTS = 4000
/** Events are applied to the view at most this often, so a fast run never floods the page. */
const FLUSH_MS = 100

/**
 * The run's fields. The arrays are raw (replaced, never mutated), so each flush costs one update, not one per
 * point; `revision` increases with every flush that added points.
 */
class TrainingRun {
  state = $state<TrainingState>('idle')
  message = $state<string | null>(null)
  /** The training step the running job reported (graph or lean), null until it says. */
  trainingStep = $state<'graph' | 'lean' | null>(null)
  modelId = $state<string | null>(null)
  /** What the ended run kept (name, after which epoch), as main reported it. */
  kept = $state.raw<KeptModel | null>(null)
  epochs = $state(0)
  batches = $state.raw<BatchProgress[]>([])
  epochSummaries = $state.raw<EpochSummary[]>([])
  log = $state.raw<string[]>([])
  /** The report interval asked for (the curves' legend reads the real one from the points). */
  reportEvery = $state<number | null>(null)
  revision = $state(0)
}

export const training = new TrainingRun()

/** Events received since the last flush. */
let queued: { batches: BatchProgress[]; epochs: EpochSummary[]; log: string[] } = {
  batches: [],
  epochs: [],
  log: []
}
let flushTimer: ReturnType<typeof setTimeout> | null = null

function thin(batches: BatchProgress[]): BatchProgress[] {
  if (batches.length <= MAX_BATCH_POINTS) return batches
  const last = batches.length - 1
  return batches.filter((_, i) => i % 2 === 0 || i === last)
}

function flush(): void {
  flushTimer = null
  const { batches, epochs, log } = queued
  queued = { batches: [], epochs: [], log: [] }
  if (batches.length) training.batches = thin([...training.batches, ...batches])
  if (epochs.length) training.epochSummaries = [...training.epochSummaries, ...epochs]
  if (log.length) training.log = [...training.log, ...log].slice(-MAX_LOG_LINES)
  if (batches.length || epochs.length) training.revision++
}

function scheduleFlush(): void {
  flushTimer ??= setTimeout(flush, FLUSH_MS)
}

/** Drops what is queued (a new run, or a snapshot that replaces everything). */
function dropQueued(): void {
  if (flushTimer) clearTimeout(flushTimer)
  flushTimer = null
  queued = { batches: [], epochs: [], log: [] }
}

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
  dropQueued()
  training.epochs = epochs
  training.reportEvery = reportEvery
  training.batches = []
  training.epochSummaries = []
  training.log = []
  training.modelId = null
  training.kept = null
  training.message = null
  training.trainingStep = null
  training.revision++
}

export function applyStatus(status: Omit<TrainingStatus, 'kind'>): void {
  // The points before a status change are shown with it.
  if (flushTimer) {
    clearTimeout(flushTimer)
    flush()
  }
  const finished =
    training.state !== status.state && (status.state === 'done' || status.state === 'cancelled')
  training.state = status.state
  training.message = status.message ?? null
  if (status.trainingStep) training.trainingStep = status.trainingStep
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
  dropQueued()
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
  training.trainingStep = job.status.trainingStep ?? null
  training.revision++
}

let subscribed = false

export function subscribeTraining(): void {
  if (subscribed) return
  subscribed = true
  api.on('training.event', (event) => {
    if (event.kind === 'batch') {
      queued.batches.push(event)
      buffered?.batches.push(event)
      scheduleFlush()
    } else if (event.kind === 'epoch') {
      queued.epochs.push(event)
      buffered?.epochs.push(event)
      scheduleFlush()
    } else applyStatus(event)
  })
  api.on('training.log', ({ line }) => {
    queued.log.push(line)
    scheduleFlush()
  })
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
