import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The per-user data folder outside Electron (Electron uses app.getPath('userData')). */
export function defaultDataDir(): string {
  if (process.env.DIGIT_STUDIO_DATA_DIR) return resolve(process.env.DIGIT_STUDIO_DATA_DIR)
  if (process.platform === 'win32' && process.env.APPDATA) return join(process.env.APPDATA, 'Digit Studio')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Digit Studio')
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'digit-studio')
}

/** The checkout's or package's root: the nearest folder above this file that holds package.json. */
export function appRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from)
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) return process.cwd()
    dir = parent
  }
  return dir
}

export const defaultResourcesDir = (): string =>
  process.env.DIGIT_STUDIO_RESOURCES ?? join(appRoot(), 'resources')
