/**
 * Web mode: the renderer served to a browser on 127.0.0.1, and the contract routed over a WebSocket to the
 * same router the Electron app uses. A per-run token in the URL, a Host check (against DNS rebinding) and an
 * Origin check keep other local pages and other machines out.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { MAX_REQUEST_BYTES } from '../../shared/contract'
import type { CallMessage, ServerMessage } from '../../shared/wire'
import type { EventHub } from '../ipc/events'
import type { Router } from '../ipc/router'
import { CONTENT_SECURITY_POLICY } from '../app/security'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}

export interface WebServerOptions {
  router: Router
  events: EventHub
  /** The built renderer (out/renderer). */
  staticDir: string
  port?: number
  token?: string
}

export interface WebServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const sameToken = (given: string | null, token: string): boolean => {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  let port = 0
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`]
  const isLocalHost = (request: IncomingMessage): boolean =>
    allowedHosts().includes(request.headers.host ?? '')

  const server: Server = createServer((request, response) => {
    if (!isLocalHost(request)) return reply(response, 403, 'Forbidden host')
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return reply(response, 405, 'Method not allowed')
    serveStatic(options.staticDir, request, response)
  })

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES })
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const origin = request.headers.origin
    const originOk = origin === undefined || allowedHosts().some((host) => origin === `http://${host}`)
    if (
      url.pathname !== '/ws' ||
      !isLocalHost(request) ||
      !originOk ||
      !sameToken(url.searchParams.get('token'), token)
    ) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      socket.destroy()
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function serveSocket(ws: WebSocket, { router, events }: WebServerOptions): void {
  const send = (message: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
  }
  const unsubscribe = events.subscribe((name, payload) => send({ type: 'event', name, payload }))
  ws.on('close', unsubscribe)
  // An oversized or malformed frame closes this socket (code 1009/1002); it must never reach the process.
  ws.on('error', () => ws.terminate())
  ws.on('message', async (data, isBinary) => {
    const raw = isBinary ? '' : data.toString()
    let message: Partial<CallMessage>
    try {
      message = JSON.parse(raw) as Partial<CallMessage>
    } catch {
      message = {}
    }
    const id = typeof message.id === 'number' && Number.isSafeInteger(message.id) ? message.id : -1
    if (message.type !== 'call' || id < 0) {
      send({
        type: 'result',
        id,
        result: { ok: false, error: { code: 'bad-request', message: 'Not a call message.' } }
      })
      return
    }
    send({ type: 'result', id, result: await router.dispatch(message.name, message.request, raw.length) })
  })
}

function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text)
}

function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): void {
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)
  const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname))
  if (!file.startsWith(normalize(root) + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return reply(response, 404, 'Not found')
  }
  response.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store'
  })
  if (request.method === 'HEAD') return void response.end()
  createReadStream(file).pipe(response)
}
