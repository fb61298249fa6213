/** Messages of the web-mode WebSocket transport (Electron IPC carries the same calls natively). */
import type { CallResult } from './names'

export interface CallMessage {
  type: 'call'
  id: number
  name: string
  request: unknown
}
export type ServerMessage =
  | { type: 'result'; id: number; result: CallResult<unknown> }
  | { type: 'event'; name: string; payload: unknown }

/** Electron IPC channel names. */
export const IPC_CALL_CHANNEL = 'digit-studio:call'
export const IPC_EVENT_CHANNEL = 'digit-studio:event'
