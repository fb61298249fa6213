/**
 * The training worker: runs one training job off the main process and streams its events.
 * Runs under child_process.fork (web mode, CLI, tests) or Electron's utilityProcess (the app);
 * both deliver the same messages, through process.send or process.parentPort.
 */
import { runTrainingJob } from '../../core/training/job'
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
    send({ type: 'event', event: { kind: 'status', state: 'paused', message: 'Paused' } })
  } else if (message.type === 'resume' && paused) {
    paused = false
    send({ type: 'event', event: { kind: 'status', state: 'running', message: 'Resumed' } })
    wake()
  } else if (message.type === 'cancel') {
    cancelled = true
    paused = false
    wake()
  } else if (message.type === 'start' && !started) {
    started = true
    runTrainingJob(message.job, {
      onEvent: (event) => send({ type: 'event', event }),
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
