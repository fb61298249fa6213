/**
 * One training run from request to saved model: load MNIST, train, and after every epoch save the
 * model so far (so a cancel keeps the last completed epoch). Used by the training worker process and
 * by the CLI, so both behave the same.
 */
import path from 'node:path'
import type { BackendName } from '../../shared/schemas/models'
import {
  HyperparametersSchema,
  type Hyperparameters,
  type KeptModel,
  type TrainingEvent,
  type TrainingStatus
} from '../../shared/schemas/training'
import { selectBackend, type BackendPreference } from '../backend'
import { firstDigits, loadMnist, type DigitSet } from '../data/mnist'
import { buildMetadata } from '../models/metadata'
import { ModelStore, slugify } from '../models/store'
import { assertModelTarget, readMetadata, writeModelFolder } from '../models/format'
import type { StepChoice, StepPreference } from './graph'
import { train, type TrainingControl } from './trainer'
import type { ModelMetadata } from '../../shared/schemas/models'
import { calibrateOnMnist } from '../calibration/fit'
import { readModelFolder } from '../models/format'
import { PersonalStore } from '../personal/store'
import { tuneModel } from '../personal/tune'
import { createRunner, featureLayerOf, type ModelWeights } from '../model/weights'
import type { Detector } from '../calibration/detector'

type HyperparametersInput = Parameters<typeof HyperparametersSchema.parse>[0]

export interface TrainingJob {
  hyperparameters?: Partial<Hyperparameters> | HyperparametersInput
  mnistFolder: string
  trainSubset?: number
  testSubset?: number
  name?: string
  backend?: BackendPreference
  /** The graph step (many batches per native call, tfjs-node) or the lean step; default auto. */
  step?: StepPreference
  /** Save into this model library (under a fresh id, or `modelId`)… */
  modelsDir?: string
  modelId?: string
  /** …or into exactly this folder (the CLI's --out). */
  outFolder?: string
  /** Set for "teach": fine-tune this model on the personal collection instead of training from scratch. */
  tune?: {
    baseFolder: string
    baseId: string
    /** The data folder that holds the personal collection. */
    dataDir: string
    epochs?: number
  }
}

export interface JobResult {
  status: TrainingStatus
  backend: BackendName
  /** Which training step ran (the graph step, or the lean step and why). */
  step: StepChoice
  testAccuracy: number | null
  epochsCompleted: number
}

export interface JobCallbacks {
  onEvent(event: TrainingEvent): void
  log?(line: string): void
  control?: TrainingControl
}

/**
 * The training images to calibrate on: after a training subset, the images of the file the model never saw
 * (up to 5,000 from its end); after all of them, the last 5,000 (trained on, shown freshly augmented).
 */
function heldOutTraining(file: DigitSet, trained: number): { set: DigitSet; count: number } {
  const unseen = file.count - trained
  return unseen > 0
    ? { set: file, count: Math.min(5000, unseen) }
    : { set: firstDigits(file, trained), count: 5000 }
}

