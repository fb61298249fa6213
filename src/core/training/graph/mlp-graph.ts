/**
 * The paper's MLP training step as one TensorFlow graph: K batches per call, unrolled, each one the lean
 * step's exact maths (src/core/training/trainer.ts): dense + sigmoid forward, optional inverted-dropout
 * masks fed in, softmax + cross-entropy with dL/dlogits = (p - y) / batch, the hand-written backward pass
 * (MatMul, SigmoidGrad, Sum) and Adam on every weight. Weights and Adam's moments are resource variables
 * that live in the TensorFlow session between calls.
 *
 * Adam: TensorFlow's ResourceApplyAdam computes var -= lr·√(1-β2ᵗ)/(1-β1ᵗ) · m / (√v + ε̂). Feeding
 * ε̂ = ε·√(1-β2ᵗ) makes that exactly the canonical lr·m̂/(√v̂ + ε) the lean step uses (PyTorch's form).
 *
 * Signatures (all in one session, sharing the variables):
 *   init      weights in, assigns them and zeroes the moments;
 *   train_K   x [K,B,784], y [K,B,10], labels [K,B], scalars [K,5] (lr, β1ᵗ, β2ᵗ, ε̂, 1/B),
 *             mask_i [K,B,h_i] with dropout → stats [2] = [summed loss, correct answers] over the K batches;
 *   read      the weights.
 * With `resident` (no augmentation), init also takes the training set — its bytes packed four to an int32
 * (N×196) and its labels — into two more variables, and train_K takes only indices [K,B]: each batch is
 * gathered, unpacked (Bitcast), divided by 255 and one-hot encoded in the graph, nothing built in JavaScript.
 */
import {
  DT_BOOL,
  DT_FLOAT,
  DT_INT32,
  DT_UINT8,
  GraphBuilder,
  type DType,
  type Signature,
  type TensorSpec
} from './graph-def'

export const SCALARS = 5
export const BETA1 = 0.9
export const BETA2 = 0.999

export interface MlpGraphOptions {
  /** Layer sizes, e.g. [784, 100, 100, 10]. */
  sizes: number[]
  /** Batches per call for each train signature (train_K). */
  blocks: number[]
  dropout: boolean
  /** Keep the training set in the session (count of images), instead of feeding batches. */
  resident: number | null
}

interface Variable {
  handle: string
  shape: number[]
}
interface Layer {
  kernel: Variable
  bias: Variable
  mKernel: Variable
  vKernel: Variable
  mBias: Variable
  vBias: Variable
}

const f = { type: DT_FLOAT } as const
const T = { T: f }

function variable(g: GraphBuilder, name: string, shape: number[], dtype: { type: DType } = f): Variable {
  const handle = g.op(
    'VarHandleOp',
    [],
    { dtype, shape: { shape }, shared_name: { s: name }, container: { s: '' } },
    name
  )
  return { handle, shape }
}

const read = (g: GraphBuilder, v: Variable, after: string[]) =>
  g.op('ReadVariableOp', [v.handle, ...after.map((n) => `^${n}`)], { dtype: f }, `${v.handle}/read`)

const matMul = (g: GraphBuilder, a: string, b: string, ta = false, tb = false) =>
  g.op('MatMul', [a, b], { T: f, transpose_a: { b: ta }, transpose_b: { b: tb } })

const spec = (tensor: string, dtype: TensorSpec['dtype'], shape: number[]): TensorSpec => ({
  tensor,
  dtype,
  shape
})

