/** Where things live on disk outside Electron: the data folder, the app's root and resources, MNIST's default. */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MnistDefault } from '../shared/schemas/app'

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

/**
 * The one MNIST default (app, web mode and CLI): DIGIT_STUDIO_MNIST, else ../shared/data/mnist beside a checkout,
 * else the download cache in the data folder.
 */
export function defaultMnist(dataDir: string = defaultDataDir()): MnistDefault {
  const fromEnv = process.env.DIGIT_STUDIO_MNIST
  if (fromEnv) return { folder: resolveUserPath(fromEnv), source: 'env' }
  const shared = resolve(appRoot(), '..', 'shared', 'data', 'mnist')
  if (existsSync(shared)) return { folder: shared, source: 'checkout' }
  return { folder: join(dataDir, 'mnist'), source: 'cache' }
}

/** Expands a leading `~` to the home folder ("~" and "~/x"; "~user" is left alone). */
export function expandHome(input: string): string {
  if (input === '~') return homedir()
  if (input.startsWith('~/') || input.startsWith('~\\')) return join(homedir(), input.slice(2))
  return input
}

/** A path the user typed was relative: the app refuses it rather than guess a working folder. */
export class RelativePathError extends Error {
  override readonly name = 'RelativePathError'
  readonly code = 'relative-path'
  readonly key = 'relativePath'
  readonly params: { path: string }
  constructor(readonly path: string) {
    super(
      `"${path}" is a relative path; give the full path of the folder (for example ${join(homedir(), path)}) or start it with ~/`
    )
    this.params = { path }
  }
}

/**
 * A path from the user (UI or settings): `~` expanded, then it must be absolute. Relative paths are refused (the
 * server's working folder means nothing to the person typing), with the absolute path they probably meant.
 */
export function checkUserPath(input: string): string {
  const expanded = expandHome(input.trim())
  if (!isAbsolute(expanded)) throw new RelativePathError(input)
  return resolve(expanded)
}

/** A path from the command line: `~` expanded, relative paths against the current folder (as shells do). */
export function resolveUserPath(input: string): string {
  return resolve(expandHome(input))
}
