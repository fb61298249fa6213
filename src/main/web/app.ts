/**
 * Web mode: the same services and the same renderer as the desktop app, served to a browser on 127.0.0.1.
 * Only the ShellHost differs: no native dialogs, so the UI asks for paths instead.
 */
import { join } from 'node:path'
import { EventHub } from '../ipc/events'
import { createRouter } from '../ipc/router'
import { appRoot, defaultDataDir, defaultResourcesDir } from '../../core/paths'
import type { ShellHost } from '../app/shell'
import { createServices } from '../services'
import { createForkTrainingHost } from '../training/fork-host'
import { startWebServer, type WebServer } from './server'
import { readFileSync } from 'node:fs'

export interface WebAppOptions {
  dataDir?: string
  port?: number
  staticDir?: string
  log?: (line: string) => void
}

export interface WebApp extends WebServer {
  dataDir: string
}

/** Starts the services and the server; used by the CLI entry below and by the end-to-end tests. */
export async function startWebApp(options: WebAppOptions = {}): Promise<WebApp> {
  const root = appRoot()
  const log = options.log ?? ((line: string) => console.error(line))
  const dataDir = options.dataDir ?? defaultDataDir()
  const host: ShellHost = {
    shell: 'web',
    dataDir,
    resourcesDir: defaultResourcesDir(),
    nativeDialogs: false,
    pickFolder: async () => null,
    pickFiles: async () => null,
    saveFile: async () => null,
    createTrainingHost: () => createForkTrainingHost()
  }
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version
  const events = new EventHub()
  const services = await createServices({ host, emit: events.emit, version, log, preloadModel: true })
  const router = createRouter(services.handlers, log)
  const server = await startWebServer({
    router,
    events,
    staticDir: options.staticDir ?? join(root, 'out', 'renderer'),
    port: options.port
  })
  return {
    ...server,
    dataDir,
    close: async () => {
      await server.close()
      await services.dispose()
    }
  }
}
