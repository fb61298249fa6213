/** Turns any failure into a message a person can act on: what happened, and what to do next. */
import type { CallError, ErrorCode, FieldProblem, FieldRule } from '../../../shared/contract'
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
  io: ['errors.io', 'errors.ioHint'],
  unavailable: ['errors.unavailable', 'errors.unavailableHint'],
  cancelled: ['errors.cancelled', 'errors.cancelledHint'],
  internal: ['errors.internal', 'errors.internalHint']
}

export function describeCallError(error: CallError): Problem {
  const [title, hint] = byCode[error.code] ?? byCode.internal
  // Main names a translated message for the common cases; otherwise its plain English message is shown.
  // Field problems are shown at their fields as well.
  const detail = error.key ? t(`messages.${error.key}`, error.params ?? {}) : error.message
  return { title: t(title), detail, hint: t(hint), code: error.code }
}

export function describeError(error: unknown): Problem {
  if (error instanceof ApiError) return describeCallError(error.error)
  const message = error instanceof Error ? error.message : String(error)
  return { title: t('errors.internal'), detail: message, hint: t('errors.internalHint') }
}

const ruleKeys: Record<FieldRule, MessageKey> = {
  'too-small': 'messages.fieldTooSmall',
  'too-big': 'messages.fieldTooBig',
  'not-integer': 'messages.fieldNotInteger',
  'wrong-type': 'messages.fieldWrongType',
  'unknown-field': 'messages.fieldUnknown',
  invalid: 'messages.fieldInvalid'
}

/** One field's problem in the user's language ("must be at least 1"). */
export function describeField(problem: FieldProblem): string {
  return t(ruleKeys[problem.rule] ?? 'messages.fieldInvalid', { limit: problem.limit ?? '' })
}

/** A rejected request's problems by field path (e.g. 'hyperparameters.epochs'), translated. */
export function fieldProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {}
  return Object.fromEntries((error.error.fields ?? []).map((field) => [field.path, describeField(field)]))
}

export function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.error.code === 'cancelled'
}
