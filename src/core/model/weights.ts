/** Any model's weights: the paper's MLP (an array of dense layers) or the CNN; one runner for either. */
import type { Architecture } from '../../shared/schemas/models'
import { CnnRunner, cnnArchitecture, isCnnWeights, type CnnWeights, type ParamArray } from './cnn'
import { MlpRunner, sizesOf, type MlpWeights } from './mlp'
import type { Outputs } from './runner'

export type ModelWeights = MlpWeights | CnnWeights

export interface Runner {
  predictSync(pixels: Float32Array, count: number): Float32Array
  predict(pixels: Float32Array, count: number): Promise<Float32Array>
  /** The probabilities and the feature activations (runner.ts) from one forward pass. */
  predictWithFeaturesSync(pixels: Float32Array, count: number): Outputs
  predictWithFeatures(pixels: Float32Array, count: number): Promise<Outputs>
  dispose(): void
}

export function createRunner(weights: ModelWeights): Runner {
  return isCnnWeights(weights) ? new CnnRunner(weights) : new MlpRunner(weights)
}

export function architectureOf(weights: ModelWeights): Architecture {
  if (isCnnWeights(weights)) return cnnArchitecture(weights.settings)
  return { kind: 'mlp', layers: sizesOf(weights), hiddenActivation: 'sigmoid', outputActivation: 'softmax' }
}

/** The parameter tensors of either architecture, in tfjs layers order (kernel, bias per layer). */
export function paramArrays(weights: ModelWeights): ParamArray[] {
  if (isCnnWeights(weights)) return weights.params
  return weights.flatMap((w) => [
    { shape: [w.inputs, w.outputs], values: w.kernel },
    { shape: [w.outputs], values: w.bias }
  ])
}

/** The same kind of weights as `like`, with these parameter values. */
export function withParams(like: ModelWeights, params: ParamArray[]): ModelWeights {
  if (isCnnWeights(like)) return { kind: 'cnn', settings: like.settings, params }
  const layers: MlpWeights = []
  for (let i = 0; i < params.length; i += 2) {
    const [inputs, outputs] = params[i].shape
    layers.push({ kernel: params[i].values, bias: params[i + 1].values, inputs, outputs })
  }
  return layers
}

export { isCnnWeights, type CnnWeights, type ParamArray }

/** The layer whose activations the runner gives beside the probabilities (the "not a digit" detector's), in words. */
export function featureLayerOf(weights: ModelWeights): string {
  if (isCnnWeights(weights))
    return `the last pooling stage's maps, flattened (${weights.params[4].shape[0]} values)`
  return weights.length > 1
    ? `the last hidden layer (${weights[weights.length - 2].outputs} sigmoid units)`
    : 'the input pixels (784)'
}
