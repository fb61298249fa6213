/**
 * The Train view's form: the hyperparameters (the paper's defaults), the optional subsets and the model's name;
 * their limits come from the contract's schema. Starting a run reports the main process's objections per field.
 */
import { calls } from '../../../../shared/contract'
import {
  HyperparametersSchema,
  type Hyperparameters,
  type TrainingStep
} from '../../../../shared/schemas/training'
import { numberBounds, type NumberBounds } from '../../ui/bounds'
import { describeError, fieldProblems, type Problem } from '../../ui/errors'
import { source } from './source.svelte'
import { startTraining } from './training.svelte'

const paperDefaults = (): Hyperparameters => HyperparametersSchema.parse({})

const hp = HyperparametersSchema.shape
const startShape = calls['training.start'].request.shape
const [hidden1, hidden2] = hp.hiddenUnits.unwrap().def.items

/** Field limits, by the field's path in the training.start request. */
export const bounds: Record<FieldPath, NumberBounds> = {
  'hyperparameters.epochs': numberBounds(hp.epochs),
  'hyperparameters.batchSize': numberBounds(hp.batchSize),
  'hyperparameters.learningRate': numberBounds(hp.learningRate),
  'hyperparameters.finalLearningRate': numberBounds(hp.finalLearningRate),
  'hyperparameters.dropout': numberBounds(hp.dropout),
  'hyperparameters.hiddenUnits.0': numberBounds(hidden1),
  'hyperparameters.hiddenUnits.1': numberBounds(hidden2),
  'hyperparameters.cnn.denseUnits': numberBounds(hp.cnn.unwrap().shape.denseUnits),
  'hyperparameters.seed': numberBounds(hp.seed),
  'hyperparameters.reportEvery': numberBounds(hp.reportEvery),
  trainSubset: numberBounds(startShape.trainSubset),
  testSubset: numberBounds(startShape.testSubset)
}
export type FieldPath =
  | `hyperparameters.${'epochs' | 'batchSize' | 'learningRate' | 'finalLearningRate' | 'dropout'}`
  | `hyperparameters.${'seed' | 'reportEvery' | 'hiddenUnits.0' | 'hiddenUnits.1' | 'cnn.denseUnits'}`
  | 'trainSubset'
  | 'testSubset'

export const form = $state<{
  hyperparameters: Hyperparameters
  trainSubset: number | null
  testSubset: number | null
  name: string
  /** How the training step runs (advanced; auto unless the user picks one). */
  step: TrainingStep
  starting: boolean
  problem: Problem | null
  /** The main process's objections, by field path. */
  errors: Record<string, string>
}>({
  hyperparameters: paperDefaults(),
  trainSubset: null,
  testSubset: null,
  name: '',
  step: 'auto',
  starting: false,
  problem: null,
  errors: {}
})

/** The paper's settings, and every image of both sets. */
export function resetDefaults(): void {
  form.hyperparameters = paperDefaults()
  form.trainSubset = null
  form.testSubset = null
  form.step = 'auto'
  form.errors = {}
}

export async function start(): Promise<void> {
  form.starting = true
  try {
    await startTraining({
      hyperparameters: $state.snapshot(form.hyperparameters),
      mnistFolder: source.folder.trim() || undefined,
      trainSubset: form.trainSubset ?? undefined,
      testSubset: form.testSubset ?? undefined,
      name: form.name.trim() || undefined,
      step: form.step
    })
    form.problem = null
    form.errors = {}
  } catch (error) {
    form.problem = describeError(error)
    form.errors = fieldProblems(error)
  } finally {
    form.starting = false
  }
}

export function reportProblem(error: unknown): void {
  form.problem = describeError(error)
}
