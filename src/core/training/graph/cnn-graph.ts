/**
 * The CNN (src/core/model/cnn.ts) in the training graph (./train-graph.ts), the lean step's maths written
 * out by hand: conv 5×5 (valid) + bias + ReLU → max-pool 2×2 → conv + bias + ReLU → max-pool → flatten →
 * dense + ReLU → inverted dropout (mask fed in) → dense → logits; backward with the kernels tfjs-node's
 * autodiff runs for the lean step (Conv2DBackpropInput/Filter, MaxPoolGrad, ReluGrad, MatMul, Sum).
 * Parameters w_i, b_i per layer (two convolutions, two dense layers), in cnnShapes' order.
 */
import type { CnnSettings } from '../../../shared/schemas/training'
import { CNN_CLASSES, SIDE, cnnFeatureSide, cnnShapes } from '../../model/cnn'
import type { GraphBuilder } from './graph-def'
import {
  INT32,
  T,
  buildTrainGraph,
  matMul,
  paramKey,
  sumOver,
  type NetworkBody,
  type TrainGraph,
  type TrainGraphOptions
} from './train-graph'

export interface CnnGraphOptions extends TrainGraphOptions {
  settings: CnnSettings
}

function cnnBody(g: GraphBuilder, settings: CnnSettings): NetworkBody {
  const shapes = cnnShapes(settings)
  const f2 = settings.filters[1]
  const side = cnnFeatureSide(settings)
  const flat = side * side * f2
  const imageShape = g.ints([-1, SIDE, SIDE, 1], 'cnn/image_shape')
  const flatShape = g.ints([-1, flat], 'cnn/flat_shape')
  const featureShape = g.ints([-1, side, side, f2], 'cnn/feature_shape')
  const filterSizes = [g.ints(shapes[0], 'cnn/filter0_sizes'), g.ints(shapes[2], 'cnn/filter1_sizes')]
  const rowsAxis = g.ints([0], 'cnn/axis0')
  const mapAxes = g.ints([0, 1, 2], 'cnn/axes012')
  const ones = { list: [1, 1, 1, 1] }
  const conv = {
    T: T.T,
    strides: ones,
    dilations: ones,
    padding: { s: 'VALID' },
    data_format: { s: 'NHWC' },
    use_cudnn_on_gpu: { b: true }
  }
  const pool = {
    T: T.T,
    ksize: { list: [1, 2, 2, 1] },
    strides: { list: [1, 2, 2, 1] },
    padding: { s: 'VALID' },
    data_format: { s: 'NHWC' }
  }
  const reshape = (tensor: string, shape: string) =>
    g.op('Reshape', [tensor, shape], { T: T.T, Tshape: INT32 })
  const relu = (tensor: string) => g.op('Relu', [tensor], T)
  const biasAdd = (tensor: string, bias: string) => g.op('BiasAdd', [tensor, bias], T)
  return {
    params: shapes.map((shape, i) => ({ key: paramKey(i), shape })),
    masks: [settings.denseUnits],
    inputSize: SIDE * SIDE,
    classes: CNN_CLASSES,
    forward(x, params, masks) {
      const [k1, b1, k2, b2, k3, b3, k4, b4] = params
      const image = reshape(x, imageShape)
      const r1 = relu(biasAdd(g.op('Conv2D', [image, k1], conv), b1))
      const p1 = g.op('MaxPool', [r1], pool)
      const r2 = relu(biasAdd(g.op('Conv2D', [p1, k2], conv), b2))
      const p2 = g.op('MaxPool', [r2], pool)
      const features = reshape(p2, flatShape)
      const z = relu(biasAdd(matMul(g, features, k3), b3))
      const h = masks.length > 0 ? g.op('Mul', [z, masks[0]], T) : z
      const logits = biasAdd(matMul(g, h, k4), b4)
      return {
        logits,
        backward(delta) {
          const gk4 = matMul(g, h, delta, true, false)
          const gb4 = sumOver(g, delta, rowsAxis)
          let dh = matMul(g, delta, k4, false, true)
          if (masks.length > 0) dh = g.op('Mul', [dh, masks[0]], T)
          const dz = g.op('ReluGrad', [dh, z], T)
          const gk3 = matMul(g, features, dz, true, false)
          const gb3 = sumOver(g, dz, rowsAxis)
          const dp2 = reshape(matMul(g, dz, k3, false, true), featureShape)
          const dr2 = g.op('ReluGrad', [g.op('MaxPoolGrad', [r2, p2, dp2], pool), r2], T)
          const gk2 = g.op('Conv2DBackpropFilter', [p1, filterSizes[1], dr2], conv)
          const gb2 = sumOver(g, dr2, mapAxes)
          const p1Shape = g.op('Shape', [p1], { T: T.T, out_type: INT32 })
          const dp1 = g.op('Conv2DBackpropInput', [p1Shape, k2, dr2], conv)
          const dr1 = g.op('ReluGrad', [g.op('MaxPoolGrad', [r1, p1, dp1], pool), r1], T)
          const gk1 = g.op('Conv2DBackpropFilter', [image, filterSizes[0], dr1], conv)
          const gb1 = sumOver(g, dr1, mapAxes)
          return [gk1, gb1, gk2, gb2, gk3, gb3, gk4, gb4]
        }
      }
    }
  }
}

export function buildCnnGraph(options: CnnGraphOptions): TrainGraph {
  return buildTrainGraph((g) => cnnBody(g, options.settings), options)
}
