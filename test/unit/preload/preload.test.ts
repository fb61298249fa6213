import { describe, expect, it, vi } from 'vitest'
import { eventNames } from '../../../src/shared/contract'
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../src/shared/wire'

const exposed: Record<string, unknown> = {}
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null }))
const listeners = new Map<string, (...args: unknown[]) => void>()

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void (exposed[key] = value) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    on: (channel: string, listener: (...args: unknown[]) => void) => void listeners.set(channel, listener),
    removeListener: (channel: string) => void listeners.delete(channel)
  }
}))

describe('the preload bridge', () => {
  it('exposes one object with only call and on', async () => {
    await import('../../../src/preload/index')
    expect(Object.keys(exposed)).toEqual(['digitStudio'])
    expect(Object.keys(exposed.digitStudio as object).sort()).toEqual(['call', 'on'])
  })

  it('forwards calls over the one IPC channel and delivers only the subscribed event', async () => {
    await import('../../../src/preload/index')
    const api = exposed.digitStudio as {
      call(name: string, request: unknown): Promise<unknown>
      on(event: string, listener: (payload: unknown) => void): () => void
    }
    await api.call('app.info', {})
    expect(invoke).toHaveBeenCalledWith(IPC_CALL_CHANNEL, 'app.info', {})
    const received: unknown[] = []
    const off = api.on(eventNames[0], (payload) => received.push(payload))
    listeners.get(IPC_EVENT_CHANNEL)?.({}, eventNames[1], 'other')
    listeners.get(IPC_EVENT_CHANNEL)?.({}, eventNames[0], 'mine')
    expect(received).toEqual(['mine'])
    off()
    expect(listeners.has(IPC_EVENT_CHANNEL)).toBe(false)
    expect(() => api.on('not.an.event', () => undefined)).toThrow(/Unknown event/)
  })
})

describe('the preload bundle', () => {
  it('imports no zod: only the contract names and channel constants (and types)', async () => {
    const { readFileSync } = await import('node:fs')
    const read = (file: string) => readFileSync(new URL(`../../../src/${file}`, import.meta.url), 'utf8')
    const valueImports = (source: string) =>
      [...source.matchAll(/^import (?!type )[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1])
    expect(valueImports(read('preload/index.ts')).sort()).toEqual([
      '../shared/names',
      '../shared/wire',
      'electron'
    ])
    expect(valueImports(read('shared/names.ts'))).toEqual([])
    expect(valueImports(read('shared/wire.ts'))).toEqual([])
  })
})
