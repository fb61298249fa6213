/**
 * Malformed HTTP requests against web mode's server, sent over raw sockets (no client library "fixes" them):
 * every one gets an HTTP answer (400 for URLs that cannot be decoded), the process lives on, and the server
 * still serves the page and the WebSocket afterwards. Then HARDENING_WEB_REQUESTS random request targets.
 */
import fc from 'fast-check'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { EventHub } from '../../../src/main/ipc/events'
import type { Router } from '../../../src/main/ipc/router'
import { startWebServer, type WebServer } from '../../../src/main/web/server'
import { countFromEnv, recordFigures, SEED, tempDir } from './support'

const RUNS = countFromEnv('HARDENING_WEB_REQUESTS', 200)

let server: WebServer
let root: string

const router: Router = { dispatch: async () => ({ ok: true, value: 'pong' }) }

beforeAll(async () => {
  root = tempDir('web-requests')
  mkdirSync(path.join(root, 'static'))
  writeFileSync(path.join(root, 'static', 'index.html'), '<!doctype html><title>ok</title>')
  server = await startWebServer({ router, events: new EventHub(), staticDir: path.join(root, 'static') })
})
afterAll(async () => {
  await server?.close()
  rmSync(root, { recursive: true, force: true })
})

/** Sends raw bytes and resolves with the status code of the answer (0 if the socket closed without one). */
function raw(bytes: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1')
    let answer = ''
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer to ${JSON.stringify(bytes.slice(0, 80))}`))
    }, 5000)
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1')
      if (answer.includes('\r\n')) socket.end()
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0))
    })
    socket.write(bytes, 'latin1')
  })
}

const host = (): string => `127.0.0.1:${server.port}`
const get = (target: string, extra = ''): Promise<number> =>
  raw(`GET ${target} HTTP/1.1\r\nHost: ${host()}\r\n${extra}Connection: close\r\n\r\n`)
const upgrade = (target: string): Promise<number> =>
  get(
    target,
    'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
  )

async function stillServes(): Promise<void> {
  expect(await get('/')).toBe(200)
  const ws = new WebSocket(`ws://${host()}/ws?token=${server.token}`)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  ws.close()
}

describe('web mode under malformed requests', () => {
  const targets = ['/%', '/%c0%ae%c0%ae/x', '//[', '/%00', '/a%2', '/%E0%A4%A', '/..%2f..%2fetc/passwd']

  it.each(targets)('answers GET %s with 4xx and keeps serving', async (target) => {
    const status = await get(target)
    expect(status).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(500)
    await stillServes()
  })

  it.each(targets)('answers an Upgrade to %s with 4xx and keeps serving', async (target) => {
    const status = await upgrade(target)
    expect(status).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(500)
    await stillServes()
  })

  it('answers garbage request lines and other methods without ending', async () => {
    expect(await raw('\x00\x01\x02 garbage\r\n\r\n')).toBe(400)
    expect(await raw(`POST /%zz HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 0\r\n\r\n`)).toBe(405)
    expect(await get('/%', '')).toBe(400)
    await stillServes()
  })

  it(`answers ${RUNS} random request targets, with and without Upgrade`, async () => {
    const statuses: Record<string, number> = {}
    const pieces = fc.constantFrom(
      '/',
      '%',
      '%c0',
      '%ae',
      '%2f',
      '..',
      '[',
      ']',
      '//',
      '?',
      '#',
      '@',
      ':',
      'ws',
      'a'
    )
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 12 }), fc.boolean(), async (parts, withUpgrade) => {
        const target = parts.join('') || '/'
        const status = withUpgrade ? await upgrade(target) : await get(target)
        statuses[status] = (statuses[status] ?? 0) + 1
        expect(status).toBeGreaterThanOrEqual(200)
        expect(status).toBeLessThan(500)
      }),
      { numRuns: RUNS, seed: SEED }
    )
    await stillServes()
    recordFigures('web-requests', { randomTargets: RUNS, statuses })
  })
})
