/**
 * A model held on the active backend for fast inference, whatever its architecture: predict() takes count×784
 * pixels in [0,1] (MNIST polarity, ink = 1) and returns count×10 softmax probabilities; predictWithFeatures()
 * returns them together with the activations the "not a digit" detector reads (the CNN's last pooled maps,
 * i.e. its dense layer's input; the MLP's last hidden layer) from the same forward pass, for the "not a digit" detector (src/core/calibration/detector.ts).
 */
import { tf } from '../backend'

/** The probabilities of count inputs and their feature activations (count×featureSize, row-major). */
export interface Outputs {
  probabilities: Float32Array
  features: Float32Array
  featureSize: number
}

export abstract class SoftmaxRunner {
  private disposed = false

  constructor(
    private readonly held: tf.Tensor[],
    private readonly inputs: number
  ) {}

  /** The feature activations and the logits of x (count×inputs) from the runner's tensors (inside tf.tidy). */
  protected abstract forward(x: tf.Tensor2D): { features: tf.Tensor2D; logits: tf.Tensor2D }

  private input(pixels: Float32Array, count: number): tf.Tensor2D {
    if (this.disposed) throw new Error('model was disposed')
    if (pixels.length !== count * this.inputs) {
      throw new Error(`expected ${count}×${this.inputs} pixels, got ${pixels.length} values`)
    }
    return tf.tensor2d(pixels, [count, this.inputs])
  }

  predictSync(pixels: Float32Array, count: number): Float32Array {
    const probs = tf.tidy(() => tf.softmax(this.forward(this.input(pixels, count)).logits))
    const out = probs.dataSync() as Float32Array
    probs.dispose()
    return out
  }

  /** One forward pass: the probabilities and the feature activations. */
  predictWithFeaturesSync(pixels: Float32Array, count: number): Outputs {
    const [probs, features] = tf.tidy(() => {
      const { features, logits } = this.forward(this.input(pixels, count))
      return [tf.softmax(logits), features]
    })
    const out: Outputs = {
      probabilities: probs.dataSync() as Float32Array,
      features: features.dataSync() as Float32Array,
      featureSize: features.shape[1] ?? 0
    }
    tf.dispose([probs, features])
    return out
  }

  async predict(pixels: Float32Array, count: number): Promise<Float32Array> {
    return this.predictSync(pixels, count)
  }

  async predictWithFeatures(pixels: Float32Array, count: number): Promise<Outputs> {
    return this.predictWithFeaturesSync(pixels, count)
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    tf.dispose(this.held)
  }
}
