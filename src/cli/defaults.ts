/** Default locations for the CLI: MNIST folder, shipped model, the app's data folder. */
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** src/cli/ in a checkout and out/main/ in a build are both two levels below the project root. */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export const SHIPPED_MODEL_DIR = path.join(projectRoot, 'resources', 'models', 'default')

/** The app's data folder (models, MNIST cache); DIGIT_STUDIO_DATA overrides. */
export function appDataDir(): string {
  if (process.env.DIGIT_STUDIO_DATA) return path.resolve(process.env.DIGIT_STUDIO_DATA)
  const home = os.homedir()
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? home, 'Digit Studio')
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Digit Studio')
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'digit-studio')
}

/** --mnist default: DIGIT_STUDIO_MNIST, else ../shared/data/mnist if present, else the app's download cache. */
export function defaultMnistDir(): string {
  if (process.env.DIGIT_STUDIO_MNIST) return path.resolve(process.env.DIGIT_STUDIO_MNIST)
  const shared = path.resolve(projectRoot, '..', 'shared', 'data', 'mnist')
  if (existsSync(shared)) return shared
  return path.join(appDataDir(), 'mnist')
}

export function defaultModelsDir(): string {
  return path.join(appDataDir(), 'models')
}
