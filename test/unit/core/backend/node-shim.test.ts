/**
 * tfjs-node 4.22 calls util.isNullOrUndefined and util.isArray, which Node 23+ (Electron 40+) removed. With
 * both deleted, as on Node 24, the backend must still load tfjs-node (the shim restores them first) and compute.
 */
import util from 'node:util'
import { describe, expect, it } from 'vitest'

describe('the util shim for tfjs-node', () => {
  it('loads the tensorflow backend with util.isNullOrUndefined and util.isArray removed', async () => {
    const legacy = util as unknown as Record<string, unknown>
    delete legacy.isNullOrUndefined
    delete legacy.isArray
    expect(legacy.isNullOrUndefined).toBeUndefined()
    const { backendFailure, selectBackend, tf } = await import('../../../../src/core/backend')
    const choice = await selectBackend('tensorflow').catch((error: Error) => error)
    if (
      choice instanceof Error &&
      /cannot find|not found|no such/i.test(String(backendFailure('tensorflow')))
    ) {
      console.warn(`[node-shim] tfjs-node is not installed here: ${backendFailure('tensorflow')}`)
      return
    }
    expect(choice).toMatchObject({ name: 'tensorflow' })
    expect(typeof legacy.isNullOrUndefined).toBe('function')
    expect((legacy.isNullOrUndefined as (v: unknown) => boolean)(null)).toBe(true)
    expect((legacy.isArray as (v: unknown) => boolean)([1])).toBe(true)
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync())
    expect(Array.from(sum)).toEqual([4, 6])
  })
})
