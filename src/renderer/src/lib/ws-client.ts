/**
 * The renderer's client in web mode: the same contract as the preload bridge, carried over a WebSocket to the
 * local server. The per-run token comes from the page URL (?token=...).
 */
import type {
  CallName,
  CallRequest,
  CallResponse,
  CallResult,
  DigitStudioApi,
  EventName,
  EventPayload
} from '../../../shared/contract'
import type { ServerMessage } from '../../../shared/wire'

type Pending = (result: CallResult<unknown>) => void

/** The contract's API, plus a way to hear that a dropped connection is back (events may have been missed). */
export interface ReconnectingApi extends DigitStudioApi {
  onReconnect(listener: () => void): () => void
}

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000]

export function createWebSocketClient(url: string): ReconnectingApi {
  const pending = new Map<number, Pending>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const reconnectListeners = new Set<() => void>()
  let nextId = 1
  let socket: WebSocket | null = null
  let opening: Promise<WebSocket> | null = null
  /** Set once a connection was open: a later open is a reconnect. */
  let wasOpen = false
  let attempts = 0

  /** A dropped socket is reopened (with growing pauses) while anyone listens for events. */
  const scheduleReconnect = (): void => {
    if (listeners.size === 0) return
    const delay = RECONNECT_DELAYS_MS[Math.min(attempts, RECONNECT_DELAYS_MS.length - 1)]
    attempts++
    setTimeout(() => void connect().catch(scheduleReconnect), delay)
  }

  const connect = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket)
    if (opening) return opening
    opening = new Promise((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.onopen = () => {
        socket = ws
        opening = null
        attempts = 0
        resolve(ws)
        if (wasOpen) for (const listener of reconnectListeners) listener()
        wasOpen = true
      }
      ws.onerror = () => {
        opening = null
        reject(new Error('Cannot reach the Digit Studio server. Is `npm run web` still running?'))
      }
      ws.onclose = () => {
        const dropped = socket === ws
        socket = null
        if (dropped) scheduleReconnect()
        for (const [id, settle] of pending) {
          settle({
            ok: false,
            error: { code: 'unavailable', message: 'The connection to the server was lost.' }
          })
          pending.delete(id)
        }
      }
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as ServerMessage
        if (data.type === 'result') {
          pending.get(data.id)?.(data.result)
          pending.delete(data.id)
        } else {
          for (const listener of listeners.get(data.name) ?? []) listener(data.payload)
        }
      }
    })
    return opening
  }

  return {
    async call<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResult<CallResponse<N>>> {
      let ws: WebSocket
      try {
        ws = await connect()
      } catch (error) {
        return { ok: false, error: { code: 'unavailable', message: (error as Error).message } }
      }
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve as Pending)
        ws.send(JSON.stringify({ type: 'call', id, name, request }))
      })
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(event, set)
      void connect().catch(() => undefined)
      return () => set.delete(listener as (payload: unknown) => void)
    },
    onReconnect(listener: () => void): () => void {
      reconnectListeners.add(listener)
      return () => reconnectListeners.delete(listener)
    }
  }
}
