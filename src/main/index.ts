/** The desktop app's main process: the window, the native dialogs, and the services behind the IPC bridge. */
// First: the util shim tfjs-node needs on Node 23+ (see core/backend/node-compat).
import '../core/backend/node-compat'
import { app, BrowserWindow, dialog, ipcMain } from 'electron'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/wire'
import { createMainWindow, hardenSession } from './app/window'
import { isAppUrl } from './app/security'
import { registerAppScheme, serveAppScheme } from './app/protocol'
import { defaultDataDir } from '../core/paths'
import { pageFilesDialog, type ShellHost } from './app/shell'
import { EventHub } from './ipc/events'
import { createRouter } from './ipc/router'
import { createServices } from './services'
import { createUtilityTrainingHost } from './training/utility-host'
import { join } from 'node:path'

const outDir = dirname(fileURLToPath(import.meta.url))

const host: ShellHost = {
  shell: 'electron',
  // The same folder as web mode and the CLI, so all three see the same models and settings.
  dataDir: defaultDataDir(),
  resourcesDir: app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources'),
  nativeDialogs: true,
  pickFolder: async (title) => {
    const result = await dialog.showOpenDialog({ title, properties: ['openDirectory'] })
    return result.canceled ? null : (result.filePaths[0] ?? null)
  },
  pickFiles: async (title) => {
    const result = await dialog.showOpenDialog(pageFilesDialog(title))
    return result.canceled ? null : result.filePaths
  },
  saveFile: async (defaultName, title) => {
    const result = await dialog.showSaveDialog({ title, defaultPath: defaultName })
    return result.canceled ? null : (result.filePath ?? null)
  },
  createTrainingHost: () => createUtilityTrainingHost()
}

if (!app.requestSingleInstanceLock()) app.quit()
registerAppScheme()

app.whenReady().then(async () => {
  serveAppScheme(join(outDir, '../renderer'))
  hardenSession()
  const events = new EventHub()
  const services = await createServices({
    host,
    emit: events.emit,
    version: app.getVersion(),
    log: console.error,
    preloadModel: true
  })
  const router = createRouter(services.handlers, console.error)

  ipcMain.handle(IPC_CALL_CHANNEL, (event, name: unknown, request: unknown) => {
    // Only the app's own pages may call in; anything else (an injected frame) gets nothing.
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url, process.env.ELECTRON_RENDERER_URL)) {
      return {
        ok: false,
        error: { code: 'bad-request', message: 'Calls are accepted from the app window only.' }
      }
    }
    return router.dispatch(name, request, JSON.stringify(request ?? null)?.length ?? 0)
  })
  events.subscribe((name, payload) => {
    for (const window of BrowserWindow.getAllWindows())
      window.webContents.send(IPC_EVENT_CHANNEL, name, payload)
  })

  createMainWindow(outDir)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(outDir)
  })
  app.on('before-quit', () => void services.dispose())
})

app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus())
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
