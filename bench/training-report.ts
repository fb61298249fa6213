/**
 * The training section's summary: per backend, seconds per epoch split into data preparation, compute (the
 * arithmetic at the best matrix-product rate measured in this run) and overhead, the share of that floor
 * reached, and the ratio to PyTorch's same MLP in the same run.
 */
import { breakdown, mlpTrainingFlops, type Breakdown } from './breakdown'

type Numbers = Record<string, unknown>

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null

export interface TrainingSummary {
  flopsPerEpoch: number
  /** The best one-thread GEMM rate measured in this run (any backend or PyTorch), GFLOP/s. */
  bestGemmGflops: number | null
  floorSecondsPerEpoch: number | null
  perBackend: Record<string, (Breakdown & { ratioToPytorch: number | null }) | null>
  pytorch: { epoch: number; floorShare: number | null } | null
}

export function trainingSummary(
  backends: Record<string, Numbers>,
  torch: Numbers | null,
  samples = 60000,
  sizes = [784, 100, 100, 10]
): TrainingSummary {
  const flopsPerEpoch = mlpTrainingFlops(sizes, samples)
  const rates = [...Object.values(backends), torch ?? {}]
    .map((r) => num(r.gemmGflops))
    .filter((v) => v !== null)
  const bestGemmGflops = rates.length ? Math.max(...rates) : null
  const floor = bestGemmGflops ? flopsPerEpoch / (bestGemmGflops * 1e9) : null
  const torchSeconds = num(torch?.secondsPerEpoch)
  const perBackend: TrainingSummary['perBackend'] = {}
  for (const [name, r] of Object.entries(backends)) {
    const epoch = num(r.secondsPerEpoch)
    const times = r.steadyEpochTimes as { dataSeconds: number; stepSeconds: number } | null | undefined
    perBackend[name] =
      epoch !== null && times && floor !== null
        ? { ...breakdown(epoch, times, floor), ratioToPytorch: torchSeconds ? epoch / torchSeconds : null }
        : null
  }
  return {
    flopsPerEpoch,
    bestGemmGflops,
    floorSecondsPerEpoch: floor,
    perBackend,
    pytorch: torchSeconds ? { epoch: torchSeconds, floorShare: floor ? floor / torchSeconds : null } : null
  }
}
