/**
 * The preload exposes exactly one object, built from the contract's names: `call` for every request and `on` for
 * every event stream. No Electron or Node API reaches the page. It imports only plain constants (names.ts,
 * wire.ts), so zod is not bundled here: main validates every request.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { DigitStudioApi } from '../shared/contract'
import { EVENT_NAMES, type EventName } from '../shared/names'
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/wire'

const api: DigitStudioApi = {
  call: (name, request) => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, request),
  on(event, listener) {
    if (!EVENT_NAMES.includes(event as EventName)) throw new Error(`Unknown event ${String(event)}`)
    const forward = (_event: IpcRendererEvent, name: string, payload: unknown): void => {
      if (name === event) (listener as (payload: unknown) => void)(payload)
    }
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward)
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward)
  }
}

contextBridge.exposeInMainWorld('digitStudio', api)
