/**
 * What the folder import needs from a model. The engine's LoadedModel satisfies it structurally; tests use small
 * deterministic classifiers.
 */
export interface Classifier {
  /** Model id, recorded in the import result. */
  id: string
  /** The model's name, recorded in the import result (LoadedModel has it in its metadata; default: the id). */
  metadata?: { name: string }
  /** `count` images of 784 values in [0, 1] (ink = 1), row-major → count×10 probabilities. */
  predict(pixels: Float32Array, count: number): Promise<Float32Array>
}
