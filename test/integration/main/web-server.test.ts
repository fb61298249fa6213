import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { MAX_REQUEST_BYTES } from '../../../src/shared/contract'
import { startWebApp, type WebApp } from '../../../src/main/web/app'

let app: WebApp
let dataDir: string
let nextId = 1

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'digit-studio-web-'))
  app = await startWebApp({ dataDir, staticDir: join(dataDir, 'static'), log: () => undefined })
})
afterAll(async () => {
  await app?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const socketUrl = (token = app.token): string => `ws://127.0.0.1:${app.port}/ws?token=${token}`

function connect(url = socketUrl(), headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function send(
  ws: WebSocket,
  message: unknown
): Promise<{ id: number; result: { ok: boolean; error?: { code: string } } }> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))))
    ws.send(typeof message === 'string' ? message : JSON.stringify(message))
  })
}

const call = (ws: WebSocket, name: unknown, req: unknown) =>
  send(ws, { type: 'call', id: nextId++, name, request: req })

describe('web-mode server', () => {
  it('answers malformed requests with typed errors and keeps answering', async () => {
    const ws = await connect()
    expect((await call(ws, 'no.such.call', {})).result.error?.code).toBe('unknown-call')
    expect((await call(ws, 'predict.image', { width: 'x' })).result.error?.code).toBe('bad-request')
    expect((await call(ws, 'settings.set', { theme: 'purple' })).result.error?.code).toBe('bad-request')
    expect((await send(ws, 'not json at all')).result.error?.code).toBe('bad-request')
    expect((await send(ws, { type: 'call', id: 'x' })).result.error?.code).toBe('bad-request')
    const info = await call(ws, 'app.info', {})
    expect(info.result.ok).toBe(true)
    ws.close()
  })

  it('drops an oversized message, then serves new connections', async () => {
    const ws = await connect()
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        name: 'app.info',
        request: { pad: 'x'.repeat(MAX_REQUEST_BYTES) }
      })
    )
    expect(await closed).toBe(1009)
    const again = await connect()
    expect((await call(again, 'settings.get', {})).result.ok).toBe(true)
    again.close()
  })

  it('refuses sockets without the token, from other origins or with another Host', async () => {
    await expect(connect(socketUrl('wrong'))).rejects.toThrow('HTTP 403')
    await expect(connect(`ws://127.0.0.1:${app.port}/ws`)).rejects.toThrow('HTTP 403')
    await expect(connect(socketUrl(), { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403')
    await expect(connect(socketUrl(), { Host: 'evil.example' })).rejects.toThrow('HTTP 403')
  })

  it('serves pages only to requests for the loopback host', async () => {
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port: app.port, path: '/', headers: { host } }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
          .on('error', reject)
          .end()
      })
    expect(await status('rebinding.example')).toBe(403)
    expect(await status(`127.0.0.1:${app.port}`)).toBe(404) // the static folder of this test is empty
  })

  it('binds to the loopback interface only', () => {
    expect(app.url.startsWith('http://127.0.0.1:')).toBe(true)
  })
})
