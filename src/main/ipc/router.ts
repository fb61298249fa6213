/**
 * The router is where every request enters the main process, whatever the transport (Electron IPC or the
 * web-mode WebSocket). It validates the request against the contract's schema and turns every failure into a
 * typed error, so a malformed or hostile request can never crash the process.
 */
import { z } from 'zod'
import {
  calls,
  MAX_REQUEST_BYTES,
  MESSAGE_KEYS,
  type CallError,
  type CallName,
  type CallResponse,
  type CallResult,
  type ErrorCode,
  type FieldProblem,
  type MessageKey,
  type ParsedRequest
} from '../../shared/contract'
import { contractCode, messageKeyOf } from './error-codes'

/** Throw this from a handler to answer with a specific error code (and, optionally, a translated message key). */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly key?: MessageKey,
    readonly params?: Record<string, string | number>
  ) {
    super(message)
    this.name = 'ServiceError'
  }
}

export type Handlers = {
  [N in CallName]: (request: ParsedRequest<N>) => Promise<CallResponse<N>>
}

export interface Router {
  dispatch(name: unknown, request: unknown, sizeBytes: number): Promise<CallResult<unknown>>
}

const fail = (error: CallError): CallResult<never> => ({ ok: false, error })

/** Any thrown value as a contract error: its code from the one table (error-codes.ts), its message as it is. */
export function toCallError(error: unknown): CallError {
  if (error instanceof ServiceError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.key ? { key: error.key } : {}),
      ...(error.params ? { params: error.params } : {})
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  // Core errors may name a translated message of the contract (RelativePathError, or by class and code).
  const { key, params } = (error ?? {}) as { key?: unknown; params?: unknown }
  const translated =
    typeof key === 'string' && (MESSAGE_KEYS as readonly string[]).includes(key)
      ? {
          key: key as MessageKey,
          ...(params && typeof params === 'object'
            ? { params: params as Record<string, string | number> }
            : {})
        }
      : (messageKeyOf(error) ?? {})
  return { code: contractCode(error), message, ...translated }
}

/** A zod issue as a field problem in plain words (never zod's own wording). */
function fieldProblem(issue: z.core.$ZodIssue): FieldProblem[] {
  const path = issue.path.map(String).join('.')
  const bound = (key: 'minimum' | 'maximum'): number | undefined => {
    const value = (issue as unknown as Record<string, unknown>)[key]
    return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined
  }
  switch (issue.code) {
    case 'too_small': {
      const limit = bound('minimum')
      const text = issue.origin === 'string' ? 'must not be empty' : `must be at least ${limit}`
      return [{ path, rule: 'too-small', message: text, ...(limit !== undefined ? { limit } : {}) }]
    }
    case 'too_big': {
      const limit = bound('maximum')
      const what =
        issue.origin === 'string' ? `must be at most ${limit} characters` : `must be at most ${limit}`
      return [{ path, rule: 'too-big', message: what, ...(limit !== undefined ? { limit } : {}) }]
    }
    case 'invalid_type':
      return issue.expected === 'int'
        ? [{ path, rule: 'not-integer', message: 'must be a whole number' }]
        : [{ path, rule: 'wrong-type', message: `must be a ${issue.expected}` }]
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        rule: 'unknown-field' as const,
        message: 'is not a known field'
      }))
    default:
      return [{ path, rule: 'invalid', message: 'is not a valid value' }]
  }
}

export function requestFieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap(fieldProblem).slice(0, 20)
}

const isCallName = (name: unknown): name is CallName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name)

export function createRouter(handlers: Handlers, log: (line: string) => void = () => undefined): Router {
  return {
    async dispatch(name, request, sizeBytes) {
      if (sizeBytes > MAX_REQUEST_BYTES) {
        return fail({
          code: 'payload-too-large',
          message: `Request of ${sizeBytes} bytes exceeds the limit of ${MAX_REQUEST_BYTES}.`
        })
      }
      if (!isCallName(name))
        return fail({
          code: 'unknown-call',
          message: `Unknown call ${JSON.stringify(String(name)).slice(0, 80)}.`
        })
      const parsed = calls[name].request.safeParse(request ?? {})
      if (!parsed.success) {
        const fields = requestFieldProblems(parsed.error)
        const list = fields.map((f) => (f.path ? `${f.path} ${f.message}` : f.message)).join('; ')
        return fail({
          code: 'bad-request',
          message: `Some values are not valid: ${list}.`.slice(0, 2000),
          key: 'invalidFields',
          params: { fields: list },
          fields
        })
      }
      try {
        const handler = handlers[name] as (request: unknown) => Promise<unknown>
        return { ok: true, value: await handler(parsed.data) }
      } catch (error) {
        const callError = toCallError(error)
        if (callError.code === 'internal') log(`${name} failed: ${(error as Error)?.stack ?? error}`)
        return fail(callError)
      }
    }
  }
}
