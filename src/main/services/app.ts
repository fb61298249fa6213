import type { Handlers } from '../ipc/router'
import type { ShellHost } from '../app/shell'
import type { SettingsStore } from './settings'
import type { EngineService } from './engine'
import { rememberConfirmedPath } from './files'
import type { MnistService } from './mnist'
import { checkUserPath } from '../../core/paths'

type AppCalls = Pick<
  Handlers,
  'app.info' | 'settings.get' | 'settings.set' | 'dialog.pickFolder' | 'dialog.pickFiles' | 'dialog.saveFile'
>

export function appHandlers(
  host: ShellHost,
  settings: SettingsStore,
  engine: EngineService,
  mnist: MnistService,
  version: string
): AppCalls {
  return {
    'app.info': async () => {
      const backend = await engine.backend()
      return {
        name: 'Digit Studio',
        version,
        backend: backend.name,
        backendDetail: backend.detail,
        shell: host.shell,
        platform: `${process.platform}-${process.arch}`,
        dataDir: host.dataDir,
        nativeDialogs: host.nativeDialogs,
        mnistDefault: mnist.defaultFolder()
      }
    },
    'settings.get': () => settings.get(),
    'settings.set': async (patch) => {
      // Folders are kept absolute (~ expanded); a relative one is refused with the path it probably meant.
      const folders = {
        ...(patch.mnistFolder ? { mnistFolder: checkUserPath(patch.mnistFolder) } : {}),
        ...(patch.lastImportFolder ? { lastImportFolder: checkUserPath(patch.lastImportFolder) } : {})
      }
      const next = await settings.update({ ...patch, ...folders })
      if (patch.backend !== undefined) await engine.setBackendPreference(next.backend)
      return next
    },
    'dialog.pickFolder': async ({ title }) => ({ path: await host.pickFolder(title) }),
    'dialog.pickFiles': async ({ title }) => {
      const paths = await host.pickFiles(title)
      return { paths: paths && paths.length > 0 ? paths : null }
    },
    'dialog.saveFile': async ({ defaultName, title }) => ({
      path: rememberConfirmedPath(await host.saveFile(defaultName, title))
    })
  }
}
