/**
 * Stochastic weight averaging (Izmailov et al. 2018): the model kept is the mean of the weights at the end of
 * the last epochs. With a constant learning rate, single epochs scatter around a good solution; their mean
 * lands nearer its centre, which is why it generalises a little better than any one of them.
 */
import type { MlpWeights } from '../model/mlp'

export class WeightAverage {
  private sums: { kernel: Float64Array; bias: Float64Array }[] | null = null
  private count = 0

  /** Adds one epoch's weights and returns the mean of all added so far. */
  add(weights: MlpWeights): MlpWeights {
    this.sums ??= weights.map((w) => ({
      kernel: new Float64Array(w.kernel.length),
      bias: new Float64Array(w.bias.length)
    }))
    this.count++
    return weights.map((w, i) => {
      const sum = (this.sums as NonNullable<typeof this.sums>)[i]
      const kernel = new Float32Array(w.kernel.length)
      const bias = new Float32Array(w.bias.length)
      for (let k = 0; k < kernel.length; k++) kernel[k] = (sum.kernel[k] += w.kernel[k]) / this.count
      for (let k = 0; k < bias.length; k++) bias[k] = (sum.bias[k] += w.bias[k]) / this.count
      return { kernel, bias, inputs: w.inputs, outputs: w.outputs }
    })
  }
}
