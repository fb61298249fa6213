/** What the backend read-out says: each backend in plain words, and why the native one did not load. */
import type { BackendName } from '../../../../shared/schemas/models'

export const backendChoices = ['auto', 'tensorflow', 'wasm', 'cpu'] as const
export type BackendChoice = (typeof backendChoices)[number]

/** The reason tfjs-node failed to load, from the main process's backend detail; null when it did not fail. */
export function nativeFailure(running: BackendName | undefined, detail: string | undefined): string | null {
  if (!detail || running === 'tensorflow') return null
  const match = /tensorflow failed to load: ([^;]*)/.exec(detail)
  return match ? match[1].trim() : null
}
