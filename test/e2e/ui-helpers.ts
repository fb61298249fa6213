/** Shared steps of the UI journeys: navigation, drawing strokes, quick training and screenshots. */
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshotsDir, sharedData, startWebApp, type RunningApp } from './harness'

export type ViewId = 'draw' | 'read' | 'train' | 'testsets' | 'models' | 'collection' | 'settings'

/**
 * The web app of a describe block: started and opened at `view` before its tests, closed after them. The
 * fields read the app started for the block, so tests use it as they would the app itself.
 */
export function webAppAt(view: ViewId): RunningApp {
  let started: RunningApp | undefined
  const current = (): RunningApp => {
    if (!started) throw new Error('the web app of this block has not started')
    return started
  }
  beforeAll(async () => {
    started = await startWebApp()
    await openView(started.page, view)
  })
  afterAll(async () => {
    await started?.close()
  })
  return {
    get app() {
      return current().app
    },
    get url() {
      return current().url
    },
    get page() {
      return current().page
    },
    get browser() {
      return current().browser
    },
    get logs() {
      return current().logs
    },
    close: () => current().close()
  }
}

/** Waits for the shell (app.info and settings loaded), then opens a view from the sidebar. */
export async function openView(page: Page, view: ViewId): Promise<void> {
  await page.getByTestId(`nav-${view}`).waitFor({ timeout: 60_000 })
  await page.getByTestId(`nav-${view}`).click()
  await page.getByTestId(`view-${view}`).waitFor({ state: 'visible' })
}

/**
 * Screenshot of the window as the user sees it (1280×800, the harness's viewport). Only `npm run screenshots`
 * (DIGIT_STUDIO_SCREENSHOTS=1) writes the tracked docs/screenshots; other runs write to a temporary folder.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const dir =
    process.env.DIGIT_STUDIO_SCREENSHOTS === '1'
      ? screenshotsDir
      : join(tmpdir(), 'digit-studio-e2e-screenshots')
  mkdirSync(dir, { recursive: true })
  // Let charts and transitions settle.
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(dir, `${name}.png`) })
}

/** Draws a polyline on the pad; points are fractions (0..1) of the pad's size. */
export async function drawStroke(page: Page, points: [number, number][], steps = 8): Promise<void> {
  // By test id: the accessible name follows the interface language.
  const box = await page.getByTestId('drawing-pad').boundingBox()
  if (!box) throw new Error('The drawing pad is not visible')
  // Points are fractions of a square as tall as the pad, centred on it (the pad is wider than tall).
  const side = Math.min(box.width, box.height)
  const left = box.x + (box.width - side) / 2
  const at = ([x, y]: [number, number]): [number, number] => [left + x * side, box.y + y * side]
  await page.mouse.move(...at(points[0]))
  await page.mouse.down()
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]
    const [x1, y1] = points[i]
    for (let s = 1; s <= steps; s++) {
      await page.mouse.move(...at([x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps]))
    }
  }
  await page.mouse.up()
}

export const SEVEN: [number, number][] = [
  [0.28, 0.22],
  [0.72, 0.22],
  [0.45, 0.8]
]
export const ONE: [number, number][] = [
  [0.5, 0.18],
  [0.5, 0.82]
]

/** The digit announced in the role=status element ('' while there is none). */
export async function predictedDigit(page: Page): Promise<string> {
  return (await page.getByTestId('predicted-digit').getAttribute('data-digit')) ?? ''
}

export const mnistFolder = join(sharedData, 'mnist')

/** Trains a tiny model through the Train view and waits until it is saved; returns the new model's id. */
export async function trainQuickly(
  page: Page,
  options: { name: string; trainSubset?: number; testSubset?: number; reportEvery?: number }
): Promise<string> {
  await openView(page, 'train')
  await page.getByTestId('mnist-folder').fill(mnistFolder)
  await page.getByTestId('mnist-check').click()
  await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 60_000 }).toBe(true)
  await page.getByTestId('hp-epochs').fill('1')
  await page.getByTestId('hp-report-every').fill(String(options.reportEvery ?? 5))
  await page.getByTestId('train-subset').fill(String(options.trainSubset ?? 2000))
  await page.getByTestId('test-subset').fill(String(options.testSubset ?? 500))
  await page.getByTestId('model-name').fill(options.name)
  await page.getByTestId('train-start').click()
  await expect
    .poll(() => page.getByTestId('training-state').getAttribute('data-state'), { timeout: 120_000 })
    .toBe('done')
  const id = await page.getByTestId('training-saved').getAttribute('data-model-id')
  if (!id) throw new Error('The finished run names no model')
  return id
}

/** Calls the services directly over the page's WebSocket, to check what they stored. */
export async function callService(page: Page, name: string, request: object = {}): Promise<unknown> {
  const pageUrl = new URL(page.url())
  const socketUrl = `ws://${pageUrl.host}/ws?token=${encodeURIComponent(pageUrl.searchParams.get('token') ?? '')}`
  return page.evaluate(
    async ([url, call, body]) => {
      const ws = new WebSocket(url)
      await new Promise((resolve) => (ws.onopen = resolve))
      ws.send(JSON.stringify({ type: 'call', id: 1, name: call, request: body }))
      // Events (settings.changed, …) may arrive on the socket before the call's own reply.
      const reply = await new Promise<{ result: { value?: unknown } }>(
        (resolve) =>
          (ws.onmessage = (m) => {
            const message = JSON.parse(String(m.data)) as { id?: number; result?: { value?: unknown } }
            if (message.id === 1 && message.result) resolve({ result: message.result })
          })
      )
      ws.close()
      return reply.result.value
    },
    [socketUrl, name, request] as const
  )
}
