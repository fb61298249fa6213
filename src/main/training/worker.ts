/**
 * The training worker: runs one training job off the main process and streams its events.
 * Runs under child_process.fork (web mode, CLI, tests) or Electron's utilityProcess (the app);
 * both deliver the same messages, through process.send or process.parentPort.
 */
// First: the util shim tfjs-node needs on Node 23+ (see core/backend/node-compat).
import '../../core/backend/node-compat'
import { ModelStore } from '../../core/models/store'
import { runTrainingJob, type TrainingJob } from '../../core/training/job'
import type { TrainingStatus } from '../../shared/schemas/training'
import type { HostMessage, WorkerMessage } from './protocol'

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort

function send(message: WorkerMessage): void {
  if (parentPort) parentPort.postMessage(message)
  else process.send?.(message)
}

function onMessage(listener: (message: HostMessage) => void): void {
  if (parentPort) parentPort.on('message', (event) => listener(event.data as HostMessage))
  else process.on('message', (message) => listener(message as HostMessage))
}

let paused = false
let cancelled = false
let resumeWaiters: (() => void)[] = []
let started = false
/** The job's state as last reported: while it loads data, nothing can be lost by stopping at once. */
let state: TrainingStatus['state'] = 'idle'
let job: TrainingJob | null = null
/** The library id the job reserved (sent with its loading-data status), given back if cancelled then. */
let reservedId: string | null = null
/** The training step the job reported (graph or lean), said again when it resumes. */
let trainingStep: TrainingStatus['trainingStep'] = undefined
const stepField = () => (trainingStep ? { trainingStep } : {})

function wake(): void {
  for (const resolve of resumeWaiters) resolve()
  resumeWaiters = []
}

const control = {
  cancelled: () => cancelled,
  waitWhilePaused: () =>
    paused && !cancelled ? new Promise<void>((resolve) => resumeWaiters.push(resolve)) : Promise.resolve()
}

function finish(message: WorkerMessage): void {
  send(message)
  // Give the message time to leave before the process ends.
  setTimeout(() => process.exit(0), 50)
}

onMessage((message) => {
  if (message.type === 'pause' && !paused && !cancelled) {
    paused = true
    send({ type: 'event', event: { kind: 'status', state: 'paused', message: 'Paused', ...stepField() } })
  } else if (message.type === 'resume' && paused) {
    paused = false
    send({
      type: 'event',
      event: { kind: 'status', state: 'running', message: 'Resumed', ...stepField() }
    })
    wake()
  } else if (message.type === 'cancel') {
    cancelled = true
    paused = false
    wake()
    // Loading MNIST cannot be interrupted from inside; no model exists yet, so the process simply ends.
    if (!started || state === 'idle' || state === 'loading-data') {
      if (reservedId && job?.modelsDir) void new ModelStore({ dir: job.modelsDir }).releaseId(reservedId)
      const status = {
        kind: 'status',
        state: 'cancelled',
        message: 'Cancelled before the first epoch ended: no model was saved'
      } as const
      send({ type: 'event', event: status })
      finish({ type: 'finished', status })
    }
  } else if (message.type === 'start' && !started) {
    started = true
    job = message.job
    runTrainingJob(message.job, {
      onEvent: (event) => {
        if (event.kind === 'status') state = event.state
        if (event.kind === 'status' && event.trainingStep) trainingStep = event.trainingStep
        if (event.kind === 'status' && event.state === 'loading-data') reservedId = event.modelId ?? null
        send({ type: 'event', event })
      },
      log: (line) => send({ type: 'log', line }),
      control
    }).then(
      (result) => finish({ type: 'finished', status: result.status }),
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error)
        const status = { kind: 'status', state: 'failed', message: reason } as const
        send({ type: 'event', event: status })
        finish({ type: 'finished', status })
      }
    )
  }
})
