import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without type declarations
import { ensureChromium } from '../../../scripts/chromium.mjs'

type Found = { path?: string; reason?: string }
const ensure = ensureChromium as (options?: { defaultPath?: string; install?: boolean }) => Found

const saved = { path: process.env.PATH, chromium: process.env.CHROMIUM_PATH }
afterEach(() => {
  process.env.PATH = saved.path
  if (saved.chromium === undefined) delete process.env.CHROMIUM_PATH
  else process.env.CHROMIUM_PATH = saved.chromium
})

describe('npm test on a machine without Chromium', () => {
  it('says exactly what to install (and skips the e2e tests) when it may not install it', () => {
    delete process.env.CHROMIUM_PATH
    process.env.PATH = '/nonexistent'
    const found = ensure({ defaultPath: '/nonexistent/chromium', install: false })
    expect(found.path).toBeUndefined()
    expect(found.reason).toMatch(/apt-get install -y chromium/)
    expect(found.reason).toMatch(/CHROMIUM_PATH/)
  })

  it('names a CHROMIUM_PATH that does not exist', () => {
    process.env.CHROMIUM_PATH = '/nonexistent/chrome'
    expect(ensure({ install: false }).reason).toMatch(/CHROMIUM_PATH=\/nonexistent\/chrome does not exist/)
  })

  it('uses CHROMIUM_PATH when it exists', () => {
    process.env.CHROMIUM_PATH = process.execPath
    expect(ensure({ install: false })).toEqual({ path: process.execPath })
  })
})
