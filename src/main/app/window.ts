import { BrowserWindow, session, shell, type WebContents } from 'electron'
import { join } from 'node:path'
import { APP_INDEX_URL, CONTENT_SECURITY_POLICY, isAppUrl, secureWebPreferences } from './security'

const devServerUrl = (): string | undefined => process.env.ELECTRON_RENDERER_URL

/** The main window, created with every item of Electron's security checklist that applies to a window. */
export function createMainWindow(outDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Digit Studio',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(join(outDir, '../preload/index.cjs'))
  })
  lockDown(window.webContents)
  window.once('ready-to-show', () => window.show())
  const dev = devServerUrl()
  void window.loadURL(dev ?? APP_INDEX_URL)
  return window
}

/** Navigation, new windows and permission requests are refused; links to the web open in the user's browser. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl())) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServerUrl())) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Session-wide rules: a CSP header on every response and no permission is ever granted. */
export function hardenSession(): void {
  const appSession = session.defaultSession
  appSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  appSession.setPermissionCheckHandler(() => false)
  appSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
  })
}
