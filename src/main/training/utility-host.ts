/**
 * TrainingHost over Electron's utilityProcess (the desktop app). The only engine file that imports
 * 'electron'; the bundled worker is out/main/training-worker.js beside out/main/index.js.
 */
import { utilityProcess } from 'electron'
import { fileURLToPath } from 'node:url'
import type { HostMessage, WorkerMessage } from './protocol'
import { exitOnce, exitReason, ProcessTrainingHost, type WorkerChannel } from './host'

export function utilityWorker(): WorkerChannel {
  const file = fileURLToPath(new URL('./training-worker.js', import.meta.url))
  const child = utilityProcess.fork(file, [], { serviceName: 'Digit Studio training', stdio: 'pipe' })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exit = exitOnce()
  // A fatal error in the utility process (or one that cannot start) must become a failed training.
  child.on('error', (type: string, location: string) =>
    exit.end(`the training process failed (${type}${location ? ` at ${location}` : ''})`)
  )
  child.once('exit', (code: number) => exit.end(exitReason(code, null, stderr)))
  return {
    send: (message: HostMessage) => {
      try {
        child.postMessage(message)
      } catch {
        child.kill()
      }
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message as WorkerMessage)),
    onExit: exit.onExit,
    kill: () => {
      child.kill()
    }
  }
}

export function createUtilityTrainingHost(): ProcessTrainingHost {
  return new ProcessTrainingHost(utilityWorker)
}
