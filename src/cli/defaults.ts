/** Default locations for the CLI: the same data folder and shipped model as the app and web mode. */
import path from 'node:path'
import { defaultDataDir, defaultMnist, defaultResourcesDir } from '../core/paths'

export const SHIPPED_MODEL_DIR = path.join(defaultResourcesDir(), 'models', 'default')

/** --mnist default: DIGIT_STUDIO_MNIST, else ../shared/data/mnist beside a checkout, else the app's download cache. */
export function defaultMnistDir(): string {
  return defaultMnist().folder
}

export function defaultModelsDir(): string {
  return path.join(defaultDataDir(), 'models')
}
