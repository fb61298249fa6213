import { describe, expect, it } from 'vitest'
import { nativeFailure } from '../../../src/renderer/src/features/settings/backend'

describe('the Settings view’s reading of why tfjs-node did not load', () => {
  it('finds the reason in the backend detail when another backend runs', () => {
    const detail =
      'wasm (tfjs-backend-wasm 4.22.0, SIMD on, threads off); tensorflow failed to load: libtensorflow.so.2: cannot open shared object file'
    expect(nativeFailure('wasm', detail)).toBe('libtensorflow.so.2: cannot open shared object file')
  })

  it('says nothing when the native backend runs, or when it was never tried', () => {
    expect(nativeFailure('tensorflow', 'tfjs-node 4.22.0 (TensorFlow 2.21.0 native)')).toBeNull()
    expect(nativeFailure('cpu', 'cpu (JavaScript)')).toBeNull()
    expect(nativeFailure(undefined, undefined)).toBeNull()
  })
})
