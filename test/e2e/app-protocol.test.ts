/**
 * The packaged app's pages (issue 13, item 5). Opened as file://…/out/renderer/index.html, Chromium blocks the
 * built page's crossorigin module script and stylesheet (file: is an opaque origin), so #app stays empty: the
 * blank window the packaged app would have shown. Served through rendererResponse, the function the app://
 * protocol handler calls, the same build shows the whole UI (the contract comes from web mode's socket).
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rendererResponse } from '../../src/main/app/renderer-files'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath, repoRoot, startWebApp, type RunningApp } from './harness'

const rendererDir = join(repoRoot, 'out', 'renderer')

describe('the built renderer as the packaged app loads it', () => {
  let running: RunningApp

  beforeAll(async () => {
    running = await startWebApp()
  })
  afterAll(async () => {
    await running?.close()
  })

  it('stays blank as a file: page (why the app no longer loads it that way)', async () => {
    const page = await running.page.context().newPage()
    await page.goto(pathToFileURL(join(rendererDir, 'index.html')).href)
    await page.waitForTimeout(1500)
    expect(await page.locator('#app').innerHTML()).toBe('')
    await page.close()
  })

  it('shows the UI when every page request goes through the protocol handler code', async () => {
    // Routed responses count as coming from outside the loopback address space, and Chromium then blocks the
    // page's WebSocket to 127.0.0.1 (Local Network Access): a browser of its own without that check.
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'],
      headless: true
    })
    const context = await browser.newContext({ locale: 'en-US' })
    const served: string[] = []
    await context.route(`${new URL(running.url).origin}/**`, async (route) => {
      const request = route.request()
      const response = await rendererResponse(
        rendererDir,
        new Request(request.url(), { method: request.method() })
      )
      served.push(`${response.status} ${new URL(request.url()).pathname}`)
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer())
      })
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(running.url)
    await expect.poll(() => page.getByTestId('app-version').textContent(), { timeout: 60_000 }).toBeTruthy()
    await expect.poll(() => page.getByLabel('Drawing pad').count(), { timeout: 30_000 }).toBe(1)
    expect(served.some((line) => /^200 \/assets\/.+\.js$/.test(line))).toBe(true)
    expect(errors).toEqual([])
    await browser.close()
  })
})
