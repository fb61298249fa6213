/** Default locations for the CLI: the same data folder and shipped model as the app and web mode. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { appRoot, defaultDataDir, defaultResourcesDir } from '../main/app/paths'

export const SHIPPED_MODEL_DIR = path.join(defaultResourcesDir(), 'models', 'default')

/** --mnist default: DIGIT_STUDIO_MNIST, else ../shared/data/mnist beside a checkout, else the app's download cache. */
export function defaultMnistDir(): string {
  if (process.env.DIGIT_STUDIO_MNIST) return path.resolve(process.env.DIGIT_STUDIO_MNIST)
  const shared = path.resolve(appRoot(), '..', 'shared', 'data', 'mnist')
  if (existsSync(shared)) return shared
  return path.join(defaultDataDir(), 'mnist')
}

export function defaultModelsDir(): string {
  return path.join(defaultDataDir(), 'models')
}
