/** Shared helpers for the engine tests: data paths, temp folders and the backends that load here. */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { backendFailure, useBackend } from '../../src/core/backend'
import type { BackendName } from '../../src/shared/schemas/models'

export { MNIST_DIR, USPS_DIR, hasMnist, hasUsps } from './paths'

export function tempDir(prefix = 'digit-studio-engine-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix))
}

export const ALL_BACKENDS: BackendName[] = ['tensorflow', 'wasm', 'cpu']

/** Activates the backend, or returns the reason it does not load here (the test then skips and says so). */
export async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    await useBackend(name)
    return null
  } catch (error) {
    const reason = backendFailure(name) ?? (error instanceof Error ? error.message : String(error))
    console.warn(`[engine tests] backend '${name}' skipped: ${reason}`)
    return reason
  }
}
