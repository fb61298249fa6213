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

/** TensorFlow's start-up notes on stderr, which say nothing about why a process ended. */
const BANNER =
  /oneDNN custom operations|absl::InitializeLog|^I\d{4} |^W\d{4} |cpu_feature_guard|This TensorFlow binary/

/** Why a worker ended, in words: the signal that killed it, or its exit code and last meaningful stderr line. */
export function exitReason(code: number | null, signal: string | null, stderr: string): string | null {
  if (code === 0 && !signal) return null
  const last = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !BANNER.test(line))
    .pop()
  const how = signal ? `killed by ${signal}` : `exit code ${code ?? '-'}`
  return last ? `${how}: ${last}` : how
}

/** Reports a worker's end once, whichever of 'error' and 'exit' comes first (or both). */
export function exitOnce(): {
  end(reason: string | null): void
  onExit(listener: (reason: string | null) => void): void
} {
  const listeners: ((reason: string | null) => void)[] = []
  let ended = false
  return {
    end(reason) {
      if (ended) return
      ended = true
      for (const listener of listeners) listener(reason)
    },
    onExit: (listener) => void listeners.push(listener)
  }
}

export class TrainingConflictError extends Error {
  readonly code = 'conflict'
  constructor() {
    super('A training run is already in progress')
  }
}

/** After a cancel, a worker that has not ended within this long (stuck in a read) is killed. */
export const CANCEL_GRACE_MS = 5000

const ACTIVE = new Set<TrainingStatus['state']>(['loading-data', 'running', 'paused', 'saving'])

export class ProcessTrainingHost implements TrainingHost {
  private current: TrainingStatus = { kind: 'status', state: 'idle' }
  private channel: WorkerChannel | null = null
  private done: Promise<TrainingStatus> = Promise.resolve(this.current)
  private cancelRequested: () => void = () => undefined

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
    let channel: WorkerChannel
    try {
      channel = this.spawn()
    } catch (error) {
      // No process could be started (EMFILE, EAGAIN, a missing worker): a failed training, not a crash.
      this.current = {
        kind: 'status',
        state: 'failed',
        message: `Cannot start the training process (${(error as Error).message})`
      }
      onEvent(this.current)
      this.done = Promise.resolve(this.current)
      return this.current
    }
    this.channel = channel
    let cancelRequested = false
    let epochSaved = false
    this.cancelRequested = () => (cancelRequested = true)
    this.current = { kind: 'status', state: 'loading-data', message: 'Starting the training process' }
    let settle: (status: TrainingStatus) => void = () => {}
    this.done = new Promise((resolve) => (settle = resolve))
    let final: TrainingStatus | null = null
    channel.onMessage((message) => {
      if (message.type === 'event') {
        if (message.event.kind === 'status') this.current = message.event
        if (message.event.kind === 'epoch') epochSaved = true
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
        final = cancelRequested
          ? {
              kind: 'status',
              state: 'cancelled',
              message: epochSaved
                ? 'Cancelled; the training process was stopped and the last completed epoch is kept'
                : 'Cancelled before the first epoch ended: no model was saved'
            }
          : {
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

  /** Cancels in every state: a worker that does not end within CANCEL_GRACE_MS is killed. */
  async cancel(): Promise<TrainingStatus> {
    const channel = this.channel
    if (!channel) return this.current
    this.cancelRequested()
    channel.send({ type: 'cancel' })
    const timer = setTimeout(() => channel.kill(), CANCEL_GRACE_MS)
    timer.unref?.()
    return this.done.finally(() => clearTimeout(timer))
  }
}
