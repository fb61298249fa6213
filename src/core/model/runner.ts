/**
 * A model held on the active backend for fast inference, whatever its architecture: predict() takes count×784
 * pixels in [0,1] (MNIST polarity, ink = 1) and returns count×10 softmax probabilities.
 */
import { tf } from '../backend'

export abstract class SoftmaxRunner {
  private disposed = false

  constructor(
    private readonly held: tf.Tensor[],
    private readonly inputs: number
  ) {}

  /** The logits of x (count×inputs) from the runner's tensors (called inside tf.tidy). */
  protected abstract logits(x: tf.Tensor2D): tf.Tensor2D

  predictSync(pixels: Float32Array, count: number): Float32Array {
    if (this.disposed) throw new Error('model was disposed')
    if (pixels.length !== count * this.inputs) {
      throw new Error(`expected ${count}×${this.inputs} pixels, got ${pixels.length} values`)
    }
    const probs = tf.tidy(() => tf.softmax(this.logits(tf.tensor2d(pixels, [count, this.inputs]))))
    const out = probs.dataSync() as Float32Array
    probs.dispose()
    return out
  }

  async predict(pixels: Float32Array, count: number): Promise<Float32Array> {
    return this.predictSync(pixels, count)
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    tf.dispose(this.held)
  }
}
