import { BackendPreferenceSchema, type BackendPreference } from '../shared/schemas/models'
import { UsageError } from './types'

export function parseBackendOption(value: string | undefined): BackendPreference {
  const parsed = BackendPreferenceSchema.safeParse(value ?? 'auto')
  if (parsed.success) return parsed.data
  throw new UsageError(`--backend must be one of ${BackendPreferenceSchema.options.join(', ')}`)
}
