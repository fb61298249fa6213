/**
 * Where the tests find the repository and the shared data sets. The data root is `../shared/data` beside the
 * checkout unless DIGIT_STUDIO_SHARED_DATA points elsewhere (point it at an empty folder to check that every
 * data-dependent test skips with a printed reason).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const RESOURCES_DIR = path.join(REPO_ROOT, 'resources')
export const SHARED_DATA_DIR = path.resolve(
  process.env.DIGIT_STUDIO_SHARED_DATA ?? path.join(REPO_ROOT, '..', 'shared', 'data')
)
export const MNIST_DIR = path.join(SHARED_DATA_DIR, 'mnist')
export const USPS_DIR = path.join(SHARED_DATA_DIR, 'usps-600')

const MNIST_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz'
]

const printed = new Set<string>()

/** True when the folder exists (with the named files); otherwise prints once why the tests that need it skip. */
function present(name: string, folder: string, files: string[]): boolean {
  const missing = [folder, ...files.map((f) => path.join(folder, f))].find((p) => !existsSync(p))
  if (missing === undefined) return true
  if (!printed.has(name)) {
    printed.add(name)
    console.warn(
      `[tests] skipping the tests that need ${name}: ${missing} is missing (set DIGIT_STUDIO_SHARED_DATA to the folder holding mnist/ and usps-600/)`
    )
  }
  return false
}

export const hasMnist = (): boolean => present('MNIST', MNIST_DIR, MNIST_FILES)
export const hasUsps = (): boolean => present('USPS-600', USPS_DIR, [])
