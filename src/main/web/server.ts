/**
 * Web mode: the renderer served to a browser on 127.0.0.1, and the contract routed over a WebSocket to the
 * same router the Electron app uses. A per-run token in the URL, a Host check (against DNS rebinding) and an
 * Origin check keep other local pages and other machines out.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { MAX_REQUEST_BYTES } from '../../shared/contract'
import type { CallMessage, ServerMessage } from '../../shared/wire'
import type { EventHub } from '../ipc/events'
import type { Router } from '../ipc/router'
import { requestPath, serveRendererFile } from '../app/renderer-files'

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

  // No request, however malformed, may end the process (and a training with it): every failure is an answer.
  const server: Server = createServer((request, response) => {
    if (!isLocalHost(request)) return reply(response, 403, 'Forbidden host')
    serveStatic(options.staticDir, request, response).catch(() => {
      if (!response.headersSent) reply(response, 500, 'Internal error')
      else response.destroy()
    })
  })
  server.on('clientError', (_error, socket) => refuseSocket(socket, 400, 'Bad Request'))

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES })
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy())
    try {
      const url = parseRequestUrl(request.url ?? '/')
      if (url === null) return refuseSocket(socket, 400, 'Bad Request')
      const origin = request.headers.origin
      const originOk = origin === undefined || allowedHosts().some((host) => origin === `http://${host}`)
      if (
        url.pathname !== '/ws' ||
        !isLocalHost(request) ||
        !originOk ||
        !sameToken(url.searchParams.get('token'), token)
      ) {
        return refuseSocket(socket, 403, 'Forbidden')
      }
      sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options))
    } catch {
      refuseSocket(socket, 400, 'Bad Request')
    }
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

/** The request's URL, or null where it cannot be parsed or its path cannot be decoded. */
function parseRequestUrl(raw: string): URL | null {
  if (requestPath(raw) === null) return null
  try {
    return new URL(raw, 'http://127.0.0.1')
  } catch {
    return null
  }
}

function refuseSocket(socket: Duplex, status: number, text: string): void {
  if (socket.writable)
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  setTimeout(() => socket.destroy(), 1000).unref()
}

async function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const answer = await serveRendererFile(root, request.url ?? '/', request.method ?? 'GET')
  response.writeHead(answer.status, answer.headers)
  response.end(answer.body ?? undefined)
}
