/**
 * The only way the UI talks to the main process. In Electron the preload exposes `window.digitStudio`;
 * in web mode the same contract travels over a WebSocket. Nothing else in the renderer knows which.
 */
import type { CallError, CallName, CallRequest, CallResponse, DigitStudioApi } from '../../../shared/contract'
import { createWebSocketClient } from './ws-client'

declare global {
  interface Window {
    digitStudio?: DigitStudioApi
  }
}

function webSocketUrl(): string {
  const token = new URLSearchParams(window.location.search).get('token') ?? ''
  return `ws://${window.location.host}/ws?token=${encodeURIComponent(token)}`
}

const webClient = window.digitStudio ? null : createWebSocketClient(webSocketUrl())
export const api: DigitStudioApi = window.digitStudio ?? webClient!

/**
 * Runs `listener` when a dropped web-mode connection is back, so the window can fetch what it missed. The desktop
 * bridge never drops (a reload starts the page afresh).
 */
export function onReconnect(listener: () => void): () => void {
  return webClient?.onReconnect(listener) ?? (() => undefined)
}

/** A failed call, as an exception for code that prefers try/catch. */
export class ApiError extends Error {
  constructor(readonly error: CallError) {
    super(error.message)
    this.name = 'ApiError'
  }
}

export async function invoke<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResponse<N>> {
  const result = await api.call(name, request)
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}
