/**
 * The graph step: the training step (the paper's MLP or the CNN) run natively by TensorFlow, many batches
 * per call, through tfjs-node's SavedModel support (tf.node.loadSavedModel runs a signature in a TensorFlow
 * session; every signature of one SavedModel path shares that session, so the resource variables holding the
 * weights and Adam's moments persist between calls). The app writes the graph itself (./train-graph.ts with
 * ./mlp-graph.ts or ./cnn-graph.ts) into a temporary folder, loads it and deletes the folder.
 *
 * Without augmentation the training set's bytes live in the session and a call takes only the block's
 * shuffled indices; with augmentation the batches are built in JavaScript and fed. Either way the batches,
 * their order and the random stream (shuffle, dropout seed then augmentation per batch) are the lean
 * step's, one block of up to 100 batches per call; the dropout masks are the lean step's (tf.randomUniform
 * with the same per-layer seeds) and are fed in.
 */
import { tf } from '../../backend'
import { PIXELS, type DigitSet } from '../../data/mnist'
import { CLASSES, sizesOf } from '../../model/mlp'
import { isCnnWeights, paramArrays, withParams, type ModelWeights } from '../../model/weights'
import type { Random } from '../../model/random'
import type { Augmenter } from '../augment'
import { copyImages, fillLabels } from '../tensors'
import type { StepTimes } from './timing'
import type { Signature } from './graph-def'
import { buildCnnGraph } from './cnn-graph'
import { buildMlpGraph } from './mlp-graph'
import { BETA1, BETA2, SCALARS, paramKey } from './train-graph'
import { NativeSession } from './session'

/** Batches per native call, largest first (a block never crosses a report point or the epoch's end). */
export const BLOCKS = [50, 10, 1]
const EPSILON = 1e-7

export interface GraphStepOptions {
  /** The starting weights: the MLP's or the CNN's (the graph is built for their architecture). */
  weights: ModelWeights
  dropout: number
  learningRate: number
  /** The training set to keep in the session (batches gathered there), or null to feed batches. */
  resident: DigitSet | null
  /** Indices of parameters that are not trained. */
  frozen?: readonly number[]
}

/** One block of batches, all of the same size, as the trainer's loop hands it over. */
export interface Block {
  images: Uint8Array
  labels: Uint8Array
  /** The shuffled indices of the block's samples: `batches` × `batchSize` of them. */
  indices: Int32Array
  batches: number
  batchSize: number
  random: Random
  augment: Augmenter | null
  times?: StepTimes
}

export class GraphStep {
  private step = 0
  private learningRate: number
  private disposed = false
  private x = new Float32Array(0)
  private y = new Float32Array(0)
  private ints = new Int32Array(0)

  private constructor(
    private readonly session: NativeSession,
    private readonly signatures: Record<string, Signature>,
    /** The starting weights: their kind and shapes (the values move into the session). */
    private readonly like: ModelWeights,
    /** Units of each dropout mask (the MLP's hidden layers, the CNN's dense layer). */
    private readonly maskUnits: number[],
    private readonly dropout: number,
    private readonly resident: boolean,
    learningRate: number,
    readonly nodes: number
  ) {
    this.learningRate = learningRate
  }

  /** Writes, loads and initialises the graph; throws when tfjs-node cannot run it. */
  static open(options: GraphStepOptions): GraphStep {
    if (tf.getBackend() !== 'tensorflow') {
      throw new Error(`the active backend is ${tf.getBackend()}, not tensorflow`)
    }
    const weights = options.weights
    const resident = options.resident
    const shape = {
      blocks: BLOCKS,
      dropout: options.dropout > 0,
      resident: resident ? resident.count : null,
      frozen: options.frozen
    }
    const cnn = isCnnWeights(weights)
    const sizes = cnn ? [] : sizesOf(weights)
    const { bytes, nodes, signatures } = cnn
      ? buildCnnGraph({ settings: weights.settings, ...shape })
      : buildMlpGraph({ sizes, ...shape })
    const maskUnits = cnn ? [weights.settings.denseUnits] : sizes.slice(1, -1)
    const session = NativeSession.open(bytes)
    try {
      const step = new GraphStep(
        session,
        signatures,
        weights,
        maskUnits,
        options.dropout,
        resident !== null,
        options.learningRate,
        nodes
      )
      step.assign(weights, resident)
      return step
    } catch (error) {
      session.dispose()
      throw error
    }
  }

  private assign(weights: ModelWeights, resident: DigitSet | null): void {
    tf.tidy(() => {
      const feeds: Record<string, tf.Tensor> = {}
      paramArrays(weights).forEach((p, i) => (feeds[paramKey(i)] = tf.tensor(p.values, p.shape, 'float32')))
      if (resident) {
        // The bytes four to an int32 (a view where aligned): the graph unpacks them with Bitcast.
        const bytes = resident.images.subarray(0, resident.count * PIXELS)
        const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice()
        const packed = new Int32Array(aligned.buffer, aligned.byteOffset, bytes.length / 4)
        feeds.images = tf.tensor2d(packed, [resident.count, PIXELS / 4], 'int32')
        feeds.labels = tf.tensor1d(Int32Array.from(resident.labels.subarray(0, resident.count)), 'int32')
      }
      const { done } = this.session.run(this.signatures.init, feeds)
      done.dataSync()
    })
  }

