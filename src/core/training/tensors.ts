/** A labelled digit set held as backend tensors: images count×784 in [0,1], one-hot and integer labels. */
import { tf } from '../backend'
import type { DigitSet } from '../data/mnist'
import { PIXELS } from '../data/mnist'
import { CLASSES } from '../model/mlp'

export interface BackendSet {
  count: number
  images: tf.Tensor2D
  oneHot: tf.Tensor2D
  labels: tf.Tensor1D
  dispose(): void
}

/** Bytes 0..255 to floats in [0,1]. */
export function toUnitPixels(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255
  return out
}

export function toBackendSet(set: DigitSet): BackendSet {
  const labels = tf.tensor1d(Int32Array.from(set.labels), 'int32')
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, CLASSES), 'float32')) as tf.Tensor2D
  const images = tf.tensor2d(toUnitPixels(set.images), [set.count, PIXELS])
  return {
    count: set.count,
    images,
    oneHot,
    labels,
    dispose: () => tf.dispose([images, oneHot, labels])
  }
}

/** Copies images[indices] (bytes) into out as floats in [0,1]. */
export function copyImages(images: Uint8Array, indices: ArrayLike<number>, out: Float32Array): void {
  const scale = 1 / 255
  for (let n = 0; n < indices.length; n++) {
    const src = indices[n] * PIXELS
    const dst = n * PIXELS
    for (let p = 0; p < PIXELS; p++) out[dst + p] = images[src + p] * scale
  }
}

/** Writes one-hot rows and integer labels for labels[indices]. */
export function fillLabels(
  labels: Uint8Array,
  indices: ArrayLike<number>,
  oneHot: Float32Array,
  ints: Int32Array
): void {
  oneHot.fill(0, 0, indices.length * CLASSES)
  for (let n = 0; n < indices.length; n++) {
    const label = labels[indices[n]]
    oneHot[n * CLASSES + label] = 1
    ints[n] = label
  }
}