export async function runTrainingJob(job: TrainingJob, callbacks: JobCallbacks): Promise<JobResult> {
  if (job.tune) return runTuningJob(job, job.tune, callbacks)
  const { onEvent } = callbacks
  const log = callbacks.log ?? (() => {})
  let trainingStep: StepChoice['kind'] | null = null
  const status = (state: TrainingStatus['state'], message?: string, kept?: KeptModel): TrainingStatus => {
    const event: TrainingStatus = {
      kind: 'status',
      state,
      ...(message ? { message } : {}),
      ...(trainingStep ? { trainingStep } : {}),
      ...(kept ? { modelId: kept.id, kept } : {})
    }
    onEvent(event)
    return event
  }
  const hp = HyperparametersSchema.parse(job.hyperparameters ?? {})
  const backend = await selectBackend(job.backend ?? 'auto')
  log(`backend: ${backend.detail}`)
  // Where the model goes is settled before the data loads: --out must be new, empty or a model folder, and a
  // library id is reserved now, so nothing saved meanwhile under the same name is replaced at epoch 1.
  const name =
    job.name ??
    (hp.architecture === 'cnn'
      ? `CNN ${hp.cnn.filters.join('-')}-${hp.cnn.denseUnits} · ${hp.epochs} epochs · seed ${hp.seed}`
      : `MLP ${hp.hiddenUnits.join('-')} · ${hp.epochs} epochs · seed ${hp.seed}`)
  const store = job.modelsDir ? new ModelStore({ dir: job.modelsDir }) : null
  if (job.outFolder) await assertModelTarget(job.outFolder)
  const modelId = job.outFolder
    ? slugify(path.basename(job.outFolder))
    : (job.modelId ?? (await (store as ModelStore).newId(name)))
  const folder = job.outFolder ?? (store as ModelStore).folderOf(modelId)
  let saved = false
  const release = async (): Promise<void> => {
    if (!saved && !job.outFolder && !job.modelId) await store?.releaseId(modelId)
  }
  const releaseAndThrow = async (error: unknown): Promise<never> => {
    await release()
    throw error
  }

  // The reserved id goes with this status, so a worker cancelled while loading can give it back.
  onEvent({
    kind: 'status',
    state: 'loading-data',
    message: `Loading MNIST from ${job.mnistFolder}`,
    ...(job.outFolder ? {} : { modelId })
  })
  // All training images are read (the file is read whole either way): those after a subset calibrate it.
  const data = await loadMnist(job.mnistFolder, { testLimit: job.testSubset }).catch(releaseAndThrow)
  const trainSet = firstDigits(data.train, job.trainSubset)
  log(`MNIST: ${trainSet.count} training and ${data.test.count} test images`)
  let currentName = name
  let deleted = false

  let lastSave: { metadata: ModelMetadata; weights: ModelWeights } | null = null
  const save = async (weights: ModelWeights, metadata: ModelMetadata, detector: Detector | null = null) => {
    if (job.outFolder) await writeModelFolder(job.outFolder, weights, metadata, detector)
    else await (store as ModelStore).save(modelId, weights, metadata, detector)
    lastSave = { metadata, weights }
    saved = true
  }

  const started = performance.now()
  const result = await train({
    step: job.step,
    onStep: (choice) => {
      log(`training step: ${choice.detail}`)
      trainingStep = choice.kind
      status('running', `Training on ${backend.name}, ${choice.kind} step`)
    },
    hyperparameters: hp,
    train: trainSet,
    test: data.test,
    control: callbacks.control,
    onProgress: onEvent,
    onEpoch: async ({ summary, weights }) => {
      onEvent(summary)
      // Renamed or deleted by the user since the last epoch: keep the new name, never bring it back.
      const current = saved && !deleted ? await readMetadata(folder).catch(() => null) : null
      if (saved && current === null && !deleted) {
        deleted = true
        log(`${folder} was deleted during training; later epochs are not saved`)
      }
      if (deleted) return
      currentName = current?.name ?? currentName
      const metadata = buildMetadata({
        id: modelId,
        name: currentName,
        hyperparameters: { ...hp, epochs: summary.epoch },
        epochsCompleted: summary.epoch,
        trainSamples: trainSet.count,
        dataChecksums: data.checksums,
        testAccuracy: summary.testAccuracy,
        testLoss: summary.testLoss,
        backend: backend.name,
        trainingSeconds: (performance.now() - started) / 1000
      })
      await save(weights, metadata)
    }
  }).catch(releaseAndThrow)
  await release()
  // The kept model's temperature for the "not sure" flag, fitted on held-out MNIST training images.
  const last = lastSave as { metadata: ModelMetadata; weights: ModelWeights } | null
  if (last && !deleted && !callbacks.control?.cancelled()) {
    status('saving', 'Calibrating the confidences')
    const runner = createRunner(last.weights)
    try {
      const heldOut = heldOutTraining(data.train, trainSet.count)
      const { calibration, detector } = await calibrateOnMnist(runner, heldOut.set, {
        count: heldOut.count,
        layer: featureLayerOf(last.weights)
      })
      log(
        `calibration: temperature ${calibration.temperature.toFixed(3)} (${calibration.source}); ` +
          (detector
            ? `"not a digit" detector threshold ${detector.info.threshold.toPrecision(4)}`
            : 'too few held-out digits for the "not a digit" detector')
      )
      const current = await readMetadata(folder).catch(() => null)
      const name = current?.name ?? last.metadata.name
      await save(last.weights, { ...last.metadata, name, calibration }, detector)
    } finally {
      runner.dispose()
    }
  }
  const testAccuracy = result.lastEpoch?.testAccuracy ?? null
  const kept: KeptModel = {
    id: modelId,
    name: currentName,
    epochsCompleted: result.epochsCompleted,
    epochsPlanned: hp.epochs
  }
  const final = result.cancelled
    ? saved
      ? status(
          'cancelled',
          `Cancelled; kept "${currentName}" after epoch ${result.epochsCompleted} of ${hp.epochs}`,
          kept
        )
      : status('cancelled', 'Cancelled before the first epoch ended: no model was saved')
    : status(
        'done',
        `Trained ${result.epochsCompleted} epochs in ${result.seconds.toFixed(1)} s; saved as "${currentName}"`,
        kept
      )
  return {
    status: final,
    backend: backend.name,
    step: result.step,
    testAccuracy,
    epochsCompleted: result.epochsCompleted
  }
}

/** "Teach" in the training process: the personal collection, mixed with MNIST, fine-tunes a copy of a model. */
async function runTuningJob(
  job: TrainingJob,
  tune: NonNullable<TrainingJob['tune']>,
  callbacks: JobCallbacks
): Promise<JobResult> {
  const { onEvent } = callbacks
  const backend = await selectBackend(job.backend ?? 'auto')
  callbacks.log?.(`backend: ${backend.detail}`)
  onEvent({ kind: 'status', state: 'loading-data', message: `Loading MNIST from ${job.mnistFolder}` })
  const { samples, problems } = await new PersonalStore(tune.dataDir).trainingSamples()
  for (const problem of problems) callbacks.log?.(`skipped ${problem.file}: ${problem.reason}`)
  const base = await readModelFolder(tune.baseFolder)
  const mnist = await loadMnist(job.mnistFolder)
  const { report, status, step } = await tuneModel({
    base: { id: tune.baseId, ...base },
    samples,
    mnist,
    epochs: tune.epochs,
    name: job.name,
    hyperparameters: job.hyperparameters as Partial<Hyperparameters> | undefined,
    store: new ModelStore({ dir: job.modelsDir as string }),
    backend: backend.name,
    onEvent,
    control: callbacks.control
  })
  const final: TrainingStatus = { ...status, tuning: report }
  onEvent(final)
  return {
    status: final,
    backend: backend.name,
    step,
    testAccuracy: report.after.mnistTest,
    epochsCompleted: report.epochs
  }
}
