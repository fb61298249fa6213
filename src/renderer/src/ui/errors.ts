/** Turns any failure into a message a person can act on: what happened, and what to do next. */
import type { CallError, ErrorCode } from '../../../shared/contract'
import { t, type MessageKey } from '../i18n/index.svelte'
import { ApiError } from '../lib/api'

export interface Problem {
  title: string
  detail: string
  hint: string
  /** The contract's error code, when the failure came from the main process. */
  code?: ErrorCode
}

/** Every code the contract names has its own plain, translated title and hint. */
const byCode: Record<ErrorCode, [MessageKey, MessageKey]> = {
  'bad-request': ['errors.badRequest', 'errors.badRequestHint'],
  'unknown-call': ['errors.unknownCall', 'errors.unknownCallHint'],
  'payload-too-large': ['errors.payloadTooLarge', 'errors.payloadTooLargeHint'],
  'not-found': ['errors.notFound', 'errors.notFoundHint'],
  conflict: ['errors.conflict', 'errors.conflictHint'],
  'bad-input': ['errors.badInput', 'errors.badInputHint'],
  unavailable: ['errors.unavailable', 'errors.unavailableHint'],
  cancelled: ['errors.cancelled', 'errors.cancelledHint'],
  internal: ['errors.internal', 'errors.internalHint']
}

export function describeCallError(error: CallError): Problem {
  const [title, hint] = byCode[error.code] ?? byCode.internal
  // Field problems are shown at their fields; the message lists them in short.
  const detail = error.issues?.length
    ? error.issues.map((issue) => `${issue.path || '—'}: ${issue.message}`).join('; ')
    : error.message
  return { title: t(title), detail, hint: t(hint), code: error.code }
}

export function describeError(error: unknown): Problem {
  if (error instanceof ApiError) return describeCallError(error.error)
  const message = error instanceof Error ? error.message : String(error)
  return { title: t('errors.internal'), detail: message, hint: t('errors.internalHint') }
}

/** A rejected request's problems by field path (e.g. 'hyperparameters.epochs'). */
export function fieldProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {}
  return Object.fromEntries((error.error.issues ?? []).map((issue) => [issue.path, issue.message]))
}

export function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.error.code === 'cancelled'
}
