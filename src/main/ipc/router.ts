/**
 * The router is where every request enters the main process, whatever the transport (Electron IPC or the
 * web-mode WebSocket). It validates the request against the contract's schema and turns every failure into a
 * typed error, so a malformed or hostile request can never crash the process.
 */
import { z } from 'zod'
import {
  calls,
  ErrorCodeSchema,
  MAX_REQUEST_BYTES,
  type CallError,
  type CallName,
  type CallResponse,
  type CallResult,
  type ErrorCode,
  type ParsedRequest
} from '../../shared/contract'

/** Throw this from a handler to answer with a specific error code. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
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

const fail = (code: ErrorCode, message: string, issues?: CallError['issues']): CallResult<never> => ({
  ok: false,
  error: issues ? { code, message, issues } : { code, message }
})

const CONTRACT_CODES = new Set<string>(ErrorCodeSchema.options)
const SYSTEM_CODES: Record<string, ErrorCode> = {
  ENOENT: 'not-found',
  EACCES: 'unavailable',
  EPERM: 'unavailable',
  EROFS: 'unavailable',
  ENOSPC: 'unavailable',
  EDQUOT: 'unavailable',
  ENOTDIR: 'unavailable',
  EEXIST: 'unavailable',
  EISDIR: 'unavailable'
}

/** Errors from core modules carry a code of their own (e.g. an unreadable file); map them to the contract's. */
function toCallError(error: unknown): CallResult<never> {
  if (error instanceof ServiceError) return fail(error.code, error.message)
  const known = error as { code?: unknown; message?: unknown; name?: unknown }
  const message = typeof known?.message === 'string' ? known.message : String(error)
  const code = typeof known?.code === 'string' ? known.code : null
  if (code === null) return fail(known?.name === 'AbortError' ? 'cancelled' : 'internal', message)
  if (CONTRACT_CODES.has(code)) return fail(code as ErrorCode, message)
  if (SYSTEM_CODES[code]) return fail(SYSTEM_CODES[code], message)
  // Any other coded error is a core module's verdict on the user's input (a bad file, a bad model).
  return fail('bad-input', message)
}

const isCallName = (name: unknown): name is CallName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name)

export function createRouter(handlers: Handlers, log: (line: string) => void = () => undefined): Router {
  return {
    async dispatch(name, request, sizeBytes) {
      if (sizeBytes > MAX_REQUEST_BYTES) {
        return fail(
          'payload-too-large',
          `Request of ${sizeBytes} bytes exceeds the limit of ${MAX_REQUEST_BYTES}.`
        )
      }
      if (!isCallName(name))
        return fail('unknown-call', `Unknown call ${JSON.stringify(String(name)).slice(0, 80)}.`)
      const parsed = calls[name].request.safeParse(request ?? {})
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 20).map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message
        }))
        return fail(
          'bad-request',
          `Invalid request for ${name}: ${z.prettifyError(parsed.error)}`.slice(0, 2000),
          issues
        )
      }
      try {
        const handler = handlers[name] as (request: unknown) => Promise<unknown>
        return { ok: true, value: await handler(parsed.data) }
      } catch (error) {
        const result = toCallError(error)
        if (!result.ok && result.error.code === 'internal')
          log(`${name} failed: ${(error as Error)?.stack ?? error}`)
        return result
      }
    }
  }
}
