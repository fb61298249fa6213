import { describe, expect, it } from 'vitest'
import { tf } from '../../../../src/core/backend'
import { tryBackend } from '../../../support/engine'

/** d(sum(conv2d(x, w) * probe))/dw on the active backend, for a fixed x, w and probe. */
function filterGradient(pad: 'valid' | 'same', stride: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(
      Float32Array.from({ length: 2 * 9 * 9 * 3 }, (_, i) => Math.sin(i * 0.37)),
      [2, 9, 9, 3]
    )
    const w = tf.tensor4d(
      Float32Array.from({ length: 5 * 5 * 3 * 4 }, (_, i) => Math.cos(i * 0.11)),
      [5, 5, 3, 4]
    )
    const outShape = tf.conv2d(x, w, stride, pad).shape
    const size = outShape.reduce((a, b) => a * b, 1)
    const probe = tf.tensor(
      Float32Array.from({ length: size }, (_, i) => ((i * 7) % 11) / 11 - 0.5),
      outShape
    )
    const grad = tf.grad((filter: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(x, filter as tf.Tensor4D, stride, pad), probe))
    )(w)
    return grad.dataSync() as Float32Array
  })
}

describe('the CNN filter gradient on wasm (a kernel tfjs-backend-wasm lacks)', () => {
  it.for([
    ['valid', 1],
    ['same', 1]
  ] as const)('matches the cpu backend (%s padding, stride %i)', async ([pad, stride], context) => {
    const skipped = await tryBackend('cpu')
    if (skipped) return context.skip(`cpu does not load: ${skipped}`)
    const reference = filterGradient(pad, stride)
    const wasmSkipped = await tryBackend('wasm')
    if (wasmSkipped) return context.skip(`wasm does not load here: ${wasmSkipped}`)
    const onWasm = filterGradient(pad, stride)
    expect(onWasm.length).toBe(reference.length)
    for (let i = 0; i < reference.length; i++) expect(onWasm[i]).toBeCloseTo(reference[i], 3)
  })

  it('refuses strides it would get wrong instead of answering', async (context) => {
    const skipped = await tryBackend('wasm')
    if (skipped) return context.skip(`wasm does not load here: ${skipped}`)
    expect(() => filterGradient('valid', 2)).toThrow(/stride 1 only/)
  })
})
