/**
 * Main keeps the state of the running (or last) training run and import, so a window that reloads, or a web-mode
 * socket that reconnects, gets everything back with one `jobs.state` call: all the progress so far, the epoch total,
 * the log, what was kept. The last import's result is also written to the data folder and survives a restart.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CallError } from '../../shared/names'
import {
  ImportJobStateSchema,
  MAX_BATCH_HISTORY,
  MAX_LOG_LINES,
  type ImportJobState,
  type ImportResultWithId,
  type JobsState,
  type TrainingJobState
} from '../../shared/schemas/jobs'
import type { ImportProgress } from '../../shared/schemas/import'
import type { BatchProgress, TrainingEvent } from '../../shared/schemas/training'
import { writeFileAtomically } from './files'

const LAST_IMPORT_FILE = 'last-import.json'

/** Batch events kept evenly: every `stride`-th one, the stride doubling whenever the history is full. */
class BatchHistory {
  private kept: BatchProgress[] = []
  private stride = 1
  private seen = 0
  /** Whether the last kept event is off the stride (kept only because it is the latest). */
  private provisional = false

  push(event: BatchProgress): void {
    if (this.provisional) this.kept.pop()
    this.kept.push(event)
    this.provisional = this.seen % this.stride !== 0
    this.seen++
    if (this.kept.length > MAX_BATCH_HISTORY) {
      const last = this.kept.length - 1
      this.kept = this.kept.filter((_, i) => i % 2 === 0 || i === last)
      this.stride *= 2
    }
  }

  list(): BatchProgress[] {
    return [...this.kept]
  }
}

export class JobTracker {
  private training: (Omit<TrainingJobState, 'batches'> & { history: BatchHistory }) | null = null
  private importJob: ImportJobState | null = null

  constructor(private readonly dataDir: string) {}

  /** Loads the last import kept in the data folder (a missing or damaged file just means none). */
  async restore(): Promise<ImportResultWithId | null> {
    try {
      const parsed = ImportJobStateSchema.safeParse(
        JSON.parse(await readFile(join(this.dataDir, LAST_IMPORT_FILE), 'utf8'))
      )
      if (parsed.success && parsed.data.result) {
        this.importJob ??= parsed.data
        return parsed.data.result
      }
    } catch {
      // No import kept yet.
    }
    return null
  }

  snapshot(): JobsState {
    const training = this.training
    return {
      training: training
        ? {
            status: training.status,
            startedAt: training.startedAt,
            finishedAt: training.finishedAt,
            name: training.name,
            epochs: training.epochs,
            batches: training.history.list(),
            epochSummaries: [...training.epochSummaries],
            log: [...training.log],
            kept: training.kept
          }
        : null,
      import: this.importJob ? { ...this.importJob } : null
    }
  }

  trainingStarted(name: string | null, epochs: number): void {
    this.training = {
      status: { kind: 'status', state: 'loading-data', message: 'Starting the training process' },
      startedAt: new Date().toISOString(),
      finishedAt: null,
      name,
      epochs,
      history: new BatchHistory(),
      epochSummaries: [],
      log: [],
      kept: null
    }
  }

  trainingEvent(event: TrainingEvent): void {
    const training = this.training
    if (!training) return
    if (event.kind === 'batch') training.history.push(event)
    else if (event.kind === 'epoch') training.epochSummaries.push(event)
    else {
      training.status = event
      if (event.kept) training.kept = event.kept
      if (['done', 'cancelled', 'failed'].includes(event.state))
        training.finishedAt = new Date().toISOString()
    }
  }

  trainingLog(line: string): void {
    const training = this.training
    if (!training) return
    training.log.push(line)
    if (training.log.length > MAX_LOG_LINES) training.log.splice(0, training.log.length - MAX_LOG_LINES)
  }

  importStarted(folder: string, modelId: string | null): void {
    this.importJob = {
      state: 'running',
      folder,
      modelId,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: null,
      result: null,
      error: null
    }
  }

  importProgress(progress: ImportProgress): void {
    if (this.importJob?.state === 'running') this.importJob.progress = progress
  }

  /** Records the result and keeps it in the data folder (a failed write costs only the restart copy). */
  async importFinished(result: ImportResultWithId): Promise<void> {
    if (!this.importJob) return
    this.importJob = { ...this.importJob, state: 'done', finishedAt: result.finishedAt, result }
    await writeFileAtomically(join(this.dataDir, LAST_IMPORT_FILE), JSON.stringify(this.importJob)).catch(
      () => undefined
    )
  }

  importFailed(error: CallError): void {
    if (!this.importJob) return
    this.importJob = {
      ...this.importJob,
      state: error.code === 'cancelled' ? 'cancelled' : 'failed',
      finishedAt: new Date().toISOString(),
      error
    }
  }
}
