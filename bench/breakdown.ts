/**
 * The arithmetic floor of training the MLP and the split of an epoch's time. FLOPs per sample: the forward
 * pass's matrix products (2·Σ inputs·outputs), the kernel gradients (the same) and the backpropagated
 * deltas (all layers but the first); bias, activation and Adam are O(parameters) and left out.
 */
export function mlpTrainingFlops(sizes: number[], samples: number): number {
  let weights = 0
  let backprop = 0
  for (let i = 0; i + 1 < sizes.length; i++) {
    weights += sizes[i] * sizes[i + 1]
    if (i > 0) backprop += sizes[i] * sizes[i + 1]
  }
  return 2 * samples * (2 * weights + backprop)
}

export interface Breakdown {
  /** Seconds per (full) epoch. */
  epoch: number
  dataPreparation: number
  /** The arithmetic at the best one-thread matrix-product rate measured in this run. */
  compute: number
  /** Everything else: in the step (dispatch, small ops, copies) and around it (loop, reports). */
  overhead: number
  overheadInStep: number
  overheadInLoop: number
  floorShare: number
}

export function breakdown(
  epoch: number,
  times: { dataSeconds: number; stepSeconds: number },
  floorSeconds: number
): Breakdown {
  const compute = Math.min(floorSeconds, times.stepSeconds)
  const r = (v: number) => Math.round(v * 1000) / 1000
  return {
    epoch: r(epoch),
    dataPreparation: r(times.dataSeconds),
    compute: r(compute),
    overhead: r(epoch - times.dataSeconds - compute),
    overheadInStep: r(times.stepSeconds - compute),
    overheadInLoop: r(epoch - times.dataSeconds - times.stepSeconds),
    floorShare: Math.round((floorSeconds / epoch) * 1000) / 1000
  }
}
