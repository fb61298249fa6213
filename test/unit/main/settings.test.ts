import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { calls } from '../../../src/shared/contract'
import { SettingsStore } from '../../../src/main/services/settings'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'digit-studio-settings-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('settings', () => {
  it('a partial update changes only what it names', async () => {
    const request = calls['settings.set'].request.parse({ theme: 'dark' })
    expect(request).toEqual({ theme: 'dark' })
    const store = new SettingsStore(dir)
    await store.update({ locale: 'zh-CN', mnistFolder: '/data/mnist' })
    await store.update(request)
    expect(await new SettingsStore(dir).get()).toMatchObject({
      locale: 'zh-CN',
      theme: 'dark',
      mnistFolder: '/data/mnist'
    })
  })

  it('overlapping updates keep each other', async () => {
    const store = new SettingsStore(dir)
    await Promise.all([
      store.update({ theme: 'dark' }),
      store.update({ penWidth: 30 }),
      store.update({ locale: 'en' })
    ])
    const saved = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))
    expect(saved).toMatchObject({ theme: 'dark', penWidth: 30, locale: 'en' })
  })

  it('a damaged settings file falls back field by field', async () => {
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ theme: 'dark', penWidth: 'huge', locale: 'xx' })
    )
    expect(await new SettingsStore(dir).get()).toMatchObject({
      theme: 'dark',
      penWidth: 18,
      locale: 'system'
    })
    writeFileSync(join(dir, 'settings.json'), '{ not json')
    expect((await new SettingsStore(dir).get()).theme).toBe('system')
  })
})
