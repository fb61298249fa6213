/**
 * End-to-end harness: the real main-process services in web mode (a fresh data folder per app), the built
 * renderer, and Debian's Chromium driven by playwright-core.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startWebApp as startServices, type WebApp } from '../../src/main/web/app'

export const repoRoot = resolve(import.meta.dirname, '../..')
export { SHARED_DATA_DIR as sharedData } from '../support/paths'
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const screenshotsDir = join(repoRoot, 'docs', 'screenshots')

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic'
]

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(`No Chromium at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`)
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true })
}

export interface RunningApp {
  app: WebApp
  url: string
  page: Page
  browser: Browser
  logs: string[]
  close(): Promise<void>
}

/** Starts the services and opens the UI in a fresh browser; `close` removes everything it made. */
export async function startWebApp(
  options: { dataDir?: string; colorScheme?: 'light' | 'dark' } = {}
): Promise<RunningApp> {
  if (!existsSync(join(repoRoot, 'out', 'renderer', 'index.html'))) {
    throw new Error('The renderer is not built: run `npx electron-vite build` (npm test does it first).')
  }
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'digit-studio-e2e-'))
  const logs: string[] = []
  const app = await startServices({ dataDir, log: (line) => logs.push(line) })
  const browser = await launchChromium()
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-US',
    acceptDownloads: true
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => logs.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') logs.push(`console: ${message.text()}`)
  })
  await page.goto(app.url)
  return {
    app,
    url: app.url,
    page,
    browser,
    logs,
    close: async () => {
      await browser.close()
      await app.close()
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
