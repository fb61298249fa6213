/** TrainingHost over child_process.fork (web mode, CLI, tests). */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { HostMessage, WorkerMessage } from './protocol'
import { ProcessTrainingHost, type WorkerChannel } from './host'

/**
 * The worker script: the built out/main/training-worker.js beside the bundled main process, else the
 * TypeScript source run through tsx (checkout, tests).
 */
export function resolveWorker(): { file: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./training-worker.js', import.meta.url))
  if (existsSync(built)) return { file: built, execArgv: [] }
  return { file: fileURLToPath(new URL('./worker.ts', import.meta.url)), execArgv: ['--import', 'tsx'] }
}

export function forkWorker(env: NodeJS.ProcessEnv = process.env): WorkerChannel {
  const { file, execArgv } = resolveWorker()
  const child = fork(file, [], { execArgv, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000)
  })
  return {
    send: (message: HostMessage) => {
      if (child.connected) child.send(message)
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as WorkerMessage)),
    onExit: (listener) =>
      child.once('exit', (code, signal) =>
        listener(
          code === 0
            ? null
            : `exit code ${code ?? '-'}, signal ${signal ?? '-'}: ${stderr.trim().split('\n').pop() ?? ''}`
        )
      ),
    kill: () => child.kill()
  }
}

export function createForkTrainingHost(env?: NodeJS.ProcessEnv): ProcessTrainingHost {
  return new ProcessTrainingHost(() => forkWorker(env))
}
