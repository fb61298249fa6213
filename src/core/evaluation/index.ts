/**
 * Evaluation of a classifier's outputs against labels: overall and per-digit accuracy (the paper's Table 1),
 * mean cross-entropy, the confusion matrix and each digit's most frequent wrong answer.
 */
import type { DigitRow, Evaluation } from '../../shared/schemas/evaluation'

export const DIGITS = 10
/** Probabilities are clipped to [ε, 1] before the log, as Keras/tfjs do, so one confident miss cannot give ∞. */
export const LOSS_EPSILON = 1e-7

export interface EvaluateOptions {
  /**
   * Samples for which no digit was found (preprocessing said "no digit"). They count as samples and as wrong,
   * their loss is computed from their probabilities (pass uniform 0.1 for them), and they appear in no column
   * of the confusion matrix (there is no "no digit" column), so such a row sums to fewer than its samples.
   */
  noDigit?: ArrayLike<boolean>
}

/** Index of the largest value in probabilities[offset .. offset+9] (first one wins a tie). */
export function argmax10(probabilities: ArrayLike<number>, offset = 0): number {
  let best = 0
  for (let d = 1; d < DIGITS; d++) {
    if (probabilities[offset + d] > probabilities[offset + best]) best = d
  }
  return best
}

/** Evaluates n predictions: labels[i] in 0..9, probabilities n×10 row-major. */
export function evaluatePredictions(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  options: EvaluateOptions = {}
): Evaluation {
  const n = labels.length
  if (probabilities.length !== n * DIGITS) {
    throw new RangeError(`Expected ${n}×10 probabilities for ${n} labels, got ${probabilities.length}`)
  }
  const confusion = Array.from({ length: DIGITS }, () => new Array<number>(DIGITS).fill(0))
  const samples = new Array<number>(DIGITS).fill(0)
  const correct = new Array<number>(DIGITS).fill(0)
  let lossSum = 0
  for (let i = 0; i < n; i++) {
    const label = labels[i]
    if (!Number.isInteger(label) || label < 0 || label >= DIGITS) {
      throw new RangeError(`Label ${label} at index ${i} is not a digit 0-9`)
    }
    samples[label]++
    lossSum -= Math.log(Math.min(1, Math.max(LOSS_EPSILON, probabilities[i * DIGITS + label])))
    if (options.noDigit?.[i]) continue
    const predicted = argmax10(probabilities, i * DIGITS)
    confusion[label][predicted]++
    if (predicted === label) correct[label]++
  }

  const perDigit: DigitRow[] = confusion.map((row, digit) => {
    let mostFrequentWrong: number | null = null
    let mostFrequentWrongCount = 0
    row.forEach((count, predicted) => {
      // Ties go to the smaller digit, so the table is deterministic.
      if (predicted !== digit && count > mostFrequentWrongCount) {
        mostFrequentWrong = predicted
        mostFrequentWrongCount = count
      }
    })
    return {
      digit,
      samples: samples[digit],
      correct: correct[digit],
      accuracy: samples[digit] > 0 ? correct[digit] / samples[digit] : null,
      mostFrequentWrong,
      mostFrequentWrongCount
    }
  })
  const totalCorrect = correct.reduce((a, b) => a + b, 0)
  const withSamples = perDigit.filter((row) => row.accuracy !== null)
  return {
    samples: n,
    correct: totalCorrect,
    accuracy: n > 0 ? totalCorrect / n : 0,
    perDigitAverageAccuracy:
      withSamples.length > 0
        ? withSamples.reduce((sum, row) => sum + (row.accuracy ?? 0), 0) / withSamples.length
        : 0,
    averageLoss: n > 0 ? lossSum / n : 0,
    confusion,
    perDigit
  }
}
