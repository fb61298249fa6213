import { describe, expect, it } from 'vitest'
import { MNIST_ALLOWANCE, tuningVerdict } from '../../../../src/core/personal/verdict'

const figures = (heldOut: [number | null, number | null], mnist: [number, number]) => ({
  before: { heldOut: heldOut[0], mnistTest: mnist[0] },
  after: { heldOut: heldOut[1], mnistTest: mnist[1] }
})

describe('tuningVerdict', () => {
  it('calls a run better only when more kept-apart samples are right and MNIST held', () => {
    expect(tuningVerdict(figures([29 / 60, 30 / 60], [0.99, 0.99]))).toBe('better')
    expect(tuningVerdict(figures([0.5, 0.9], [0.99, 0.99 - MNIST_ALLOWANCE]))).toBe('better')
    expect(tuningVerdict(figures([0.5, 0.9], [0.99, 0.99 - MNIST_ALLOWANCE - 0.001]))).toBe('worse')
  })

  it('tells unchanged from worse, whatever the float noise of equal counts', () => {
    expect(tuningVerdict(figures([58 / 60, (58 * 3) / 180], [0.99, 0.995]))).toBe('unchanged')
    expect(tuningVerdict(figures([58 / 60, 57 / 60], [0.99, 0.995]))).toBe('worse')
  })

  it('says unmeasured without kept-apart samples, unless MNIST fell', () => {
    expect(tuningVerdict(figures([null, null], [0.99, 0.989]))).toBe('unmeasured')
    expect(tuningVerdict(figures([null, null], [0.99, 0.98]))).toBe('worse')
  })
})