  /** For a learning-rate schedule: Adam's moments carry on, only the step size changes. */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate
  }

  readonly maxBlock = BLOCKS[0]

  /** The most batches (≤ `available`) one call can run. */
  blockLength(available: number): number {
    return BLOCKS.find((k) => k <= available) ?? 1
  }

  private buffers(values: number): void {
    if (this.x.length >= values * PIXELS) return
    this.x = new Float32Array(values * PIXELS)
    this.y = new Float32Array(values * CLASSES)
    this.ints = new Int32Array(values)
  }

  /** Runs one block natively; returns [summed loss, correct answers] over its samples. */
  run(block: Block): tf.Tensor1D {
    const { batches: K, batchSize: B } = block
    const signature = this.signatures[`train_${K}`]
    if (!signature) throw new Error(`no graph signature for blocks of ${K} batches`)
    if (!this.resident) this.buffers(K * B)
    const hidden = this.maskUnits
    const masks = this.dropout > 0 ? hidden.map((h) => new Float32Array(K * B * h)) : []
    const scalars = new Float32Array(K * SCALARS)
    block.times?.startData()
    for (let k = 0; k < K; k++) {
      // The lean step's order of random draws: the dropout seed, then the batch's augmentation.
      const seed = this.dropout > 0 ? block.random.int(2 ** 31) : 0
      if (!this.resident) {
        const indices = block.indices.subarray(k * B, (k + 1) * B)
        const x = this.x.subarray(k * B * PIXELS, (k + 1) * B * PIXELS)
        if (block.augment) block.augment(block.images, indices, x)
        else copyImages(block.images, indices, x)
        fillLabels(
          block.labels,
          indices,
          this.y.subarray(k * B * CLASSES, (k + 1) * B * CLASSES),
          this.ints.subarray(k * B, (k + 1) * B)
        )
      }
      if (this.dropout > 0) {
        hidden.forEach((h, i) =>
          dropoutMask(masks[i].subarray(k * B * h, (k + 1) * B * h), B, h, this.dropout, seed + i)
        )
      }
      const t = ++this.step
      const beta2Power = BETA2 ** t
      scalars.set(
        [this.learningRate, BETA1 ** t, beta2Power, EPSILON * Math.sqrt(1 - beta2Power), 1 / B],
        k * SCALARS
      )
    }
    const feeds: Record<string, tf.Tensor> = this.resident
      ? { indices: tf.tensor2d(block.indices, [K, B], 'int32') }
      : {
          x: tf.tensor3d(this.x.subarray(0, K * B * PIXELS), [K, B, PIXELS]),
          y: tf.tensor3d(this.y.subarray(0, K * B * CLASSES), [K, B, CLASSES]),
          labels: tf.tensor2d(this.ints.subarray(0, K * B), [K, B], 'int32')
        }
    feeds.scalars = tf.tensor2d(scalars, [K, SCALARS])
    masks.forEach((mask, i) => (feeds[`mask${i}`] = tf.tensor3d(mask, [K, B, hidden[i]])))
    block.times?.endData()
    try {
      return this.session.run(signature, feeds).stats as tf.Tensor1D
    } finally {
      tf.dispose(Object.values(feeds))
    }
  }

  /** The parameters as backend tensors, in the trainer's order (call inside tf.tidy). */
  params(): tf.Tensor[] {
    const token = tf.scalar(0)
    const out = this.session.run(this.signatures.read, { token })
    token.dispose()
    return paramArrays(this.like).map((_, i) => out[paramKey(i)])
  }

  /** The current weights copied to JavaScript, of the starting weights' kind. */
  weights(): ModelWeights {
    const params = this.params()
    try {
      return withParams(
        this.like,
        params.map((t) => ({ shape: t.shape, values: new Float32Array(t.dataSync()) }))
      )
    } finally {
      tf.dispose(params)
    }
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.session.dispose()
  }
}

/**
 * The lean step's inverted-dropout mask for one batch (rows × units): tf.randomUniform with the same
 * seed, kept where u > rate, scaled by 1 / (1 - rate) — the same float32 values as step(u - rate) · scale.
 */
export function dropoutMask(
  out: Float32Array,
  rows: number,
  units: number,
  rate: number,
  seed: number
): void {
  const u = tf.tidy(() => tf.randomUniform([rows, units], 0, 1, 'float32', seed).dataSync())
  const keep = Math.fround(rate)
  const scale = Math.fround(1 / (1 - rate))
  for (let i = 0; i < out.length; i++) out[i] = u[i] > keep ? scale : 0
}
