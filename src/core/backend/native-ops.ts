/**
 * Two fused TensorFlow kernels the tfjs API does not expose, used when the tfjs-node backend is active
 * (each replaces several small ops, and per-op overhead dominates this small network's step):
 *   SoftmaxCrossEntropyWithLogits → per-example loss and dL/dlogits = softmax - y in one op;
 *   SigmoidGrad(a, dy) → dy · a · (1 - a) in one op;
 *   MatMul on 2-D tensors → one op (tf.matMul goes through BatchMatMul with a reshape before and after,
 *   three ops, and tf.fused.matMul adds the bias and activation as further ops on this backend).
 * Every other backend gets the same maths from plain tfjs ops.
 */
import { tf } from './index'

interface OpAttr {
  name: string
  type: number
  value: number | boolean
}
interface NodeBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_BOOL: number; TF_FLOAT: number }
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], outputs: number): tf.Tensor[]
}

function nativeBackend(): NodeBackend | null {
  if (tf.getBackend() !== 'tensorflow' || process.env.DIGIT_STUDIO_NATIVE_OPS === '0') return null
  const backend = tf.backend() as unknown as Partial<NodeBackend>
  return typeof backend.executeMultipleOutputs === 'function' && backend.binding
    ? (backend as NodeBackend)
    : null
}

function floatAttr(backend: NodeBackend): OpAttr[] {
  return [{ name: 'T', type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT }]
}

/** Cross-entropy per example (count) and its gradient w.r.t. the logits (softmax - oneHot). */
export function softmaxCrossEntropy(
  logits: tf.Tensor2D,
  oneHot: tf.Tensor2D
): { loss: tf.Tensor1D; grad: tf.Tensor2D } {
  const native = nativeBackend()
  if (native) {
    const [loss, grad] = native.executeMultipleOutputs(
      'SoftmaxCrossEntropyWithLogits',
      floatAttr(native),
      [logits, oneHot],
      2
    )
    return { loss: loss as tf.Tensor1D, grad: grad as tf.Tensor2D }
  }
  const logProbs = tf.logSoftmax(logits)
  return {
    loss: tf.neg(tf.sum(tf.mul(logProbs, oneHot), 1)) as tf.Tensor1D,
    grad: tf.sub(tf.exp(logProbs), oneHot) as tf.Tensor2D
  }
}

/** dy · a · (1 - a): the gradient through a sigmoid whose output is a. */
export function sigmoidBackward(a: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  const native = nativeBackend()
  if (native) return native.executeSingleOutput('SigmoidGrad', floatAttr(native), [a, dy]) as tf.Tensor2D
  return tf.mul(dy, tf.mul(a, tf.sub(1, a))) as tf.Tensor2D
}

/** a·b with optional transposes, as one TensorFlow MatMul op on tfjs-node. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  const native = nativeBackend()
  if (!native && tf.getBackend() === 'wasm' && (transposeA || transposeB)) {
    // tfjs-backend-wasm sends a transposed product to a slow loop instead of XNNPACK's GEMM: measured 17–19 ms
    // against 3–4 ms for an explicit transpose plus the plain product (100×784 by 100×100).
    return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b)
  }
  if (!native) return tf.matMul(a, b, transposeA, transposeB)
  const attrs: OpAttr[] = [
    ...floatAttr(native),
    { name: 'transpose_a', type: native.binding.TF_ATTR_BOOL, value: transposeA },
    { name: 'transpose_b', type: native.binding.TF_ATTR_BOOL, value: transposeB }
  ]
  return native.executeSingleOutput('MatMul', attrs, [a, b]) as tf.Tensor2D
}

/** A dense layer: x·kernel + bias, then sigmoid (hidden layers) or nothing (the output's logits). */
export function dense(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: 'sigmoid' | 'linear'
): tf.Tensor2D {
  const native = nativeBackend()
  if (!native) return tf.fused.matMul({ a: x, b: kernel, bias, activation }) as tf.Tensor2D
  const z = native.executeSingleOutput('BiasAdd', floatAttr(native), [matMul(x, kernel), bias]) as tf.Tensor2D
  return activation === 'sigmoid'
    ? (native.executeSingleOutput('Sigmoid', floatAttr(native), [z]) as tf.Tensor2D)
    : z
}
