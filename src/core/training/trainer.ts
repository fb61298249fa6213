/**
 * The lean trainer, for every architecture (./architecture.ts: the paper's MLP with a hand-written
 * forward and backward pass, or the CNN through autodiff). Each batch is one tf.tidy with the forward and
 * backward pass, one Adam update over a single flat parameter vector,
 * and no reads back to JavaScript except every `reportEvery` batches for the paper's progress line
 * (section 2.2). Batches are built in JavaScript from the MNIST bytes and uploaded (one upload per batch):
 * measured as fast as gathering from a training set kept on the backend, without its 188 MB float copy
 * (DIGIT_STUDIO_BATCHES=backend selects the gather path for comparison). The test set stays on the backend.
 */
import type { BatchProgress, EpochSummary, Hyperparameters } from '../../shared/schemas/training'
import { tf } from '../backend'
import { PIXELS, type DigitSet } from '../data/mnist'
import { CLASSES } from '../model/mlp'
import { Random } from '../model/random'
import { paramArrays, withParams, type ModelWeights } from '../model/weights'
import { softmaxCrossEntropy } from '../backend/native-ops'
import { architectureFor, batchStats, type TrainableArchitecture } from './architecture'
import { createAugmenter } from './augment'
import { FlatParameters } from './flat-params'
import { WeightAverage } from './weight-average'
import { copyImages, fillLabels, toBackendSet, type BackendSet } from './tensors'
import { openTrainingStep, type GraphStep, type StepChoice, type StepPreference } from './graph'
import { StepTimes, type EpochTimes } from './graph/timing'

export interface TrainingControl {
  /** True once the run should stop at the next batch boundary. */
  cancelled(): boolean
  /** Resolves when the run may continue (immediately unless paused). */
  waitWhilePaused(): Promise<void>
}

export interface EpochResult {
  summary: EpochSummary
  weights: ModelWeights
  /** Where the epoch's training time went (for the benchmark). */
  times: EpochTimes
}

export interface TrainOptions {
  hyperparameters: Hyperparameters
  train: DigitSet
  test: DigitSet
  onProgress?: (event: BatchProgress) => void
  /** Called after every epoch with that epoch's weights (e.g. to save the last good model). */
  onEpoch?: (result: EpochResult) => void | Promise<void>
  control?: TrainingControl
  /** Start from these weights instead of a seeded initialisation. */
  initialWeights?: ModelWeights
  /** Let other work (IPC messages) run every this many batches. */
  yieldEvery?: number
  /** The graph step (many batches per native call, tfjs-node only) or the lean step; default auto. */
  step?: StepPreference
  /** Told which step runs, before the first batch. */
  onStep?: (choice: StepChoice) => void
  /** Indices of parameter tensors (kernel, bias per layer, in order) kept as they are (fine-tuning). */
  frozen?: readonly number[]
}

export interface TrainResult {
  weights: ModelWeights
  epochsCompleted: number
  cancelled: boolean
  lastEpoch: EpochSummary | null
  seconds: number
  step: StepChoice
}

const now = () => performance.now() / 1000
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Average loss and accuracy of the parameters on a set already on the backend. */
export function evaluateOnBackend(
  set: BackendSet,
  params: tf.Tensor[],
  architecture: Pick<TrainableArchitecture, 'logits' | 'evalChunk'>
): { loss: number; accuracy: number } {
  const chunk = architecture.evalChunk
  let totals = tf.zeros([2]) as tf.Tensor1D
  for (let start = 0; start < set.count; start += chunk) {
    const size = Math.min(chunk, set.count - start)
    const next = tf.tidy(() => {
      const x = set.images.slice(start, size)
      const logits = architecture.logits(x, params)
      const { loss } = softmaxCrossEntropy(logits, set.oneHot.slice(start, size))
      const stats = batchStats(loss, logits, set.labels.slice(start, size))
      return tf.add(totals, stats) as tf.Tensor1D
    })
    totals.dispose()
    totals = next
  }
  const [loss, correct] = totals.dataSync()
  totals.dispose()
  return { loss: loss / set.count, accuracy: correct / set.count }
}

/** Test loss and accuracy of weights other than the ones being trained. */
function evaluateWeights(
  set: BackendSet,
  weights: ModelWeights,
  architecture: TrainableArchitecture
): { loss: number; accuracy: number } {
  const tensors = paramArrays(weights).map((p) => tf.tensor(p.values, p.shape, 'float32'))
  try {
    return tf.tidy(() => evaluateOnBackend(set, tensors, architecture))
  } finally {
    tf.dispose(tensors)
  }
}

