import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { electronBinary } from '../../scripts/electron-package.mjs'
import { repoRoot } from './harness'

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
