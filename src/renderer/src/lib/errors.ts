/** Turns any failure into a message a person can act on: what happened, and what to do next. */
import type { CallError, ErrorCode } from '../../../shared/contract'
import { t, type MessageKey } from '../i18n/index.svelte'
import { ApiError } from './api'

export interface Problem {
  title: string
  detail: string
  hint: string
}

const byCode: Record<ErrorCode, [MessageKey, MessageKey]> = {
  'bad-request': ['errors.badRequest', 'errors.badRequestHint'],
  'unknown-call': ['errors.internal', 'errors.internalHint'],
  'payload-too-large': ['errors.badInput', 'errors.badInputHint'],
  'not-found': ['errors.notFound', 'errors.notFoundHint'],
  conflict: ['errors.conflict', 'errors.conflictHint'],
  'bad-input': ['errors.badInput', 'errors.badInputHint'],
  io: ['errors.io', 'errors.ioHint'],
  unavailable: ['errors.unavailable', 'errors.unavailableHint'],
  cancelled: ['errors.cancelled', 'errors.cancelledHint'],
  internal: ['errors.internal', 'errors.internalHint']
}

function describeCallError(error: CallError): Problem {
  const [title, hint] = byCode[error.code] ?? byCode.internal
  // Main names a translated message for the common cases; otherwise its plain English message is shown.
  const detail = error.key ? t(`messages.${error.key}`, error.params ?? {}) : error.message
  return { title: t(title), detail, hint: t(hint) }
}

export function describeError(error: unknown): Problem {
  if (error instanceof ApiError) return describeCallError(error.error)
  const message = error instanceof Error ? error.message : String(error)
  return { title: t('errors.internal'), detail: message, hint: t('errors.internalHint') }
}

export function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.error.code === 'cancelled'
}
