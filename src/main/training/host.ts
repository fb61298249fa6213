/**
 * The TrainingHost runs one training job at a time in a separate process, so the main process
 * (and the window) never blocks. Two transports implement the same channel: child_process.fork
 * (fork-host.ts: web mode, CLI, tests) and Electron's utilityProcess (utility-host.ts, the app).
 */
import type { TrainingEvent, TrainingStatus } from '../../shared/schemas/training'
import type { TrainingJob } from '../../core/training/job'
import type { HostMessage, WorkerMessage } from './protocol'

export interface TrainingHost {
  /** Starts a job; rejects with a 'conflict' error if one is running. Events stream to onEvent. */
  start(
    job: TrainingJob,
    onEvent: (event: TrainingEvent) => void,
    onLog?: (line: string) => void
  ): TrainingStatus
  pause(): TrainingStatus
  resume(): TrainingStatus
  /** Asks the worker to stop; resolves with the final status (the last good model is kept). */
  cancel(): Promise<TrainingStatus>
  status(): TrainingStatus
  /** Resolves with the final status of the current (or last) job. */
  finished(): Promise<TrainingStatus>
}

/** A started worker process, as seen by the host. */
export interface WorkerChannel {
  send(message: HostMessage): void
  onMessage(listener: (message: WorkerMessage) => void): void
  /** Called once when the process ends, with a reason when it ended abnormally. */
  onExit(listener: (reason: string | null) => void): void
  kill(): void
}

export class TrainingConflictError extends Error {
  readonly code = 'conflict'
  constructor() {
    super('A training run is already in progress')
  }
}

const ACTIVE = new Set<TrainingStatus['state']>(['loading-data', 'running', 'paused', 'saving'])

export class ProcessTrainingHost implements TrainingHost {
  private current: TrainingStatus = { kind: 'status', state: 'idle' }
  private channel: WorkerChannel | null = null
  private done: Promise<TrainingStatus> = Promise.resolve(this.current)

  constructor(private readonly spawn: () => WorkerChannel) {}

  status(): TrainingStatus {
    return this.current
  }

  finished(): Promise<TrainingStatus> {
    return this.done
  }

  start(
    job: TrainingJob,
    onEvent: (event: TrainingEvent) => void,
    onLog?: (line: string) => void
  ): TrainingStatus {
    if (this.channel) throw new TrainingConflictError()
    const channel = this.spawn()
    this.channel = channel
    this.current = { kind: 'status', state: 'loading-data', message: 'Starting the training process' }
    let settle: (status: TrainingStatus) => void = () => {}
    this.done = new Promise((resolve) => (settle = resolve))
    let final: TrainingStatus | null = null
    channel.onMessage((message) => {
      if (message.type === 'event') {
        if (message.event.kind === 'status') this.current = message.event
        onEvent(message.event)
      } else if (message.type === 'log') {
        onLog?.(message.line)
      } else if (message.type === 'finished') {
        final = message.status
      }
    })
    channel.onExit((reason) => {
      this.channel = null
      if (!final || ACTIVE.has(final.state)) {
        final = {
          kind: 'status',
          state: 'failed',
          message: `Training process ended unexpectedly (${reason ?? 'no reason'})`
        }
        onEvent(final)
      }
      this.current = final
      settle(final)
    })
    channel.send({ type: 'start', job })
    return this.current
  }

  pause(): TrainingStatus {
    this.channel?.send({ type: 'pause' })
    return this.current
  }

  resume(): TrainingStatus {
    this.channel?.send({ type: 'resume' })
    return this.current
  }

  async cancel(): Promise<TrainingStatus> {
    if (!this.channel) return this.current
    this.channel.send({ type: 'cancel' })
    return this.done
  }
}
