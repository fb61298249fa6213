/**
 * A training step as one TensorFlow graph, for any network whose forward and backward pass are written
 * as graph nodes (./mlp-graph.ts, ./cnn-graph.ts): K batches per call, unrolled, each one the lean step's
 * maths — the network's forward pass, optional inverted-dropout masks fed in, softmax + cross-entropy with
 * dL/dlogits = (p - y) / batch, the network's hand-written backward pass and Adam on every parameter.
 * Parameters and Adam's moments are resource variables that live in the TensorFlow session between calls.
 *
 * Adam: TensorFlow's ResourceApplyAdam computes var -= lr·√(1-β2ᵗ)/(1-β1ᵗ) · m / (√v + ε̂). Feeding
 * ε̂ = ε·√(1-β2ᵗ) makes that exactly the canonical lr·m̂/(√v̂ + ε) the lean step uses (PyTorch's form).
 *
 * Signatures (all in one session, sharing the variables):
 *   init      parameters in (by key), assigns them and zeroes the moments;
 *   train_K   x [K,B,784], y [K,B,10], labels [K,B], scalars [K,5] (lr, β1ᵗ, β2ᵗ, ε̂, 1/B),
 *             mask_i [K,B,units_i] with dropout → stats [2] = [summed loss, correct answers] over the K batches;
 *   read      the parameters (by key).
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

/** The graph's name of parameter i (kernel, bias per layer): w0, b0, w1, b1, … */
export const paramKey = (i: number): string => `${i % 2 === 0 ? 'w' : 'b'}${i >> 1}`

/** One batch's forward pass as graph nodes, with the backward pass that goes with it. */
export interface BatchPass {
  logits: string
  /** From dL/dlogits to each parameter's gradient, in the parameters' order. */
  backward(delta: string): string[]
}

/** What a network brings to the training graph. */
export interface NetworkBody {
  /** Per parameter: its key (the init and read signatures' names) and shape, in the trainer's order. */
  params: { key: string; shape: number[] }[]
  /** Units of each dropout mask, fed as mask_i [K,B,units_i] when dropout is on. */
  masks: number[]
  inputSize: number
  classes: number
  /** x [B,inputSize]; params read after the previous batch's updates; masks [] without dropout. */
  forward(x: string, params: string[], masks: string[]): BatchPass
}

export interface TrainGraphOptions {
  /** Batches per call for each train signature (train_K). */
  blocks: number[]
  dropout: boolean
  /** Keep the training set in the session (count of images), instead of feeding batches. */
  resident: number | null
  /** Indices of parameters that stay as they are (no Adam update; their gradients are never computed). */
  frozen?: readonly number[]
}

export interface TrainGraph {
  bytes: Uint8Array
  nodes: number
  signatures: Record<string, Signature>
}

interface Variable {
  handle: string
  shape: number[]
}

export const FLOAT = { type: DT_FLOAT } as const
export const INT32 = { type: DT_INT32 } as const
export const T = { T: FLOAT }

function variable(g: GraphBuilder, name: string, shape: number[], dtype: { type: DType } = FLOAT): Variable {
  const handle = g.op(
    'VarHandleOp',
    [],
    { dtype, shape: { shape }, shared_name: { s: name }, container: { s: '' } },
    name
  )
  return { handle, shape }
}

export const matMul = (g: GraphBuilder, a: string, b: string, ta = false, tb = false): string =>
  g.op('MatMul', [a, b], { T: FLOAT, transpose_a: { b: ta }, transpose_b: { b: tb } })

/** Sum over these axes (a const node), dropping them. */
export const sumOver = (g: GraphBuilder, tensor: string, axes: string): string =>
  g.op('Sum', [tensor, axes], { T: FLOAT, Tidx: INT32, keep_dims: { b: false } })

const spec = (tensor: string, dtype: TensorSpec['dtype'], shape: number[]): TensorSpec => ({
  tensor,
  dtype,
  shape
})

