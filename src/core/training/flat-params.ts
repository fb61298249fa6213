/**
 * All weights of a model in ONE flat variable, with Adam's moments flat too. One Adam update is then a
 * dozen backend ops for the whole network instead of a dozen per tensor: per-op overhead, not
 * arithmetic, dominates a small MLP's step on tfjs-node. Works for any list of parameter tensors (the
 * MLP's kernels and biases, the CNN's convolution kernels); layers()/weights() give the MLP's view.
 *
 * On wasm the flat vector and its moments live in JavaScript instead (`host`): there the slices, the
 * concat and the dozen passes over 90k floats cost about a quarter of the step (every wasm op copies), and
 * one JavaScript loop over the reads of the gradients does the same update in a fraction of that.
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

interface HostState {
  params: Float32Array
  m: Float32Array
  v: Float32Array
}

type Gradients = tf.Tensor[] | { kernel: tf.Tensor2D; bias: tf.Tensor1D }[]

export class FlatParameters {
  private readonly params: tf.Variable<tf.Rank.R1> | null = null
  private readonly m: tf.Variable<tf.Rank.R1> | null = null
  private readonly v: tf.Variable<tf.Rank.R1> | null = null
  private readonly host: HostState | null = null
  private readonly total: number
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
    this.total = total
    if (tf.getBackend() === 'wasm' && process.env.DIGIT_STUDIO_HOST_ADAM !== '0') {
      this.host = { params: flat, m: new Float32Array(total), v: new Float32Array(total) }
    } else {
      this.params = tf.variable(tf.tensor1d(flat), true, undefined, 'float32')
      this.m = tf.variable(tf.zeros([total]), false)
      this.v = tf.variable(tf.zeros([total]), false)
    }
    this.beta1 = adam.beta1 ?? 0.9
    this.beta2 = adam.beta2 ?? 0.999
    this.epsilon = adam.epsilon ?? 1e-7
    this.learningRate = adam.learningRate
  }

  get count(): number {
    return this.total
  }

  /** The parameter tensors, in order (call inside tf.tidy). */
  tensors(): tf.Tensor[] {
    return this.segments.map((s) => {
      // The wasm backend copies the values into its heap when the tensor is made.
      if (this.host) return tf.tensor(this.host.params.subarray(s.offset, s.offset + s.size), s.shape)
      return (this.params as tf.Variable<tf.Rank.R1>).slice(s.offset, s.size).reshape(s.shape)
    })
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
  applyAdam(grads: Gradients): void {
    this.step++
    const t = this.step
    // Canonical Adam: lr · m̂ / (√v̂ + ε) with m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t), as PyTorch and
    // tf.train.adam compute it (folding the corrections into lr would change ε's effect on tiny gradients).
    const lr = this.learningRate / (1 - this.beta1 ** t)
    const vScale = 1 / Math.sqrt(1 - this.beta2 ** t)
    const list = (grads as (tf.Tensor | { kernel: tf.Tensor2D; bias: tf.Tensor1D })[]).flatMap((g) =>
      g instanceof tf.Tensor ? [g] : [g.kernel, g.bias]
    )
    if (this.host) {
      this.hostAdam(this.host, list, lr, vScale)
      return
    }
    const [params, mVar, vVar] = [this.params, this.m, this.v] as tf.Variable<tf.Rank.R1>[]
    tf.tidy(() => {
      const g = tf.concat(list.map((tensor) => tensor.reshape([-1])))
      const m = mVar.add(g.sub(mVar).mul(1 - this.beta1))
      const v = vVar.add(
        g
          .square()
          .sub(vVar)
          .mul(1 - this.beta2)
      )
      mVar.assign(m as tf.Tensor1D)
      vVar.assign(v as tf.Tensor1D)
      params.assign(params.sub(m.mul(lr).div(v.sqrt().mul(vScale).add(this.epsilon))) as tf.Tensor1D)
    })
  }

  /** The same update in one JavaScript pass (float64 arithmetic, stored as float32). */
  private hostAdam(host: HostState, grads: tf.Tensor[], lr: number, vScale: number): void {
    const { params, m, v } = host
    const c1 = 1 - this.beta1
    const c2 = 1 - this.beta2
    grads.forEach((tensor, i) => {
      const segment = this.segments[i]
      const g = tensor.dataSync()
      for (let k = 0, j = segment.offset; k < segment.size; k++, j++) {
        // Read back after each store: the moments are float32, as on the other backends.
        m[j] += (g[k] - m[j]) * c1
        v[j] += (g[k] * g[k] - v[j]) * c2
        params[j] -= (m[j] * lr) / (Math.sqrt(v[j]) * vScale + this.epsilon)
      }
    })
  }

  /** The current parameter tensors copied to JavaScript. */
  arrays(): ParamArray[] {
    const flat = this.host ? this.host.params : ((this.params as tf.Variable).dataSync() as Float32Array)
    return this.segments.map((s) => ({ shape: s.shape, values: flat.slice(s.offset, s.offset + s.size) }))
  }

  /** The current weights as the MLP's layers. */
  weights(): MlpWeights {
    return withParams([], this.arrays()) as MlpWeights
  }

  dispose(): void {
    if (this.params && this.m && this.v) tf.dispose([this.params, this.m, this.v])
  }
}

function isParamList(weights: MlpWeights | ParamArray[]): weights is ParamArray[] {
  return weights.length > 0 && 'shape' in weights[0]
}
