/**
 * The paper's network (section 1.2): dense layers with sigmoid hidden units and a softmax output.
 * Weights live in plain Float32Arrays when not on a backend, so they can be saved, compared and moved
 * between backends exactly.
 */
import { tf } from '../backend'
import { dense } from '../backend/native-ops'
import { Random } from './random'
import { SoftmaxRunner } from './runner'

export const INPUT_SIZE = 784
export const CLASSES = 10

/** Layer sizes, e.g. [784, 100, 100, 10]. */
export type LayerSizes = number[]

export interface LayerWeights {
  /** inputs×outputs, row-major (the tfjs Dense kernel layout). */
  kernel: Float32Array
  bias: Float32Array
  inputs: number
  outputs: number
}
export type MlpWeights = LayerWeights[]

export function layerSizes(hiddenUnits: readonly number[]): LayerSizes {
  return [INPUT_SIZE, ...hiddenUnits, CLASSES]
}

/** Glorot-uniform kernels (the Keras Dense default) and zero biases, from a seed. */
export function initWeights(sizes: LayerSizes, seed: number): MlpWeights {
  const random = new Random(seed)
  const layers: MlpWeights = []
  for (let i = 0; i + 1 < sizes.length; i++) {
    const inputs = sizes[i]
    const outputs = sizes[i + 1]
    const limit = Math.sqrt(6 / (inputs + outputs))
    const kernel = new Float32Array(inputs * outputs)
    for (let k = 0; k < kernel.length; k++) kernel[k] = random.uniform(-limit, limit)
    layers.push({ kernel, bias: new Float32Array(outputs), inputs, outputs })
  }
  return layers
}

export function sizesOf(weights: MlpWeights): LayerSizes {
  return [weights[0].inputs, ...weights.map((w) => w.outputs)]
}

/** Backend tensors for a set of weights (kernels 2-D, biases 1-D). */
export interface TensorLayer {
  kernel: tf.Tensor2D
  bias: tf.Tensor1D
}

export function toTensors(weights: MlpWeights): TensorLayer[] {
  return weights.map((w) => ({
    kernel: tf.tensor2d(w.kernel, [w.inputs, w.outputs]),
    bias: tf.tensor1d(w.bias)
  }))
}

export function fromTensors(layers: TensorLayer[]): MlpWeights {
  return layers.map((l) => ({
    kernel: new Float32Array(l.kernel.dataSync()),
    bias: new Float32Array(l.bias.dataSync()),
    inputs: l.kernel.shape[0],
    outputs: l.kernel.shape[1]
  }))
}

/** The last hidden layer's activations and the logits of x (count×784): fused matMul + bias + sigmoid per hidden layer. */
export function mlpForward(
  x: tf.Tensor2D,
  layers: TensorLayer[]
): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  let h = x
  for (let i = 0; i + 1 < layers.length; i++) h = dense(h, layers[i].kernel, layers[i].bias, 'sigmoid')
  const last = layers[layers.length - 1]
  return { features: h, logits: dense(h, last.kernel, last.bias, 'linear') }
}

/** Logits of x (count×784): fused matMul + bias + sigmoid per hidden layer, linear output. */
export function logitsOf(x: tf.Tensor2D, layers: TensorLayer[]): tf.Tensor2D {
  return mlpForward(x, layers).logits
}

/**
 * A model held on the active backend for fast inference. predict() takes count×784 pixels in [0,1]
 * (MNIST polarity, ink = 1) and returns count×10 softmax probabilities.
 */
export class MlpRunner extends SoftmaxRunner {
  private readonly layers: TensorLayer[]

  constructor(readonly weights: MlpWeights) {
    const layers = toTensors(weights)
    super(
      layers.flatMap((l) => [l.kernel, l.bias]),
      weights[0].inputs
    )
    this.layers = layers
  }

  protected forward(x: tf.Tensor2D): { features: tf.Tensor2D; logits: tf.Tensor2D } {
    return mlpForward(x, this.layers)
  }
}
