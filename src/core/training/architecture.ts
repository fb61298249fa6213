/**
 * What the trainer needs from an architecture: initial weights, the logits for a batch, and one batch's
 * gradients (in the order of its parameter tensors) with the batch's [loss sum, correct count]. The
 * trainer itself (batches, augmentation, flat Adam, schedule, averaging, events, pause/cancel, saving) is
 * the same for every architecture. The paper's MLP keeps its hand-written backward pass (fused native
 * kernels on tfjs-node); the CNN uses tfjs autodiff (native Conv2DBackprop* kernels on tfjs-node).
 */
import type { ArchitectureName, Hyperparameters } from '../../shared/schemas/training'
import { tf } from '../backend'
import { dense, matMul, sigmoidBackward, softmaxCrossEntropy } from '../backend/native-ops'
import { cnnLogits, initCnnWeights, isCnnWeights } from '../model/cnn'
import { initWeights, layerSizes, logitsOf, type TensorLayer } from '../model/mlp'
import type { ModelWeights } from '../model/weights'

export interface BatchGradients {
  grads: tf.Tensor[]
  /** [sum of cross-entropy, count of correct answers]. */
  stats: tf.Tensor1D
}

export interface TrainableArchitecture {
  name: ArchitectureName
  init(hp: Hyperparameters): ModelWeights
  logits(x: tf.Tensor2D, params: tf.Tensor[]): tf.Tensor2D
  /** `dropoutSeed` is null when dropout is off. */
  gradients(
    x: tf.Tensor2D,
    oneHot: tf.Tensor2D,
    labels: tf.Tensor1D,
    params: tf.Tensor[],
    dropout: number,
    dropoutSeed: number | null
  ): BatchGradients
  /** Images per evaluation chunk (keeps the CNN's feature maps small). */
  evalChunk: number
}

/** [sum of cross-entropy, count of correct answers] for a batch. */
export function batchStats(loss: tf.Tensor1D, logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'))
  return tf.stack([tf.sum(loss), correct]) as tf.Tensor1D
}

function pairs(params: tf.Tensor[]): TensorLayer[] {
  const layers: TensorLayer[] = []
  for (let i = 0; i < params.length; i += 2) {
    layers.push({ kernel: params[i] as tf.Tensor2D, bias: params[i + 1] as tf.Tensor1D })
  }
  return layers
}

/** The paper's MLP: dense + sigmoid forward, hand-written backward (softmax + cross-entropy gradient p - y). */
export const mlpArchitecture: TrainableArchitecture = {
  name: 'mlp',
  evalChunk: 2000,
  init: (hp) => initWeights(layerSizes(hp.hiddenUnits), hp.seed),
  logits: (x, params) => logitsOf(x, pairs(params)),
  gradients(x, oneHot, labels, params, dropout, dropoutSeed) {
    const layers = pairs(params)
    const inputs: tf.Tensor2D[] = [x]
    const activations: tf.Tensor2D[] = []
    const masks: (tf.Tensor2D | null)[] = []
    let h = x
    for (let i = 0; i < layers.length - 1; i++) {
      const a = dense(h, layers[i].kernel, layers[i].bias, 'sigmoid')
      activations.push(a)
      if (dropoutSeed !== null && dropout > 0) {
        // Inverted dropout: keep with probability 1 - rate and scale by 1 / (1 - rate).
        const keep = tf.step(tf.sub(tf.randomUniform(a.shape, 0, 1, 'float32', dropoutSeed + i), dropout))
        const mask = tf.mul(keep, 1 / (1 - dropout)) as tf.Tensor2D
        masks.push(mask)
        h = tf.mul(a, mask) as tf.Tensor2D
      } else {
        masks.push(null)
        h = a
      }
      inputs.push(h)
    }
    const last = layers[layers.length - 1]
    const logits = dense(h, last.kernel, last.bias, 'linear')
    // Softmax + cross-entropy: dL/dlogits = (p - y) / batch (the paper's eq. 7).
    const { loss, grad } = softmaxCrossEntropy(logits, oneHot)
    let delta = tf.mul(grad, 1 / x.shape[0]) as tf.Tensor2D
    const grads: tf.Tensor[] = new Array(layers.length * 2)
    for (let i = layers.length - 1; i >= 0; i--) {
      grads[2 * i] = matMul(inputs[i], delta, true, false)
      grads[2 * i + 1] = tf.sum(delta, 0)
      if (i === 0) break
      let back = matMul(delta, layers[i].kernel, false, true)
      const mask = masks[i - 1]
      if (mask) back = tf.mul(back, mask)
      delta = sigmoidBackward(activations[i - 1], back as tf.Tensor2D)
    }
    return { grads, stats: batchStats(loss, logits, labels) }
  }
}

/** The CNN (src/core/model/cnn.ts): autodiff through conv, pool and dense; dropout after the dense layer. */
export const cnnArchitecture: TrainableArchitecture = {
  name: 'cnn',
  evalChunk: 500,
  init: (hp) => initCnnWeights(hp.cnn, hp.seed),
  logits: (x, params) => cnnLogits(x, params),
  gradients(x, oneHot, labels, params, dropout, dropoutSeed) {
    // tf.grads disposes what its function made except the gradients: the batch's stats are kept
    // explicitly and handed to the caller's tidy as a clone.
    let kept: tf.Tensor1D | null = null
    const drop = dropoutSeed !== null && dropout > 0 ? { rate: dropout, seed: dropoutSeed } : null
    const f = (...p: tf.Tensor[]) => {
      const logits = cnnLogits(x, p, drop)
      const perExample = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 1)) as tf.Tensor1D
      kept = tf.keep(batchStats(perExample, logits, labels))
      return tf.mean(perExample) as tf.Scalar
    }
    const grads = tf.grads(f)(params)
    const statsKept = kept as unknown as tf.Tensor1D
    const stats = statsKept.clone()
    statsKept.dispose()
    return { grads, stats }
  }
}

/** The architecture of these hyperparameters, or of the weights a run starts from (fine-tuning). */
export function architectureFor(hp: Hyperparameters, initialWeights?: ModelWeights): TrainableArchitecture {
  const name = initialWeights ? (isCnnWeights(initialWeights) ? 'cnn' : 'mlp') : hp.architecture
  return name === 'cnn' ? cnnArchitecture : mlpArchitecture
}
