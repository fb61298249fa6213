/**
 * The active model is loaded (and its reading warmed up) when the app starts, not at the first drawing: a
 * model's problem is reported at start-up, and nothing is loaded at start where the services are not asked to.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ShellHost } from '../../../src/main/app/shell'
import { EventHub } from '../../../src/main/ipc/events'
import { createServices, type Services } from '../../../src/main/services'
import { createForkTrainingHost } from '../../../src/main/training/fork-host'
import { RESOURCES_DIR } from '../../support/paths'

const temp = mkdtempSync(path.join(tmpdir(), 'digit-studio-preload-'))
// The shipped CNN with a damaged "not a digit" detector: loading it logs the problem (and it still loads).
const resourcesDir = path.join(temp, 'resources')
cpSync(path.join(RESOURCES_DIR, 'models', 'default'), path.join(resourcesDir, 'models', 'default'), {
  recursive: true
})
writeFileSync(path.join(resourcesDir, 'models', 'default', 'detector.bin'), 'damaged')

const running: Services[] = []
afterAll(async () => {
  for (const services of running) await services.dispose()
  rmSync(temp, { recursive: true, force: true })
})

async function start(name: string, preloadModel: boolean) {
  const host: ShellHost = {
    shell: 'web',
    dataDir: path.join(temp, name),
    resourcesDir,
    nativeDialogs: false,
    pickFolder: async () => null,
    pickFiles: async () => null,
    saveFile: async () => null,
    createTrainingHost: () => createForkTrainingHost()
  }
  const logs: string[] = []
  const services = await createServices({
    host,
    emit: new EventHub().emit,
    version: 'test',
    log: (line) => logs.push(line),
    preloadModel
  })
  running.push(services)
  return { services, logs }
}

const modelLoaded = (logs: string[]) => logs.some((line) => /^model default: .*detector/i.test(line))

async function waitFor(check: () => boolean, seconds: number): Promise<boolean> {
  const until = Date.now() + seconds * 1000
  while (Date.now() < until) {
    if (check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return check()
}

describe('loading the active model at start-up', () => {
  it('loads it before any call when asked to (the app, web mode)', async () => {
    const { logs } = await start('preloaded', true)
    expect(await waitFor(() => modelLoaded(logs), 20)).toBe(true)
    // The warm-up read with the model and said nothing (a damaged detector only turns the detector off).
    expect(await waitFor(() => logs.some((line) => /warming up/.test(line)), 2)).toBe(false)
  })

  it('loads it at the first call otherwise', async () => {
    const { services, logs } = await start('lazy', false)
    expect(await waitFor(() => modelLoaded(logs), 1)).toBe(false)
    // A "1": a bright bar on black (a blank pad would be answered without the model).
    const image = new Uint8Array(28 * 28)
    for (let y = 5; y < 23; y++) for (let x = 13; x < 16; x++) image[y * 28 + x] = 255
    const pixels = Buffer.from(image).toString('base64')
    await services.handlers['predict.image']({ width: 28, height: 28, pixels })
    expect(modelLoaded(logs)).toBe(true)
  })
})
