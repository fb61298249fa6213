/**
 * Cancel and shutdown in every state, and workers that cannot start (issue 13, items 12 and 13): a worker that
 * cannot be spawned (its error event, as EMFILE or ENOENT give) is a failed training with a message, not a
 * crash; a cancel while MNIST loads ends the run at once and gives back the reserved id; a worker that ignores
 * the cancel is killed after the grace period; a SIGKILLed worker is reported as killed, not with TensorFlow's
 * start-up banner. HARDENING_LIFECYCLE_CANCELS cancels during loading.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  CANCEL_GRACE_MS,
  exitReason,
  ProcessTrainingHost,
  type WorkerChannel
} from '../../../src/main/training/host'
import { createForkTrainingHost } from '../../../src/main/training/fork-host'
import type { TrainingEvent } from '../../../src/shared/schemas/training'
import { countFromEnv, MNIST_DIR, recordFigures, tempDir } from './support'

const CANCELS = countFromEnv('HARDENING_LIFECYCLE_CANCELS', 2)
const root = tempDir('training-lifecycle')
const haveMnist = existsSync(MNIST_DIR)
if (!haveMnist) console.warn(`[training-lifecycle] cancel-while-loading skipped: no MNIST at ${MNIST_DIR}`)
afterAll(() => rmSync(root, { recursive: true, force: true }))

const job = (modelsDir: string) => ({
  mnistFolder: MNIST_DIR,
  modelsDir,
  name: 'lifecycle',
  hyperparameters: { epochs: 1 }
})

describe('a training process', () => {
  it('that cannot be spawned becomes a failed training with a message', async () => {
    const host = createForkTrainingHost({ execPath: path.join(root, 'no-such-node') })
    const events: TrainingEvent[] = []
    host.start(job(path.join(root, 'spawn-models')), (event) => events.push(event))
    const final = await host.finished()
    expect(final.state).toBe('failed')
    expect(final.message).toMatch(/cannot start or reach the training process: spawn .*ENOENT/)
    expect(events.at(-1)).toEqual(final)
    expect(host.status().state).toBe('failed')
  })

  it('that throws while spawning becomes a failed training', async () => {
    const host = new ProcessTrainingHost(() => {
      throw Object.assign(new Error('spawn EMFILE'), { code: 'EMFILE' })
    })
    const status = host.start(job(root), () => undefined)
    expect(status).toMatchObject({ state: 'failed', message: expect.stringMatching(/EMFILE/) })
    expect((await host.finished()).state).toBe('failed')
  })

  it(`that ignores a cancel is killed after ${CANCEL_GRACE_MS / 1000} s and reported cancelled`, async () => {
    let exit: (reason: string | null) => void = () => undefined
    let killed = false
    const deaf: WorkerChannel = {
      send: () => undefined,
      onMessage: () => undefined,
      onExit: (listener) => void (exit = listener),
      kill: () => {
        killed = true
        setTimeout(() => exit('killed by SIGKILL'), 10)
      }
    }
    const host = new ProcessTrainingHost(() => deaf)
    host.start(job(root), () => undefined)
    const started = performance.now()
    const final = await host.cancel()
    expect(killed).toBe(true)
    expect(final.state).toBe('cancelled')
    expect(performance.now() - started).toBeLessThan(CANCEL_GRACE_MS + 2000)
  }, 20_000)

  it('killed by a signal is reported as killed, without the TensorFlow banner', () => {
    const banner =
      'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n' +
      'I0000 00:00:1796118768.366036   17864 port.cc:153] oneDNN custom operations are on. You may see…\n'
    expect(exitReason(null, 'SIGKILL', banner)).toBe('killed by SIGKILL')
    expect(exitReason(1, null, `${banner}Error: out of memory\n`)).toBe('exit code 1: Error: out of memory')
    expect(exitReason(0, null, banner)).toBeNull()
  })

  it.runIf(haveMnist)(`cancelled while MNIST loads ends at once (${CANCELS} runs)`, async () => {
    const times: number[] = []
    for (let run = 0; run < CANCELS; run++) {
      const modelsDir = path.join(root, `loading-${run}`)
      const host = createForkTrainingHost()
      let loading: () => void = () => undefined
      const loadingSeen = new Promise<void>((resolve) => (loading = resolve))
      host.start(job(modelsDir), (event) => {
        if (event.kind === 'status' && event.state === 'loading-data') loading()
      })
      await loadingSeen
      const started = performance.now()
      const final = await host.cancel()
      times.push(Math.round(performance.now() - started))
      expect(final.state).toBe('cancelled')
      expect(final.message).toMatch(/no model was saved/)
      // The id reserved for the run is given back: no empty folder stays behind.
      expect(readdirSync(modelsDir)).toEqual([])
    }
    expect(Math.max(...times)).toBeLessThan(1500)
    recordFigures('training-lifecycle', { cancelsWhileLoading: CANCELS, cancelMs: times })
  })
})
