/**
 * Stochastic weight averaging (Izmailov et al. 2018): the model kept is the mean of the weights at the end of
 * the last epochs. With a constant learning rate, single epochs scatter around a good solution; their mean
 * lands nearer its centre, which is why it generalises a little better than any one of them.
 */
import type { MlpWeights } from '../model/mlp'
import { paramArrays, withParams, type ModelWeights } from '../model/weights'

export class WeightAverage {
  private sums: Float64Array[] | null = null
  private count = 0

  /** Adds one epoch's weights (either architecture) and returns the mean of all added so far. */
  add<W extends ModelWeights = MlpWeights>(weights: W): W {
    const params = paramArrays(weights)
    this.sums ??= params.map((p) => new Float64Array(p.values.length))
    this.count++
    const sums = this.sums
    const mean = params.map((p, i) => {
      const values = new Float32Array(p.values.length)
      for (let k = 0; k < values.length; k++) values[k] = (sums[i][k] += p.values[k]) / this.count
      return { shape: p.shape, values }
    })
    return withParams(weights, mean) as W
  }
}
