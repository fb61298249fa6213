import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, startWebApp, type RunningApp } from './harness'

describe('web mode through the real UI', () => {
  let running: RunningApp

  beforeAll(async () => {
    running = await startWebApp()
  })
  afterAll(async () => {
    await running?.close()
  })

  it('shows the version and the backend the main-process services selected', async () => {
    const { page } = running
    const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string
    await expect.poll(() => page.getByTestId('app-version').textContent(), { timeout: 60_000 }).toBe(version)
    const backend = (await page.getByTestId('backend-name').textContent())?.trim()
    expect(['tensorflow', 'wasm', 'cpu']).toContain(backend)
    // The page shows what the services report, not a value of its own.
    const { host, searchParams } = new URL(running.url)
    const socketUrl = `ws://${host}/ws?token=${searchParams.get('token')}`
    const reported = await page.evaluate(async (url) => {
      const ws = new WebSocket(url)
      await new Promise((resolve) => (ws.onopen = resolve))
      ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app.info', request: {} }))
      const reply = await new Promise<string>((resolve) => (ws.onmessage = (m) => resolve(String(m.data))))
      ws.close()
      return JSON.parse(reply).result.value.backend as string
    }, socketUrl)
    expect(backend).toBe(reported)
    expect(running.logs.filter((line) => line.startsWith('pageerror'))).toEqual([])
  })

  it('serves the page with a strict Content-Security-Policy', async () => {
    const response = await running.page.request.get(running.url)
    const csp = response.headers()['content-security-policy']
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-eval')
  })
})
