/**
 * All weights of a model in ONE flat variable, with Adam's moments flat too. One Adam update is then a
 * dozen backend ops for the whole network instead of a dozen per tensor: per-op overhead, not
 * arithmetic, dominates a small MLP's step on tfjs-node. Works for any list of parameter tensors (the
 * MLP's kernels and biases, the CNN's convolution kernels); layers()/weights() give the MLP's view.
 */
import { tf } from '../backend'
import type { ParamArray } from '../model/cnn'
import type { MlpWeights, TensorLayer } from '../model/mlp'
import { paramArrays, withParams } from '../model/weights'

interface Segment {
  offset: number
  size: number
  shape: number[]
}

export interface AdamSettings {
  learningRate: number
  beta1?: number
  beta2?: number
  epsilon?: number
}

export class FlatParameters {
  readonly params: tf.Variable<tf.Rank.R1>
  private readonly m: tf.Variable<tf.Rank.R1>
  private readonly v: tf.Variable<tf.Rank.R1>
  private readonly segments: Segment[] = []
  private step = 0
  private readonly beta1: number
  private readonly beta2: number
  private readonly epsilon: number
  private learningRate: number

  /** For a learning-rate schedule: Adam's moments carry on, only the step size changes. */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate
  }

  /** `weights`: the MLP's layers, or any list of parameter tensors. */
  constructor(weights: MlpWeights | ParamArray[], adam: AdamSettings) {
    const arrays = isParamList(weights) ? weights : paramArrays(weights)
    let total = 0
    for (const p of arrays) {
      this.segments.push({ offset: total, size: p.values.length, shape: p.shape })
      total += p.values.length
    }
    const flat = new Float32Array(total)
    arrays.forEach((p, i) => flat.set(p.values, this.segments[i].offset))
    this.params = tf.variable(tf.tensor1d(flat), true, undefined, 'float32')
    this.m = tf.variable(tf.zeros([total]), false)
    this.v = tf.variable(tf.zeros([total]), false)
    this.beta1 = adam.beta1 ?? 0.9
    this.beta2 = adam.beta2 ?? 0.999
    this.epsilon = adam.epsilon ?? 1e-7
    this.learningRate = adam.learningRate
  }

  get count(): number {
    return this.params.size
  }

  /** Views of the flat vector as the parameter tensors, in order (call inside tf.tidy). */
  tensors(): tf.Tensor[] {
    return this.segments.map((s) => this.params.slice(s.offset, s.size).reshape(s.shape))
  }

  /** The MLP's view: (kernel, bias) pairs (call inside tf.tidy). */
  layers(): TensorLayer[] {
    const t = this.tensors()
    const layers: TensorLayer[] = []
    for (let i = 0; i < t.length; i += 2) {
      layers.push({ kernel: t[i] as tf.Tensor2D, bias: t[i + 1] as tf.Tensor1D })
    }
    return layers
  }

  /** One Adam step (Kingma & Ba) over all parameters at once; grads in parameter order (or MLP pairs). */
  applyAdam(grads: tf.Tensor[] | { kernel: tf.Tensor2D; bias: tf.Tensor1D }[]): void {
    this.step++
    const t = this.step
    // Canonical Adam: lr · m̂ / (√v̂ + ε) with m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t), as PyTorch and
    // tf.train.adam compute it (folding the corrections into lr would change ε's effect on tiny gradients).
    const lr = this.learningRate / (1 - this.beta1 ** t)
    const vScale = 1 / Math.sqrt(1 - this.beta2 ** t)
    tf.tidy(() => {
      const list = (grads as (tf.Tensor | { kernel: tf.Tensor2D; bias: tf.Tensor1D })[]).flatMap((g) =>
        g instanceof tf.Tensor ? [g] : [g.kernel, g.bias]
      )
      const g = tf.concat(list.map((t) => t.reshape([-1])))
      const m = this.m.add(g.sub(this.m).mul(1 - this.beta1))
      const v = this.v.add(
        g
          .square()
          .sub(this.v)
          .mul(1 - this.beta2)
      )
      this.m.assign(m as tf.Tensor1D)
      this.v.assign(v as tf.Tensor1D)
      this.params.assign(
        this.params.sub(m.mul(lr).div(v.sqrt().mul(vScale).add(this.epsilon))) as tf.Tensor1D
      )
    })
  }

  /** The current parameter tensors copied to JavaScript. */
  arrays(): ParamArray[] {
    const flat = this.params.dataSync() as Float32Array
    return this.segments.map((s) => ({ shape: s.shape, values: flat.slice(s.offset, s.offset + s.size) }))
  }

  /** The current weights as the MLP's layers. */
  weights(): MlpWeights {
    return withParams([], this.arrays()) as MlpWeights
  }

  dispose(): void {
    tf.dispose([this.params, this.m, this.v])
  }
}

function isParamList(weights: MlpWeights | ParamArray[]): weights is ParamArray[] {
  return weights.length > 0 && 'shape' in weights[0]
}
