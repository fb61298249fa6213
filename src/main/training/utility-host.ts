/**
 * TrainingHost over Electron's utilityProcess (the desktop app). The only engine file that imports
 * 'electron'; the bundled worker is out/main/training-worker.js beside out/main/index.js.
 */
import { utilityProcess } from 'electron'
import { fileURLToPath } from 'node:url'
import type { HostMessage, WorkerMessage } from './protocol'
import { ProcessTrainingHost, type WorkerChannel } from './host'

export function utilityWorker(): WorkerChannel {
  const file = fileURLToPath(new URL('./training-worker.js', import.meta.url))
  const child = utilityProcess.fork(file, [], { serviceName: 'Digit Studio training', stdio: 'pipe' })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000)
  })
  return {
    send: (message: HostMessage) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message as WorkerMessage)),
    onExit: (listener) =>
      child.once('exit', (code: number) =>
        listener(code === 0 ? null : `exit code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`)
      ),
    kill: () => {
      child.kill()
    }
  }
}

export function createUtilityTrainingHost(): ProcessTrainingHost {
  return new ProcessTrainingHost(utilityWorker)
}