export function buildMlpGraph(options: MlpGraphOptions): {
  bytes: Uint8Array
  nodes: number
  signatures: Record<string, Signature>
} {
  const { sizes } = options
  const g = new GraphBuilder()
  const layers: Layer[] = []
  for (let i = 0; i + 1 < sizes.length; i++) {
    const k = [sizes[i], sizes[i + 1]]
    const b = [sizes[i + 1]]
    layers.push({
      kernel: variable(g, `w${i}`, k),
      bias: variable(g, `b${i}`, b),
      mKernel: variable(g, `w${i}_m`, k),
      vKernel: variable(g, `w${i}_v`, k),
      mBias: variable(g, `b${i}_m`, b),
      vBias: variable(g, `b${i}_v`, b)
    })
  }
  const signatures: Record<string, Signature> = {}
  const int32 = { type: DT_INT32 } as const
  const PACKED = sizes[0] / 4
  const resident =
    options.resident === null
      ? null
      : {
          images: variable(g, 'train_images', [options.resident, PACKED], int32),
          labels: variable(g, 'train_labels', [options.resident], int32)
        }

  // init: assign the given weights, zero the moments.
  {
    const inputs: Record<string, TensorSpec> = {}
    const assigns: string[] = []
    layers.forEach((layer, i) => {
      for (const [key, v, m, s] of [
        [`w${i}`, layer.kernel, layer.mKernel, layer.vKernel],
        [`b${i}`, layer.bias, layer.mBias, layer.vBias]
      ] as const) {
        const value = g.placeholder(`init/${key}`, DT_FLOAT, v.shape)
        inputs[key] = spec(value, DT_FLOAT, v.shape)
        const zeros = g.op('ZerosLike', [value], T)
        assigns.push(g.op('AssignVariableOp', [v.handle, value], { dtype: f }))
        assigns.push(g.op('AssignVariableOp', [m.handle, zeros], { dtype: f }))
        assigns.push(g.op('AssignVariableOp', [s.handle, zeros], { dtype: f }))
      }
    })
    if (resident) {
      for (const [key, v] of Object.entries(resident)) {
        const value = g.placeholder(`init/${key}`, DT_INT32, v.shape)
        inputs[key] = spec(value, DT_INT32, v.shape)
        assigns.push(g.op('AssignVariableOp', [v.handle, value], { dtype: int32 }))
      }
    }
    const done = g.op('Identity', [g.scalar(0), ...assigns.map((a) => `^${a}`)], T, 'init/done')
    signatures.init = { inputs, outputs: { done: spec(done, DT_FLOAT, []) } }
  }

  // read: the current weights.
  {
    // A dummy input: tfjs-node's runSavedModel expects at least one.
    const token = g.placeholder('read/token', DT_FLOAT, [])
    const outputs: Record<string, TensorSpec> = {}
    layers.forEach((layer, i) => {
      outputs[`w${i}`] = spec(
        g.op('ReadVariableOp', [layer.kernel.handle, `^${token}`], { dtype: f }),
        DT_FLOAT,
        layer.kernel.shape
      )
      outputs[`b${i}`] = spec(
        g.op('ReadVariableOp', [layer.bias.handle, `^${token}`], { dtype: f }),
        DT_FLOAT,
        layer.bias.shape
      )
    })
    signatures.read = { inputs: { token: spec(token, DT_FLOAT, []) }, outputs }
  }

  const beta1 = g.scalar(BETA1, 'beta1')
  const beta2 = g.scalar(BETA2, 'beta2')
  const zeroAxis = g.ints([0], 'axis0')
  const oneAxis = g.op('Const', [], {
    dtype: { type: DT_INT32 },
    value: { ints: { shape: [], values: [1] } }
  })
  const inputSize = sizes[0]
  const classes = sizes[sizes.length - 1]
  const pixelShape = g.ints([-1, inputSize], 'pixel_shape')
  const byteScale = g.scalar(255, 'byte_scale')
  const scalarInt = (value: number, name: string) =>
    g.op('Const', [], { dtype: int32, value: { ints: { shape: [], values: [value] } } }, name)
  const depth = scalarInt(classes, 'classes')
  const one = g.scalar(1, 'one')
  const zero = g.scalar(0, 'zero')

  for (const K of options.blocks) {
    const p = `train_${K}`
    const scalars = g.placeholder(`${p}/scalars`, DT_FLOAT, [K, SCALARS])
    const inputs: Record<string, TensorSpec> = { scalars: spec(scalars, DT_FLOAT, [K, SCALARS]) }
    const fed = (key: string, dtype: typeof DT_FLOAT | typeof DT_INT32, shape: number[]) => {
      const node = g.placeholder(`${p}/${key}`, dtype, shape)
      inputs[key] = spec(node, dtype, shape)
      return node
    }
    const unpack = (tensor: string, dtype: typeof f | typeof int32) => {
      const node = g.op('Unpack', [tensor], { T: dtype, num: { i: K }, axis: { i: 0 } })
      return Array.from({ length: K }, (_, k) => (k === 0 ? node : `${node}:${k}`))
    }
    let xs: string[]
    let ys: string[]
    let ls: string[]
    if (resident) {
      const indices = unpack(fed('indices', DT_INT32, [K, -1]), int32)
      const gather = (v: Variable, idx: string) =>
        g.op('ResourceGather', [v.handle, idx], {
          dtype: int32,
          Tindices: int32,
          batch_dims: { i: 0 },
          validate_indices: { b: true }
        })
      ls = indices.map((idx) => gather(resident.labels, idx))
      xs = indices.map((idx) => {
        const bytes = g.op('Bitcast', [gather(resident.images, idx)], { T: int32, type: { type: DT_UINT8 } })
        const flat = g.op('Reshape', [bytes, pixelShape], { T: { type: DT_UINT8 }, Tshape: int32 })
        const floats = g.op('Cast', [flat], { SrcT: { type: DT_UINT8 }, DstT: f, Truncate: { b: false } })
        return g.op('RealDiv', [floats, byteScale], T)
      })
      ys = ls.map((l) => g.op('OneHot', [l, depth, one, zero], { T: f, TI: int32, axis: { i: -1 } }))
    } else {
      xs = unpack(fed('x', DT_FLOAT, [K, -1, inputSize]), f)
      ys = unpack(fed('y', DT_FLOAT, [K, -1, classes]), f)
      ls = unpack(fed('labels', DT_INT32, [K, -1]), int32)
    }
    const rows = unpack(scalars, f)
    const masks: string[][] = []
    if (options.dropout) {
      for (let i = 0; i + 1 < layers.length; i++) {
        const shape = [K, -1, sizes[i + 1]]
        masks.push(unpack(fed(`mask${i}`, DT_FLOAT, shape), f))
      }
    }
    // The previous step's updates, per layer: the next step reads the weights after them.
    let updates: string[][] = layers.map(() => [])
    const lossSums: string[] = []
    const corrects: string[] = []
    for (let k = 0; k < K; k++) {
      const row = g.op('Unpack', [rows[k]], { T: f, num: { i: SCALARS }, axis: { i: 0 } })
      const [lr, beta1Power, beta2Power, epsilon, invBatch] = Array.from({ length: SCALARS }, (_, j) =>
        j === 0 ? row : `${row}:${j}`
      )
      const kernels = layers.map((l, i) => read(g, l.kernel, updates[i]))
      const biases = layers.map((l, i) => read(g, l.bias, updates[i]))
      // Forward.
      const layerInputs = [xs[k]]
      const activations: string[] = []
      let h = xs[k]
      for (let i = 0; i + 1 < layers.length; i++) {
        const a = g.op('Sigmoid', [g.op('BiasAdd', [matMul(g, h, kernels[i]), biases[i]], T)], T)
        activations.push(a)
        h = options.dropout ? g.op('Mul', [a, masks[i][k]], T) : a
        layerInputs.push(h)
      }
      const last = layers.length - 1
      const logits = g.op('BiasAdd', [matMul(g, h, kernels[last]), biases[last]], T)
      const sce = g.op('SoftmaxCrossEntropyWithLogits', [logits, ys[k]], T)
      lossSums.push(g.op('Sum', [sce, zeroAxis], { T: f, Tidx: { type: DT_INT32 }, keep_dims: { b: false } }))
      const predicted = g.op('ArgMax', [logits, oneAxis], {
        T: f,
        Tidx: { type: DT_INT32 },
        output_type: { type: DT_INT32 }
      })
      const hits = g.op('Cast', [g.op('Equal', [predicted, ls[k]], { T: { type: DT_INT32 } })], {
        SrcT: { type: DT_BOOL },
        DstT: f
      })
      corrects.push(
        g.op('Sum', [hits, zeroAxis], { T: f, Tidx: { type: DT_INT32 }, keep_dims: { b: false } })
      )
      // Backward: delta = (p - y) / B, then through each layer.
      let delta = g.op('Mul', [`${sce}:1`, invBatch], T)
      const next: string[][] = layers.map(() => [])
      for (let i = last; i >= 0; i--) {
        const gradKernel = matMul(g, layerInputs[i], delta, true, false)
        const gradBias = g.op('Sum', [delta, zeroAxis], {
          T: f,
          Tidx: { type: DT_INT32 },
          keep_dims: { b: false }
        })
        if (i > 0) {
          let back = matMul(g, delta, kernels[i], false, true)
          if (options.dropout) back = g.op('Mul', [back, masks[i - 1][k]], T)
          delta = g.op('SigmoidGrad', [activations[i - 1], back], T)
        }
        const layer = layers[i]
        for (const [v, m, s, grad] of [
          [layer.kernel, layer.mKernel, layer.vKernel, gradKernel],
          [layer.bias, layer.mBias, layer.vBias, gradBias]
        ] as const) {
          next[i].push(
            g.op(
              'ResourceApplyAdam',
              [v.handle, m.handle, s.handle, beta1Power, beta2Power, lr, beta1, beta2, epsilon, grad],
              { T: f, use_locking: { b: false }, use_nesterov: { b: false } }
            )
          )
        }
      }
      updates = next
    }
    const sum = (parts: string[]) =>
      parts.length === 1 ? parts[0] : g.op('AddN', parts, { T: f, N: { i: parts.length } })
    const stats = g.op('Pack', [sum(lossSums), sum(corrects)], { T: f, N: { i: 2 }, axis: { i: 0 } })
    const done = g.op('Identity', [stats, ...updates.flat().map((u) => `^${u}`)], T, `${p}/stats`)
    signatures[p] = { inputs, outputs: { stats: spec(done, DT_FLOAT, [2]) } }
  }
  return { bytes: g.toSavedModel(signatures), nodes: g.size, signatures }
}
