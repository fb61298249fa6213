import type { BackendPreference } from '../core/backend'
import { UsageError } from './types'

export function parseBackendOption(value: string | undefined): BackendPreference {
  const v = value ?? 'auto'
  if (v === 'auto' || v === 'tensorflow' || v === 'wasm' || v === 'cpu') return v
  throw new UsageError('--backend must be auto, tensorflow, wasm or cpu')
}
