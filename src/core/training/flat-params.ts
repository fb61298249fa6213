/**
 * All weights of the MLP in ONE flat variable, with Adam's moments flat too. One Adam update is then a
 * dozen backend ops for the whole network instead of a dozen per tensor: per-op overhead, not
 * arithmetic, dominates a small MLP's step on tfjs-node.
 */
import { tf } from '../backend'
import type { MlpWeights, TensorLayer } from '../model/mlp'

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
  private readonly sizes: number[]
  private step = 0
  private readonly beta1: number
  private readonly beta2: number
  private readonly epsilon: number
  private learningRate: number

  /** For a learning-rate schedule: Adam's moments carry on, only the step size changes. */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate
  }

  constructor(weights: MlpWeights, adam: AdamSettings) {
    this.sizes = [weights[0].inputs, ...weights.map((w) => w.outputs)]
    let total = 0
    for (const w of weights) {
      for (const shape of [[w.inputs, w.outputs], [w.outputs]]) {
        const size = shape.reduce((a, b) => a * b, 1)
        this.segments.push({ offset: total, size, shape })
        total += size
      }
    }
    const flat = new Float32Array(total)
    weights.forEach((w, i) => {
      flat.set(w.kernel, this.segments[2 * i].offset)
      flat.set(w.bias, this.segments[2 * i + 1].offset)
    })
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

  /** Views of the flat vector as layers (call inside tf.tidy). */
  layers(): TensorLayer[] {
    const layers: TensorLayer[] = []
    for (let i = 0; i < this.segments.length; i += 2) {
      const k = this.segments[i]
      const b = this.segments[i + 1]
      layers.push({
        kernel: this.params.slice(k.offset, k.size).reshape(k.shape as [number, number]),
        bias: this.params.slice(b.offset, b.size) as tf.Tensor1D
      })
    }
    return layers
  }

  /** One Adam step (Kingma & Ba) over all parameters at once. */
  applyAdam(grads: { kernel: tf.Tensor2D; bias: tf.Tensor1D }[]): void {
    this.step++
    const t = this.step
    // Canonical Adam: lr · m̂ / (√v̂ + ε) with m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t), as PyTorch and
    // tf.train.adam compute it (folding the corrections into lr would change ε's effect on tiny gradients).
    const lr = this.learningRate / (1 - this.beta1 ** t)
    const vScale = 1 / Math.sqrt(1 - this.beta2 ** t)
    tf.tidy(() => {
      const g = tf.concat(grads.flatMap((l) => [l.kernel.reshape([-1]), l.bias]))
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

  /** The current weights copied to JavaScript. */
  weights(): MlpWeights {
    const flat = this.params.dataSync() as Float32Array
    const out: MlpWeights = []
    for (let i = 0; i < this.segments.length; i += 2) {
      const k = this.segments[i]
      const b = this.segments[i + 1]
      out.push({
        kernel: flat.slice(k.offset, k.offset + k.size),
        bias: flat.slice(b.offset, b.offset + b.size),
        inputs: this.sizes[i / 2],
        outputs: this.sizes[i / 2 + 1]
      })
    }
    return out
  }

  dispose(): void {
    tf.dispose([this.params, this.m, this.v])
  }
}
