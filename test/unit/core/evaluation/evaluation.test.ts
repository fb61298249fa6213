import { describe, expect, it } from 'vitest'
import { EvaluationSchema } from '../../../../src/shared/schemas/evaluation'
import { argmax10, evaluatePredictions, LOSS_EPSILON } from '../../../../src/core/evaluation'

/** n×10 probabilities putting `confidence` on each predicted digit and the rest spread evenly. */
function probabilitiesFor(predicted: number[], confidence = 0.91): Float32Array {
  const out = new Float32Array(predicted.length * 10).fill((1 - confidence) / 9)
  predicted.forEach((digit, i) => (out[i * 10 + digit] = confidence))
  return out
}

describe('evaluatePredictions', () => {
  const labels = [0, 0, 0, 1, 1, 7, 7, 7, 7, 3]
  const predicted = [0, 6, 6, 1, 7, 7, 1, 2, 7, 8]
  const evaluation = evaluatePredictions(labels, probabilitiesFor(predicted))

  it('fills the confusion matrix as confusion[label][predicted] and satisfies the schema', () => {
    expect(EvaluationSchema.parse(evaluation)).toEqual(evaluation)
    expect(evaluation.confusion[0]).toEqual([1, 0, 0, 0, 0, 0, 2, 0, 0, 0])
    expect(evaluation.confusion[7][1]).toBe(1)
    expect(evaluation.confusion[7][2]).toBe(1)
    expect(evaluation.confusion[3][8]).toBe(1)
    const total = evaluation.confusion.flat().reduce((a, b) => a + b, 0)
    expect(total).toBe(labels.length)
  })

  it('computes overall and per-digit-average accuracy', () => {
    expect(evaluation.samples).toBe(10)
    expect(evaluation.correct).toBe(4)
    expect(evaluation.accuracy).toBeCloseTo(0.4, 12)
    // Digits with samples: 0 (1/3), 1 (1/2), 3 (0/1), 7 (2/4).
    expect(evaluation.perDigitAverageAccuracy).toBeCloseTo((1 / 3 + 1 / 2 + 0 + 2 / 4) / 4, 12)
  })

  it('gives each digit its row with the most frequent wrong answer (ties to the smaller digit)', () => {
    expect(evaluation.perDigit[0]).toMatchObject({
      samples: 3,
      correct: 1,
      mostFrequentWrong: 6,
      mostFrequentWrongCount: 2
    })
    expect(evaluation.perDigit[7]).toMatchObject({
      samples: 4,
      correct: 2,
      mostFrequentWrong: 1,
      mostFrequentWrongCount: 1
    })
    expect(evaluation.perDigit[1]).toMatchObject({ accuracy: 0.5, mostFrequentWrong: 7 })
  })

  it('reports a digit without samples as accuracy null, not NaN or 0', () => {
    expect(evaluation.perDigit[5]).toEqual({
      digit: 5,
      samples: 0,
      correct: 0,
      accuracy: null,
      mostFrequentWrong: null,
      mostFrequentWrongCount: 0
    })
  })

  it('computes the mean cross-entropy, clipping zero probabilities', () => {
    const p = new Float32Array([0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    const result = evaluatePredictions([1, 1], p)
    expect(result.averageLoss).toBeCloseTo((-Math.log(0.5) - Math.log(LOSS_EPSILON)) / 2, 5)
    expect(Number.isFinite(result.averageLoss)).toBe(true)
  })

  it('counts no-digit samples as wrong without putting them in the confusion matrix', () => {
    const result = evaluatePredictions([4, 4], probabilitiesFor([4, 4]), { noDigit: [false, true] })
    expect(result.perDigit[4]).toMatchObject({ samples: 2, correct: 1, accuracy: 0.5 })
    expect(result.confusion[4][4]).toBe(1)
  })

  it('handles no samples and rejects mismatched input', () => {
    const empty = evaluatePredictions([], new Float32Array(0))
    expect(empty).toMatchObject({ samples: 0, accuracy: 0, perDigitAverageAccuracy: 0, averageLoss: 0 })
    expect(() => evaluatePredictions([1, 2], new Float32Array(10))).toThrow(/probabilities/)
    expect(() => evaluatePredictions([10], new Float32Array(10))).toThrow(/not a digit/)
  })

  it('argmax10 reads a row at an offset', () => {
    expect(argmax10(probabilitiesFor([3, 9]), 10)).toBe(9)
  })
})