export function buildTrainGraph(
  makeBody: (g: GraphBuilder) => NetworkBody,
  options: TrainGraphOptions
): TrainGraph {
  const g = new GraphBuilder()
  const body = makeBody(g)
  const params = body.params.map((p) => ({
    key: p.key,
    value: variable(g, p.key, p.shape),
    m: variable(g, `${p.key}_m`, p.shape),
    v: variable(g, `${p.key}_v`, p.shape)
  }))
  const signatures: Record<string, Signature> = {}
  const frozen = new Set(options.frozen ?? [])
  const PACKED = body.inputSize / 4
  const resident =
    options.resident === null
      ? null
      : {
          images: variable(g, 'train_images', [options.resident, PACKED], INT32),
          labels: variable(g, 'train_labels', [options.resident], INT32)
        }

  // init: assign the given parameters, zero the moments.
  {
    const inputs: Record<string, TensorSpec> = {}
    const assigns: string[] = []
    for (const { key, value: v, m, v: s } of params) {
      const value = g.placeholder(`init/${key}`, DT_FLOAT, v.shape)
      inputs[key] = spec(value, DT_FLOAT, v.shape)
      const zeros = g.op('ZerosLike', [value], T)
      assigns.push(g.op('AssignVariableOp', [v.handle, value], { dtype: FLOAT }))
      assigns.push(g.op('AssignVariableOp', [m.handle, zeros], { dtype: FLOAT }))
      assigns.push(g.op('AssignVariableOp', [s.handle, zeros], { dtype: FLOAT }))
    }
    if (resident) {
      for (const [key, v] of Object.entries(resident)) {
        const value = g.placeholder(`init/${key}`, DT_INT32, v.shape)
        inputs[key] = spec(value, DT_INT32, v.shape)
        assigns.push(g.op('AssignVariableOp', [v.handle, value], { dtype: INT32 }))
      }
    }
    const done = g.op('Identity', [g.scalar(0), ...assigns.map((a) => `^${a}`)], T, 'init/done')
    signatures.init = { inputs, outputs: { done: spec(done, DT_FLOAT, []) } }
  }

  // read: the current parameters.
  {
    // A dummy input: tfjs-node's runSavedModel expects at least one.
    const token = g.placeholder('read/token', DT_FLOAT, [])
    const outputs: Record<string, TensorSpec> = {}
    for (const { key, value } of params) {
      outputs[key] = spec(
        g.op('ReadVariableOp', [value.handle, `^${token}`], { dtype: FLOAT }),
        DT_FLOAT,
        value.shape
      )
    }
    signatures.read = { inputs: { token: spec(token, DT_FLOAT, []) }, outputs }
  }

  const beta1 = g.scalar(BETA1, 'beta1')
  const beta2 = g.scalar(BETA2, 'beta2')
  const zeroAxis = g.ints([0], 'axis0')
  const scalarInt = (value: number, name: string) =>
    g.op('Const', [], { dtype: INT32, value: { ints: { shape: [], values: [value] } } }, name)
  const oneAxis = scalarInt(1, 'axis1')
  const { inputSize, classes } = body
  const pixelShape = g.ints([-1, inputSize], 'pixel_shape')
  const byteScale = g.scalar(255, 'byte_scale')
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
    const unpack = (tensor: string, dtype: typeof FLOAT | typeof INT32) => {
      const node = g.op('Unpack', [tensor], { T: dtype, num: { i: K }, axis: { i: 0 } })
      return Array.from({ length: K }, (_, k) => (k === 0 ? node : `${node}:${k}`))
    }
    let xs: string[]
    let ys: string[]
    let ls: string[]
    if (resident) {
      const indices = unpack(fed('indices', DT_INT32, [K, -1]), INT32)
      const gather = (v: Variable, idx: string) =>
        g.op('ResourceGather', [v.handle, idx], {
          dtype: INT32,
          Tindices: INT32,
          batch_dims: { i: 0 },
          validate_indices: { b: true }
        })
      ls = indices.map((idx) => gather(resident.labels, idx))
      xs = indices.map((idx) => {
        const bytes = g.op('Bitcast', [gather(resident.images, idx)], { T: INT32, type: { type: DT_UINT8 } })
        const flat = g.op('Reshape', [bytes, pixelShape], { T: { type: DT_UINT8 }, Tshape: INT32 })
        const floats = g.op('Cast', [flat], { SrcT: { type: DT_UINT8 }, DstT: FLOAT, Truncate: { b: false } })
        return g.op('RealDiv', [floats, byteScale], T)
      })
      ys = ls.map((l) => g.op('OneHot', [l, depth, one, zero], { T: FLOAT, TI: INT32, axis: { i: -1 } }))
    } else {
      xs = unpack(fed('x', DT_FLOAT, [K, -1, inputSize]), FLOAT)
      ys = unpack(fed('y', DT_FLOAT, [K, -1, classes]), FLOAT)
      ls = unpack(fed('labels', DT_INT32, [K, -1]), INT32)
    }
    const rows = unpack(scalars, FLOAT)
    const masks = options.dropout
      ? body.masks.map((units, i) => unpack(fed(`mask${i}`, DT_FLOAT, [K, -1, units]), FLOAT))
      : []
    // The previous step's update of each parameter: the next step reads it after that update.
    let updates: (string | null)[] = params.map(() => null)
    const lossSums: string[] = []
    const corrects: string[] = []
    for (let k = 0; k < K; k++) {
      const row = g.op('Unpack', [rows[k]], { T: FLOAT, num: { i: SCALARS }, axis: { i: 0 } })
      const [lr, beta1Power, beta2Power, epsilon, invBatch] = Array.from({ length: SCALARS }, (_, j) =>
        j === 0 ? row : `${row}:${j}`
      )
      const values = params.map(({ value }, i) => {
        const after = updates[i]
        return g.op(
          'ReadVariableOp',
          [value.handle, ...(after ? [`^${after}`] : [])],
          { dtype: FLOAT },
          `${value.handle}/read`
        )
      })
      const pass = body.forward(
        xs[k],
        values,
        masks.map((m) => m[k])
      )
      const sce = g.op('SoftmaxCrossEntropyWithLogits', [pass.logits, ys[k]], T)
      lossSums.push(sumOver(g, sce, zeroAxis))
      const predicted = g.op('ArgMax', [pass.logits, oneAxis], {
        T: FLOAT,
        Tidx: INT32,
        output_type: INT32
      })
      const hits = g.op('Cast', [g.op('Equal', [predicted, ls[k]], { T: INT32 })], {
        SrcT: { type: DT_BOOL },
        DstT: FLOAT
      })
      corrects.push(sumOver(g, hits, zeroAxis))
      // Backward: delta = (p - y) / B, then the network's own pass; Adam on every parameter.
      const grads = pass.backward(g.op('Mul', [`${sce}:1`, invBatch], T))
      updates = params.map(({ value, m, v }, i) =>
        frozen.has(i)
          ? null
          : g.op(
              'ResourceApplyAdam',
              [value.handle, m.handle, v.handle, beta1Power, beta2Power, lr, beta1, beta2, epsilon, grads[i]],
              { T: FLOAT, use_locking: { b: false }, use_nesterov: { b: false } }
            )
      )
    }
    const sum = (parts: string[]) =>
      parts.length === 1 ? parts[0] : g.op('AddN', parts, { T: FLOAT, N: { i: parts.length } })
    const stats = g.op('Pack', [sum(lossSums), sum(corrects)], { T: FLOAT, N: { i: 2 }, axis: { i: 0 } })
    const applied = updates.filter((u): u is string => u !== null)
    const done = g.op('Identity', [stats, ...applied.map((u) => `^${u}`)], T, `${p}/stats`)
    signatures[p] = { inputs, outputs: { stats: spec(done, DT_FLOAT, [2]) } }
  }
  return { bytes: g.toSavedModel(signatures), nodes: g.size, signatures }
}
