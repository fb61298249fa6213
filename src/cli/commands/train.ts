import { parseCommandArgs } from '../parse-args'
import { resolveUserPath } from '../../core/paths'
import {
  AugmentationSchema,
  HyperparametersSchema,
  TestSubsetSchema,
  TrainSubsetSchema,
  type TrainingEvent
} from '../../shared/schemas/training'
import { runTrainingJob } from '../../core/training/job'
import { parseBackendOption } from '../backend-option'
import { defaultMnistDir, defaultModelsDir } from '../defaults'
import { percent, printJson, progressBar, schemaOption } from '../output'
import { UsageError, type CliCommand } from '../types'

const USAGE =
  'digit-studio train [--arch mlp|cnn] [--mnist DIR] [--epochs N] [--seed S] [--out MODEL_DIR] [--json] [--dropout R] ' +
  '[--augment affine,elastic,thickness,slant,aspect,breaks,crop,styles|none] [--train-limit N] [--test-limit N] [--backend auto|tensorflow|wasm|cpu] [--step auto|graph|lean] ' +
  '[--learning-rate LR] [--final-learning-rate LR] [--average-last N] [--batch-size N] [--report-every N] [--elastic-alpha A] [--elastic-sigma S] [--name NAME]'

const AUGMENT_KINDS = [
  'affine',
  'elastic',
  'thickness',
  'slant',
  'aspect',
  'breaks',
  'crop',
  'styles',
  'none'
]

export function parseAugment(value: string | undefined) {
  const parts = (value ?? 'none')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  for (const p of parts) {
    if (!AUGMENT_KINDS.includes(p)) throw new UsageError(`--augment: unknown kind '${p}'`)
  }
  return {
    affine: parts.includes('affine'),
    elastic: parts.includes('elastic'),
    thickness: parts.includes('thickness'),
    slant: parts.includes('slant'),
    aspect: parts.includes('aspect'),
    strokeBreaks: parts.includes('breaks'),
    crop: parts.includes('crop'),
    styles: parts.includes('styles')
  }
}

function parseArch(value: string | undefined): 'mlp' | 'cnn' {
  if (value === undefined || value === 'mlp' || value === 'cnn') return value ?? 'mlp'
  throw new UsageError(`--arch: expected mlp or cnn, got '${value}'`)
}

export const command: CliCommand = {
  name: 'train',
  usage: USAGE,
  summary: "Train the paper's 784-100-100-10 MLP (or, with --arch cnn, the CNN) on MNIST and save the model.",
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      {
        arch: { type: 'string' },
        mnist: { type: 'string' },
        epochs: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        dropout: { type: 'string' },
        augment: { type: 'string' },
        'train-limit': { type: 'string' },
        'test-limit': { type: 'string' },
        backend: { type: 'string' },
        step: { type: 'string' },
        'learning-rate': { type: 'string' },
        'final-learning-rate': { type: 'string' },
        'average-last': { type: 'string' },
        'batch-size': { type: 'string' },
        'report-every': { type: 'string' },
        'elastic-alpha': { type: 'string' },
        'elastic-sigma': { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', default: false }
      },
      `${USAGE}\n`,
      io,
      false
    )
    if (!parsed) return 0
    const { values } = parsed
    const augment = parseAugment(values.augment)
    // Every bound comes from the schema the UI uses too.
    const hp = HyperparametersSchema.shape
    const aug = AugmentationSchema.shape
    const hyperparameters = HyperparametersSchema.parse({
      architecture: parseArch(values.arch),
      epochs: schemaOption(values.epochs, 'epochs', hp.epochs),
      seed: schemaOption(values.seed, 'seed', hp.seed),
      dropout: schemaOption(values.dropout, 'dropout', hp.dropout),
      learningRate: schemaOption(values['learning-rate'], 'learning-rate', hp.learningRate),
      finalLearningRate:
        schemaOption(values['final-learning-rate'], 'final-learning-rate', hp.finalLearningRate) ?? null,
      batchSize: schemaOption(values['batch-size'], 'batch-size', hp.batchSize),
      averageLastEpochs: schemaOption(values['average-last'], 'average-last', hp.averageLastEpochs),
      reportEvery: schemaOption(values['report-every'], 'report-every', hp.reportEvery),
      augmentation: {
        ...augment,
        elasticAlpha: schemaOption(values['elastic-alpha'], 'elastic-alpha', aug.elasticAlpha),
        elasticSigma: schemaOption(values['elastic-sigma'], 'elastic-sigma', aug.elasticSigma)
      }
    })
    const json = values.json
    const events: TrainingEvent[] = []
    const bar = progressBar(io)
    const step = values.step ?? 'auto'
    if (step !== 'auto' && step !== 'graph' && step !== 'lean') {
      throw new UsageError('--step must be auto, graph or lean')
    }
    const result = await runTrainingJob(
      {
        hyperparameters,
        mnistFolder: values.mnist ? resolveUserPath(values.mnist) : defaultMnistDir(),
        trainSubset: schemaOption(values['train-limit'], 'train-limit', TrainSubsetSchema),
        testSubset: schemaOption(values['test-limit'], 'test-limit', TestSubsetSchema),
        backend: parseBackendOption(values.backend),
        step,
        name: values.name,
        ...(values.out ? { outFolder: resolveUserPath(values.out) } : { modelsDir: defaultModelsDir() })
      },
      {
        onEvent: (event) => {
          if (event.kind !== 'status') events.push(event)
          if (json) return
          if (event.kind === 'batch') {
            const done =
              (event.epoch - 1 + event.batchInEpoch / event.batchesPerEpoch) / hyperparameters.epochs
            const line =
              `epoch ${event.epoch}/${hyperparameters.epochs} step ${event.step} loss ${event.loss.toFixed(4)} ` +
              `acc ${percent(event.accuracy)} ${Math.round(event.samplesPerSecond)} samples/s ETA ${Math.round(event.etaSeconds)} s`
            if (io.isTTY) bar.update(done, line)
            else io.stdout(line + '\n')
          } else if (event.kind === 'epoch') {
            bar.done()
            io.stdout(
              `epoch ${event.epoch}: train loss ${event.trainLoss.toFixed(4)} acc ${percent(event.trainAccuracy)} | ` +
                `test loss ${event.testLoss.toFixed(4)} acc ${percent(event.testAccuracy)} | ${event.seconds.toFixed(1)} s\n`
            )
          } else if (event.message) {
            bar.done()
            io.stdout(`${event.state}: ${event.message}\n`)
          }
        },
        log: (line) => {
          if (!json) io.stdout(`${line}\n`)
        }
      }
    )
    const { status, backend, testAccuracy, epochsCompleted } = result
    if (json) {
      printJson(io, {
        accuracy: testAccuracy,
        state: status.state,
        modelId: status.modelId ?? null,
        out: values.out ? resolveUserPath(values.out) : null,
        backend,
        step: result.step,
        epochsCompleted,
        hyperparameters,
        epochs: events.filter((e) => e.kind === 'epoch'),
        progress: events.filter((e) => e.kind === 'batch')
      })
    }
    return status.state === 'done' ? 0 : 1
  }
}
