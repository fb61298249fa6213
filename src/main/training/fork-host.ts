/** TrainingHost over child_process.fork (web mode, CLI, tests). */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { HostMessage, WorkerMessage } from './protocol'
import { exitOnce, exitReason, ProcessTrainingHost, type WorkerChannel } from './host'

/**
 * The worker script: the built out/main/training-worker.js beside the bundled main process, else the
 * TypeScript source run through tsx (checkout, tests).
 */
export function resolveWorker(): { file: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./training-worker.js', import.meta.url))
  if (existsSync(built)) return { file: built, execArgv: [] }
  return { file: fileURLToPath(new URL('./worker.ts', import.meta.url)), execArgv: ['--import', 'tsx'] }
}

export interface ForkOptions {
  env?: NodeJS.ProcessEnv
  /** The Node binary (tests point it at one that cannot start). */
  execPath?: string
}

export function forkWorker({ env = process.env, execPath }: ForkOptions = {}): WorkerChannel {
  const { file, execArgv } = resolveWorker()
  const child = fork(file, [], { execArgv, env, execPath, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exit = exitOnce()
  // A process that cannot be spawned (EMFILE, EAGAIN, ENOENT) emits 'error' and maybe never 'exit'.
  child.on('error', (error) => exit.end(`cannot start or reach the training process: ${error.message}`))
  child.once('exit', (code, signal) => exit.end(exitReason(code, signal, stderr)))
  return {
    send: (message: HostMessage) => {
      if (child.connected) child.send(message, (error) => error && child.kill())
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as WorkerMessage)),
    onExit: exit.onExit,
    kill: () => child.kill('SIGKILL')
  }
}

export function createForkTrainingHost(options: ForkOptions = {}): ProcessTrainingHost {
  return new ProcessTrainingHost(() => forkWorker(options))
}
