/**
 * Defect 6 and "main owns settings": the UI gets the same MNIST default as the CLI, ~ is expanded, relative paths
 * are refused with a clear message, an offline download says it needs internet (each mirror once), and every
 * saved setting is announced as settings.changed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultMnist } from '../../../src/core/paths'
import { startServices, type RunningServices } from '../../support/services'

let dataDir: string
let running: RunningServices
const changes: unknown[] = []

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'digit-first-run-'))
  running = await startServices(dataDir)
  running.events.subscribe((event, payload) => {
    if (event === 'settings.changed') changes.push(payload)
  })
})
afterAll(async () => {
  await running.services.dispose()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('first run', () => {
  it('tells the UI the MNIST default the CLI uses, and mnist.status uses it', async () => {
    const info = await running.call('app.info', {})
    expect(info.ok).toBe(true)
    if (!info.ok) return
    const { mnistDefault } = info.value
    expect(mnistDefault).toEqual(defaultMnist(dataDir))
    const status = await running.call('mnist.status', {})
    expect(status).toMatchObject({
      ok: true,
      value: { folder: mnistDefault.folder, source: mnistDefault.source }
    })
  })

  it('refuses a relative folder with a message that says so; expands ~', async () => {
    const refused = await running.call('testset.import', { folder: 'scans' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-input', key: 'relativePath' } })
    if (!refused.ok) expect(refused.error.message).toContain(path.join(homedir(), 'scans'))
    const saved = await running.call('settings.set', { lastImportFolder: '~/scans' })
    expect(saved).toMatchObject({ ok: true, value: { lastImportFolder: path.join(homedir(), 'scans') } })
  })

  it('announces every saved setting as settings.changed (only when something changed)', async () => {
    changes.length = 0
    await running.call('settings.set', { theme: 'dark' })
    await running.call('settings.set', { theme: 'dark' })
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ theme: 'dark' })
  })

  it('an offline download says it needs internet, lists each mirror once, and how to use a folder instead', async () => {
    // Port 9 (discard) on loopback refuses connections: as good as offline, and fast.
    const mirrors = ['http://127.0.0.1:9/a/', 'http://127.0.0.1:9/b/']
    const result = await running.call('mnist.download', { mirrors })
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', key: 'mnistOffline' } })
    if (result.ok) return
    expect(result.error.message).toMatch(/internet/)
    expect(result.error.message).toMatch(/folder that already holds the four MNIST files/)
    for (const mirror of mirrors) expect(result.error.message.split(mirror)).toHaveLength(2)
    expect(result.error.message).not.toMatch(/input could not be used/)
  })
})
