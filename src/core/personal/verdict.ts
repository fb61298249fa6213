/**
 * What a teaching run's before → after figures mean for the user: is the taught model worth using? Teaching
 * does not always help (a model that already reads a writer well has little to learn, and a few hundred samples
 * can move borderline digits either way), so the app and the CLI say so plainly instead of leaving the user to
 * read two percentages. The kept-apart samples are the user's own handwriting, not seen while teaching; MNIST's
 * test set checks that the model did not forget what it knew.
 */
import type { TuningReport, TuningVerdict } from '../../shared/schemas/personal'

/** How much MNIST test accuracy teaching may cost (a fraction: half a point) and still count as better. */
export const MNIST_ALLOWANCE = 0.005

/**
 * better: reads the kept-apart samples better and MNIST at most MNIST_ALLOWANCE lower; unchanged: the same on
 * them; worse: fewer of them right, or MNIST more than the allowance lower; unmeasured: no sample was kept
 * apart (fewer than five of every digit) and MNIST held.
 */
export function tuningVerdict(report: Pick<TuningReport, 'before' | 'after'>): TuningVerdict {
  const { before, after } = report
  if (after.mnistTest < before.mnistTest - MNIST_ALLOWANCE) return 'worse'
  if (before.heldOut === null || after.heldOut === null) return 'unmeasured'
  // Held-out accuracies are counts over the same samples: compare them without float noise.
  const gain = Math.round((after.heldOut - before.heldOut) * 1e6)
  return gain > 0 ? 'better' : gain < 0 ? 'worse' : 'unchanged'
}
