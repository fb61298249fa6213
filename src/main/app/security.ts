/**
 * The Electron security checklist in one place, so that the window, the session and the tests read the same
 * values. The renderer runs no TensorFlow code (inference runs in the main process), so no 'unsafe-eval' and no
 * 'wasm-unsafe-eval' are needed; connect-src allows only the loopback WebSocket of web mode.
 */
const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'"
]

/** The scheme and host the packaged app loads its pages from: app://renderer/index.html. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'renderer'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

/** Sent as an HTTP header (Electron session, web mode); frame-ancestors only works there. */
export const CONTENT_SECURITY_POLICY = [...POLICY, "frame-ancestors 'none'"].join('; ')
/** Put in index.html's <meta> at build time (covers file:// pages, which get no headers). */
export const META_CONTENT_SECURITY_POLICY = POLICY.join('; ')

export interface SecureWebPreferences {
  preload: string
  contextIsolation: true
  sandbox: true
  nodeIntegration: false
  nodeIntegrationInWorker: false
  nodeIntegrationInSubFrames: false
  webSecurity: true
  allowRunningInsecureContent: false
  webviewTag: false
  experimentalFeatures: false
  spellcheck: false
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    spellcheck: false
  }
}

/**
 * Only the app's own pages may be shown or call in: app://renderer (the packaged renderer), or the dev server
 * in development. Any other URL, file: pages included, gets nothing.
 */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  try {
    const target = new URL(url)
    if (devServerUrl && target.origin === new URL(devServerUrl).origin) return true
    return target.protocol === `${APP_SCHEME}:` && target.host === APP_HOST
  } catch {
    return false
  }
}
