import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './harness'

/** The Electron binary, where this machine has one (its download fails on machines without internet). */
function electronBinary(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown
    return typeof binary === 'string' && existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

const binary = electronBinary()
if (!binary)
  console.log(
    'electron smoke test skipped: no Electron binary on this machine (its download failed or was skipped)'
  )

describe.skipIf(!binary)('the desktop app', () => {
  it('opens a window that shows the backend through the preload bridge', async () => {
    const app = await electron.launch({ executablePath: binary ?? undefined, args: [repoRoot] })
    try {
      const window = await app.firstWindow()
      await expect
        .poll(() => window.getByTestId('backend-name').textContent(), { timeout: 60_000 })
        .toMatch(/tensorflow|wasm|cpu/)
      // The page has the bridge and nothing else of Node's.
      expect(
        await window.evaluate(() => typeof (window as unknown as { digitStudio?: unknown }).digitStudio)
      ).toBe('object')
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined'
      )
    } finally {
      await app.close()
    }
  })
})
