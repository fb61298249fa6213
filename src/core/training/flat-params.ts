/**
 * All weights of the MLP in ONE flat variable, with Adam's moments flat too. One Adam update is then a
 * dozen backend ops for the whole network instead of a dozen per tensor: per-op overhead, not
 * arithmetic, dominates a small MLP's step on tfjs-node.
 *
 * On wasm the flat vector and its moments live in JavaScript instead (`host`): there the slices, the
 * concat and the dozen passes over 90k floats cost about a quarter of the step (every wasm op copies), and
 * one JavaScript loop over the reads of the gradients does the same update in a fraction of that.
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

interface HostState {
  params: Float32Array
  m: Float32Array
  v: Float32Array
}

export class FlatParameters {
  private readonly params: tf.Variable<tf.Rank.R1> | null = null
  private readonly m: tf.Variable<tf.Rank.R1> | null = null
  private readonly v: tf.Variable<tf.Rank.R1> | null = null
  private readonly host: HostState | null = null
  private readonly total: number
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

  /** Views of the flat vector as layers (call inside tf.tidy). */
  layers(): TensorLayer[] {
    const layers: TensorLayer[] = []
    for (let i = 0; i < this.segments.length; i += 2) {
      const k = this.segments[i]
      const b = this.segments[i + 1]
      if (this.host) {
        // The wasm backend copies the values into its heap when the tensor is made.
        const p = this.host.params
        layers.push({
          kernel: tf.tensor2d(p.subarray(k.offset, k.offset + k.size), k.shape as [number, number]),
          bias: tf.tensor1d(p.subarray(b.offset, b.offset + b.size))
        })
        continue
      }
      const params = this.params as tf.Variable<tf.Rank.R1>
      layers.push({
        kernel: params.slice(k.offset, k.size).reshape(k.shape as [number, number]),
        bias: params.slice(b.offset, b.size) as tf.Tensor1D
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
    if (this.host) {
      this.hostAdam(this.host, grads, lr, vScale)
      return
    }
    const [params, mVar, vVar] = [this.params, this.m, this.v] as tf.Variable<tf.Rank.R1>[]
    tf.tidy(() => {
      const g = tf.concat(grads.flatMap((l) => [l.kernel.reshape([-1]), l.bias]))
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
  private hostAdam(
    host: HostState,
    grads: { kernel: tf.Tensor2D; bias: tf.Tensor1D }[],
    lr: number,
    vScale: number
  ): void {
    const { params, m, v } = host
    const c1 = 1 - this.beta1
    const c2 = 1 - this.beta2
    grads.forEach((layer, i) => {
      for (const [tensor, segment] of [
        [layer.kernel, this.segments[2 * i]],
        [layer.bias, this.segments[2 * i + 1]]
      ] as const) {
        const g = tensor.dataSync()
        for (let k = 0, j = segment.offset; k < segment.size; k++, j++) {
          // Read back after each store: the moments are float32, as on the other backends.
          m[j] += (g[k] - m[j]) * c1
          v[j] += (g[k] * g[k] - v[j]) * c2
          params[j] -= (m[j] * lr) / (Math.sqrt(v[j]) * vScale + this.epsilon)
        }
      }
    })
  }

  /** The current weights copied to JavaScript. */
  weights(): MlpWeights {
    const flat = this.host ? this.host.params : ((this.params as tf.Variable).dataSync() as Float32Array)
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
    if (this.params && this.m && this.v) tf.dispose([this.params, this.m, this.v])
  }
}
