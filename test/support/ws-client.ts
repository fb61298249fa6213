/** A web-mode client for tests: calls matched to their answers by id, and every event it received, in order. */
import WebSocket from 'ws'
import type { CallName, CallRequest, CallResponse, CallResult, EventName } from '../../src/shared/contract'

export interface ReceivedEvent {
  name: EventName
  payload: unknown
}

export interface TestClient {
  call<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResult<CallResponse<N>>>
  /** Like call, but throws on an error answer. */
  value<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResponse<N>>
  readonly events: ReceivedEvent[]
  /** Resolves with the first event (received so far or later) that matches. */
  waitFor(match: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>
  close(): void
}

export function connectClient(port: number, token: string): Promise<TestClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`)
  const pending = new Map<number, (result: CallResult<unknown>) => void>()
  const events: ReceivedEvent[] = []
  const waiters = new Set<() => void>()
  let nextId = 1
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as
      | { type: 'result'; id: number; result: CallResult<unknown> }
      | { type: 'event'; name: EventName; payload: unknown }
    if (message.type === 'result') {
      pending.get(message.id)?.(message.result)
      pending.delete(message.id)
    } else {
      events.push({ name: message.name, payload: message.payload })
      for (const wake of waiters) wake()
    }
  })
  const client: TestClient = {
    events,
    call: (name, request) =>
      new Promise((resolve) => {
        const id = nextId++
        pending.set(id, resolve as (result: CallResult<unknown>) => void)
        ws.send(JSON.stringify({ type: 'call', id, name, request }))
      }),
    async value(name, request) {
      const result = await client.call(name, request)
      if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`)
      return result.value
    },
    waitFor(match, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = events.find(match)
          if (!found) return false
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error('timed out waiting for an event'))
        }, timeoutMs)
        if (!check()) waiters.add(check)
      })
    },
    close: () => ws.close()
  }
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client))
    ws.once('error', reject)
  })
}
