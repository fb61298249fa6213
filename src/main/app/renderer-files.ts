/**
 * Serving the built renderer (out/renderer): one request → response function, free of Electron and of
 * node:http, used by the desktop app's `app://` protocol handler and by web mode's HTTP server alike, so
 * both answer a malformed or hostile URL the same way (400, never an exception) and the tests can drive it
 * directly.
 */
import { realpath } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { readRegularFile, SafeReadError } from '../../core/fs/safe-read'
import { APP_ORIGIN, CONTENT_SECURITY_POLICY } from './security'

/** No file of the built renderer comes near this; anything larger is not one of ours. */
const MAX_RENDERER_FILE_BYTES = 32 * 1024 * 1024

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

export interface StaticReply {
  status: number
  headers: Record<string, string>
  /** null for HEAD requests. */
  body: Buffer | string | null
}

const text = (status: number, message: string): StaticReply => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  body: message
})

/**
 * The decoded path of a request URL (`/assets/x.js`, or a whole `app://renderer/…` URL), or null when the URL
 * cannot be parsed or decoded (`/%`, `//[`, overlong UTF-8 such as `%c0%ae`) or holds a NUL byte.
 */
export function requestPath(url: string): string | null {
  try {
    const decoded = decodeURIComponent(new URL(url, `${APP_ORIGIN}/`).pathname)
    return decoded.includes('\0') ? null : decoded
  } catch {
    return null
  }
}

/** Answers one GET or HEAD request for a file of the renderer in `root`. Never throws. */
export async function serveRendererFile(root: string, url: string, method: string): Promise<StaticReply> {
  if (method !== 'GET' && method !== 'HEAD') return text(405, 'Method not allowed')
  const pathname = requestPath(url)
  if (pathname === null) return text(400, 'Bad request')
  const base = normalize(root)
  const file = normalize(join(base, pathname === '/' ? 'index.html' : pathname))
  if (!file.startsWith(base.endsWith(sep) ? base : base + sep)) return text(404, 'Not found')
  let body: Buffer
  try {
    // A link inside the folder must not lead out of it.
    const real = await realpath(file)
    const realBase = await realpath(base)
    if (!real.startsWith(realBase.endsWith(sep) ? realBase : realBase + sep)) return text(404, 'Not found')
    body = await readRegularFile(real, { maxBytes: MAX_RENDERER_FILE_BYTES })
  } catch (error) {
    if (error instanceof SafeReadError || typeof (error as { code?: unknown }).code === 'string')
      return text(404, 'Not found')
    return text(500, 'Cannot read the file')
  }
  return {
    status: 200,
    headers: {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store'
    },
    body: method === 'HEAD' ? null : body
  }
}

/** The same answer as a fetch Response, for Electron's protocol.handle. */
export async function rendererResponse(root: string, request: Request): Promise<Response> {
  const reply = await serveRendererFile(root, request.url, request.method)
  const body =
    reply.body === null ? null : typeof reply.body === 'string' ? reply.body : new Uint8Array(reply.body)
  return new Response(body, { status: reply.status, headers: reply.headers })
}
