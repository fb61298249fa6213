import { describe, expect, it } from 'vitest'
import { formInkBox } from '../../../../src/core/preprocess/form-box'

describe('formInkBox', () => {
  it('spans the pixels at or above the threshold, inclusive, at an offset', () => {
    const two = new Float32Array(2 * 784)
    two[784 + 3 * 28 + 5] = 0.5
    two[784 + 20 * 28 + 17] = 0.3
    two[784 + 10 * 28 + 2] = 0.29
    expect(formInkBox(two, 0.3, 784)).toEqual({ top: 3, bottom: 20, left: 5, right: 17 })
    expect(formInkBox(two, 0.1, 784)).toEqual({ top: 3, bottom: 20, left: 2, right: 17 })
  })

  it('is null for a form without ink', () => {
    const bytes = new Uint8Array(784).fill(127)
    expect(formInkBox(bytes, 128)).toBeNull()
  })
})
