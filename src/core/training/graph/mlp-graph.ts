/**
 * The paper's MLP in the training graph (./train-graph.ts): the lean step's exact maths
 * (src/core/training/architecture.ts): dense + sigmoid forward, inverted dropout after each hidden layer,
 * and the hand-written backward pass (MatMul, SigmoidGrad, Sum). Parameters w_i, b_i per layer.
 */
import type { GraphBuilder } from './graph-def'
import {
  T,
  buildTrainGraph,
  matMul,
  paramKey,
  sumOver,
  type NetworkBody,
  type TrainGraph,
  type TrainGraphOptions
} from './train-graph'

export interface MlpGraphOptions extends TrainGraphOptions {
  /** Layer sizes, e.g. [784, 100, 100, 10]. */
  sizes: number[]
}

function mlpBody(g: GraphBuilder, sizes: number[]): NetworkBody {
  const zeroAxis = g.ints([0], 'mlp/axis0')
  const layers = sizes.length - 1
  return {
    params: Array.from({ length: layers }, (_, i) => [[sizes[i], sizes[i + 1]], [sizes[i + 1]]])
      .flat()
      .map((shape, i) => ({ key: paramKey(i), shape })),
    masks: sizes.slice(1, -1),
    inputSize: sizes[0],
    classes: sizes[layers],
    forward(x, params, masks) {
      const layerInputs = [x]
      const activations: string[] = []
      let h = x
      for (let i = 0; i + 1 < layers; i++) {
        const a = g.op('Sigmoid', [g.op('BiasAdd', [matMul(g, h, params[2 * i]), params[2 * i + 1]], T)], T)
        activations.push(a)
        h = masks.length > 0 ? g.op('Mul', [a, masks[i]], T) : a
        layerInputs.push(h)
      }
      const last = layers - 1
      const logits = g.op('BiasAdd', [matMul(g, h, params[2 * last]), params[2 * last + 1]], T)
      return {
        logits,
        backward(delta) {
          const grads: string[] = new Array(2 * layers)
          for (let i = last; i >= 0; i--) {
            grads[2 * i] = matMul(g, layerInputs[i], delta, true, false)
            grads[2 * i + 1] = sumOver(g, delta, zeroAxis)
            if (i === 0) break
            let back = matMul(g, delta, params[2 * i], false, true)
            if (masks.length > 0) back = g.op('Mul', [back, masks[i - 1]], T)
            delta = g.op('SigmoidGrad', [activations[i - 1], back], T)
          }
          return grads
        }
      }
    }
  }
}

export function buildMlpGraph(options: MlpGraphOptions): TrainGraph {
  return buildTrainGraph((g) => mlpBody(g, options.sizes), options)
}