/** The learning rate of an epoch (1-based): constant, or a half cosine from learningRate to finalLearningRate. */
export function learningRateAt(
  hp: Pick<Hyperparameters, 'learningRate' | 'finalLearningRate' | 'epochs'>,
  epoch: number
): number {
  if (hp.finalLearningRate === null || hp.epochs <= 1) return hp.learningRate
  const progress = (epoch - 1) / (hp.epochs - 1)
  return (
    hp.finalLearningRate + ((hp.learningRate - hp.finalLearningRate) * (1 + Math.cos(Math.PI * progress))) / 2
  )
}

/** The graph step's block at this batch: full batches up to the next report point; a last short batch alone. */
function graphBlock(graph: GraphStep, batch: number, fullBatches: number, reportEvery: number): number {
  if (batch >= fullBatches) return 1
  return graph.blockLength(Math.min(fullBatches - batch, reportEvery - (batch % reportEvery)))
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const hp = options.hyperparameters
  const started = now()
  const random = new Random(hp.seed)
  const architecture = architectureFor(hp, options.initialWeights)
  const weights0 = options.initialWeights ?? architecture.init(hp)
  // The step-selection point: the graph step where it loads (blocks of batches, one native call each; the
  // MLP or the CNN), else the lean step below (any architecture, any backend).
  const augment = createAugmenter(hp.augmentation, random, options.train.labels)
  const { graph, choice } = await openTrainingStep(options.step ?? 'auto', {
    weights: weights0,
    dropout: hp.dropout,
    learningRate: hp.learningRate,
    resident: augment ? null : options.train,
    frozen: options.frozen,
    batches: Math.ceil(options.train.count / Math.min(hp.batchSize, options.train.count)) * hp.epochs
  })
  options.onStep?.(choice)
  const lean = graph ? null : new FlatParameters(paramArrays(weights0), { learningRate: hp.learningRate })
  const params = graph ?? (lean as FlatParameters)
  const frozen = options.frozen ?? []
  const averaging = hp.averageLastEpochs > 0 ? new WeightAverage() : null
  const jsBatches = graph !== null || augment !== null || process.env.DIGIT_STUDIO_BATCHES !== 'backend'
  const trainCount = options.train.count
  const trainSet = jsBatches ? null : toBackendSet(options.train)
  const testSet = toBackendSet(options.test)
  const batchSize = Math.min(hp.batchSize, trainCount)
  const batchesPerEpoch = Math.ceil(trainCount / batchSize)
  const totalBatches = batchesPerEpoch * hp.epochs
  const batchX = new Float32Array(jsBatches ? batchSize * PIXELS : 0)
  const batchOneHot = new Float32Array(jsBatches ? batchSize * CLASSES : 0)
  const batchLabels = new Int32Array(jsBatches ? batchSize : 0)
  const yieldEvery = options.yieldEvery ?? Math.min(10, hp.reportEvery)
  const times = new StepTimes()
  // The paper's cadence (every reportEvery batches) wherever it gives a curve (5 or more points an epoch);
  // small runs get about 10 points an epoch instead of one.
  const reportInterval =
    batchesPerEpoch >= 5 * hp.reportEvery
      ? hp.reportEvery
      : Math.max(1, Math.min(hp.reportEvery, Math.floor(batchesPerEpoch / 10)))
  // Time spent paused is not training time (epoch seconds, speed and ETA leave it out).
  let pausedTotal = 0
  let step = 0
  let lastEpoch: EpochSummary | null = null
  let epochsCompleted = 0
  let cancelled = false
  let lastGood: ModelWeights | null = null

  try {
    // Step 0: the untrained model, so that a curve starts where training does.
    const initial = tf.tidy(() =>
      evaluateOnBackend(testSet, graph ? graph.params() : (lean as FlatParameters).tensors(), architecture)
    )
    options.onProgress?.({
      kind: 'batch',
      step: 0,
      epoch: 1,
      batchInEpoch: 0,
      batchesPerEpoch,
      loss: initial.loss,
      accuracy: initial.accuracy,
      samplesPerSecond: 0,
      etaSeconds: 0
    })
    for (let epoch = 1; epoch <= hp.epochs && !cancelled; epoch++) {
      const epochStart = now()
      const pausedBefore = pausedTotal
      params.setLearningRate(learningRateAt(hp, epoch))
      const order = random.permutation(trainCount)
      const perm = jsBatches ? null : tf.tensor1d(order, 'int32')
      let totals = tf.zeros([2]) as tf.Tensor1D
      let window = { at: now(), batch: 0, loss: 0, correct: 0, samples: 0 }
      let seen = 0
      for (let batch = 0; batch < batchesPerEpoch; batch++) {
        const start = batch * batchSize
        const block = graph ? graphBlock(graph, batch, Math.floor(trainCount / batchSize), reportInterval) : 0
        const size = Math.min((block || 1) * batchSize, trainCount - start)
        const dropoutSeed = hp.dropout > 0 && !block ? random.int(2 ** 31) : null
        const indices = order.subarray(start, start + size)
        times.startStep()
        const next = tf.tidy(() => {
          if (graph) {
            const blockSet = { ...options.train, indices, batches: block, batchSize: size / block }
            return tf.add(totals, graph.run({ ...blockSet, random, augment, times })) as tf.Tensor1D
          }
          let x: tf.Tensor2D
          let oneHot: tf.Tensor2D
          let labels: tf.Tensor1D
          if (jsBatches) {
            // Batches built in JavaScript from the bytes: one upload each, and the 188 MB float copy of
            // the training set never exists (peak memory stays well under 1 GiB).
            times.startData()
            if (augment) augment(options.train.images, indices, batchX)
            else copyImages(options.train.images, indices, batchX)
            fillLabels(options.train.labels, indices, batchOneHot, batchLabels)
            x = tf.tensor2d(batchX.subarray(0, size * PIXELS), [size, PIXELS])
            oneHot = tf.tensor2d(batchOneHot.subarray(0, size * CLASSES), [size, CLASSES])
            labels = tf.tensor1d(batchLabels.subarray(0, size), 'int32')
            times.endData()
          } else {
            const idx = (perm as tf.Tensor1D).slice(start, size)
            x = tf.gather((trainSet as BackendSet).images, idx) as tf.Tensor2D
            oneHot = tf.gather((trainSet as BackendSet).oneHot, idx) as tf.Tensor2D
            labels = tf.gather((trainSet as BackendSet).labels, idx) as tf.Tensor1D
          }
          const { grads, stats } = architecture.gradients(
            x,
            oneHot,
            labels,
            (lean as FlatParameters).tensors(),
            hp.dropout,
            dropoutSeed
          )
          // A frozen parameter's gradient is zero: Adam's moments stay zero and so does its update.
          for (const i of frozen) grads[i] = tf.zerosLike(grads[i])
          ;(lean as FlatParameters).applyAdam(grads)
          return tf.add(totals, stats) as tf.Tensor1D
        })
        times.endStep()
        totals.dispose()
        totals = next
        step += block || 1
        seen += size
        batch += (block || 1) - 1
        if ((batch + 1) % reportInterval === 0 || batch + 1 === batchesPerEpoch) {
          const [loss, correct] = totals.dataSync()
          const samples = seen - window.samples
          const t = now()
          const elapsed = t - started - pausedTotal
          options.onProgress?.({
            kind: 'batch',
            step,
            epoch,
            batchInEpoch: batch + 1,
            batchesPerEpoch,
            // The average over the batches since the last report (the paper prints it every 100 batches).
            loss: (loss - window.loss) / samples,
            accuracy: (correct - window.correct) / samples,
            samplesPerSecond: samples / Math.max(t - window.at, 1e-9),
            etaSeconds: (elapsed / step) * (totalBatches - step)
          })
          window = { at: t, batch: batch + 1, loss, correct, samples: seen }
        }
        if ((batch + 1) % yieldEvery === 0 || block > 1) {
          await nextTick()
          const waitStart = now()
          await options.control?.waitWhilePaused()
          const pausedFor = now() - waitStart
          pausedTotal += pausedFor
          window.at += pausedFor
          if (options.control?.cancelled()) {
            cancelled = true
            break
          }
        }
      }
      perm?.dispose()
      if (cancelled) {
        totals.dispose()
        break
      }
      const [lossSum, correctSum] = totals.dataSync()
      const epochTimes = times.take()
      totals.dispose()
      // Within the averaging window the model is the mean of the epoch-end weights so far.
      const current = graph ? graph.weights() : withParams(weights0, (lean as FlatParameters).arrays())
      const averaged = averaging && epoch > hp.epochs - hp.averageLastEpochs ? averaging.add(current) : null
      const test = averaged
        ? evaluateWeights(testSet, averaged, architecture)
        : tf.tidy(() =>
            evaluateOnBackend(
              testSet,
              graph ? graph.params() : (lean as FlatParameters).tensors(),
              architecture
            )
          )
      epochsCompleted = epoch
      const elapsed = now() - started - pausedTotal
      lastEpoch = {
        kind: 'epoch',
        epoch,
        step,
        trainLoss: lossSum / seen,
        trainAccuracy: correctSum / seen,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        seconds: now() - epochStart - (pausedTotal - pausedBefore),
        etaSeconds: (elapsed / epoch) * (hp.epochs - epoch)
      }
      lastGood = averaged ?? current
      await options.onEpoch?.({ summary: lastEpoch, weights: lastGood, times: epochTimes })
      await nextTick()
      if (options.control?.cancelled()) cancelled = epoch < hp.epochs
    }
  } finally {
    params.dispose()
    trainSet?.dispose()
    testSet.dispose()
  }
  return {
    weights: lastGood ?? weights0,
    epochsCompleted,
    cancelled,
    lastEpoch,
    seconds: now() - started,
    step: choice
  }
}
