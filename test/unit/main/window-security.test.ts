import { beforeEach, describe, expect, it, vi } from 'vitest'

// Capture what the main process really passes to Electron, without an Electron binary.
const created: {
  options: Record<string, unknown>
  handlers: Record<string, (...args: unknown[]) => void>
}[] = []
const headerHooks: ((details: unknown, callback: (response: unknown) => void) => void)[] = []
let permissionHandler: ((...args: unknown[]) => void) | null = null

vi.mock('electron', () => {
  class BrowserWindow {
    readonly handlers: Record<string, (...args: unknown[]) => void> = {}
    readonly webContents = {
      on: (event: string, handler: (...args: unknown[]) => void) => void (this.handlers[event] = handler),
      setWindowOpenHandler: (handler: (...args: unknown[]) => void) =>
        void (this.handlers['window-open'] = handler)
    }
    constructor(options: Record<string, unknown>) {
      created.push({ options, handlers: this.handlers })
    }
    once(): void {}
    loadFile(): Promise<void> {
      return Promise.resolve()
    }
    loadURL(): Promise<void> {
      return Promise.resolve()
    }
  }
  return {
    BrowserWindow,
    shell: { openExternal: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => (permissionHandler = handler),
        setPermissionCheckHandler: vi.fn(),
        webRequest: { onHeadersReceived: (hook: (typeof headerHooks)[number]) => headerHooks.push(hook) }
      }
    }
  }
})

describe('the main window', () => {
  beforeEach(() => {
    created.length = 0
  })

  it('is created with contextIsolation and sandbox on, nodeIntegration off, webSecurity on', async () => {
    const { createMainWindow } = await import('../../../src/main/app/window')
    createMainWindow('/app/out/main')
    const prefs = created[0].options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/)
  })

  it('blocks navigation away from the app and every new window', async () => {
    const { createMainWindow } = await import('../../../src/main/app/window')
    createMainWindow('/app/out/main')
    const { handlers } = created[0]
    const event = { preventDefault: vi.fn() }
    handlers['will-navigate'](event, 'https://evil.example/')
    expect(event.preventDefault).toHaveBeenCalled()
    const allowed = { preventDefault: vi.fn() }
    handlers['will-navigate'](allowed, 'app://renderer/index.html')
    expect(allowed.preventDefault).not.toHaveBeenCalled()
    // Any local HTML page the window might reach is not the app (issue 13, item 5).
    for (const url of [
      'file:///app/out/renderer/index.html',
      'file:///tmp/evil.html',
      'app://other/index.html'
    ]) {
      const refused = { preventDefault: vi.fn() }
      handlers['will-navigate'](refused, url)
      expect(refused.preventDefault, url).toHaveBeenCalled()
    }
    expect(handlers['window-open']({ url: 'https://example.org' })).toEqual({ action: 'deny' })
  })

  it('sends a strict CSP on every response and denies every permission', async () => {
    const { hardenSession } = await import('../../../src/main/app/window')
    hardenSession()
    let headers: Record<string, string[]> = {}
    headerHooks[0]({ responseHeaders: {} }, (response) => {
      headers = (response as { responseHeaders: Record<string, string[]> }).responseHeaders
    })
    const csp = headers['Content-Security-Policy'][0]
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toMatch(/unsafe-eval|\*\.|https?:/)
    const decide = vi.fn()
    permissionHandler?.({}, 'media', decide)
    expect(decide).toHaveBeenCalledWith(false)
  })
})
