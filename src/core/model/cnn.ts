/**
 * The convolutional network beside the paper's MLP:
 *   28×28×1 → conv 5×5 ×32 (valid, ReLU) → max-pool 2×2 → conv 5×5 ×64 (valid, ReLU) → max-pool 2×2
 *   → flatten (4·4·64 = 1024) → dense 256 (ReLU) → dropout (training only) → dense 10 → softmax.
 * Why this one: it is LeNet-5's shape (two 5×5 convolution + pooling stages and a dense layer) with the
 * widths of the classic TensorFlow MNIST tutorial, which reaches about 99.5 % on MNIST with augmentation,
 * and 'valid' convolutions keep it cheap: measured here 48 s per MNIST epoch on one tfjs-node core against
 * 83 s with 'same' padding (most of the cost is the second convolution, 8×8 outputs instead of 14×14).
 * Parameters are plain Float32Arrays in the tfjs layers order (kernel, bias per layer; conv kernels
 * kH×kW×in×out, dense kernels in×out), so they save, compare and move between backends exactly.
 */
import type { CnnSettings } from '../../shared/schemas/training'
import type { Architecture } from '../../shared/schemas/models'
import { tf } from '../backend'
import { Random } from './random'
import { SoftmaxRunner } from './runner'

export const SIDE = 28
export const CNN_CLASSES = 10

/** One parameter tensor: its shape and its values (row-major). */
export interface ParamArray {
  shape: number[]
  values: Float32Array
}

export interface CnnWeights {
  kind: 'cnn'
  settings: CnnSettings
  params: ParamArray[]
}

export function isCnnWeights(weights: unknown): weights is CnnWeights {
  return typeof weights === 'object' && weights !== null && (weights as CnnWeights).kind === 'cnn'
}

/** Side of the feature map after the two conv (valid) + pool stages. */
export function cnnFeatureSide(settings: CnnSettings): number {
  const afterFirst = Math.floor((SIDE - settings.kernelSize + 1) / 2)
  return Math.floor((afterFirst - settings.kernelSize + 1) / 2)
}

/** Shapes of the eight parameter tensors, in order. */
export function cnnShapes(settings: CnnSettings): number[][] {
  const k = settings.kernelSize
  const [f1, f2] = settings.filters
  const side = cnnFeatureSide(settings)
  const flat = side * side * f2
  return [
    [k, k, 1, f1],
    [f1],
    [k, k, f1, f2],
    [f2],
    [flat, settings.denseUnits],
    [settings.denseUnits],
    [settings.denseUnits, CNN_CLASSES],
    [CNN_CLASSES]
  ]
}

/** Glorot-uniform kernels (the Keras default for Conv2D and Dense) and zero biases, from a seed. */
export function initCnnWeights(settings: CnnSettings, seed: number): CnnWeights {
  const random = new Random(seed)
  const params = cnnShapes(settings).map((shape) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1))
    if (shape.length > 1) {
      const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1)
      const fanIn = receptive * shape[shape.length - 2]
      const fanOut = receptive * shape[shape.length - 1]
      const limit = Math.sqrt(6 / (fanIn + fanOut))
      for (let i = 0; i < values.length; i++) values[i] = random.uniform(-limit, limit)
    }
    return { shape, values }
  })
  return { kind: 'cnn', settings, params }
}

/** The architecture as written to metadata.json. */
export function cnnArchitecture(settings: CnnSettings): Architecture {
  return {
    kind: 'cnn',
    input: [28, 28, 1],
    conv: settings.filters.map((filters) => ({ filters, kernelSize: settings.kernelSize })),
    dense: [settings.denseUnits],
    hiddenActivation: 'relu',
    outputActivation: 'softmax'
  }
}

/**
 * The features of the "not a digit" detector — the second pooling stage's maps, flattened (count×1024, the
 * dense layer's input: measured, they tell letters from digits far better than the dense layer's activations,
 * which the training squeezes towards the ten classes) — and the logits of x (count×784, ink = 1). `dropout` (rate and per-batch seed) applies inverted dropout after the dense ReLU layer, for
 * training; null for inference.
 */
export function cnnForward(
  x: tf.Tensor2D,
  params: tf.Tensor[],
  dropout: { rate: number; seed: number } | null = null
): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  const [k1, b1, k2, b2, k3, b3, k4, b4] = params
  const count = x.shape[0]
  let h: tf.Tensor4D = x.reshape([count, SIDE, SIDE, 1])
  h = tf.relu(tf.add(tf.conv2d(h, k1 as tf.Tensor4D, 1, 'valid'), b1)) as tf.Tensor4D
  h = tf.maxPool(h, 2, 2, 'valid')
  h = tf.relu(tf.add(tf.conv2d(h, k2 as tf.Tensor4D, 1, 'valid'), b2)) as tf.Tensor4D
  h = tf.maxPool(h, 2, 2, 'valid')
  const features = h.reshape([count, k3.shape[0]]) as tf.Tensor2D
  let z = tf.relu(tf.add(tf.matMul(features, k3 as tf.Tensor2D), b3)) as tf.Tensor2D
  if (dropout && dropout.rate > 0) {
    const keep = tf.step(tf.sub(tf.randomUniform(z.shape, 0, 1, 'float32', dropout.seed), dropout.rate))
    z = tf.mul(z, tf.mul(keep, 1 / (1 - dropout.rate))) as tf.Tensor2D
  }
  return { features, logits: tf.add(tf.matMul(z, k4 as tf.Tensor2D), b4) as tf.Tensor2D }
}

/** Logits of x (count×784, ink = 1); `dropout` as in cnnForward. */
export function cnnLogits(
  x: tf.Tensor2D,
  params: tf.Tensor[],
  dropout: { rate: number; seed: number } | null = null
): tf.Tensor2D {
  return cnnForward(x, params, dropout).logits
}

export function cnnTensors(weights: CnnWeights): tf.Tensor[] {
  return weights.params.map((p) => tf.tensor(p.values, p.shape, 'float32'))
}

/** A CNN held on the active backend: predict() takes count×784 pixels in [0,1], returns count×10 probabilities. */
export class CnnRunner extends SoftmaxRunner {
  private readonly tensors: tf.Tensor[]

  constructor(readonly weights: CnnWeights) {
    const tensors = cnnTensors(weights)
    super(tensors, SIDE * SIDE)
    this.tensors = tensors
  }

  protected forward(x: tf.Tensor2D): { features: tf.Tensor2D; logits: tf.Tensor2D } {
    return cnnForward(x, this.tensors)
  }
}
