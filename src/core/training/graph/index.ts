/**
 * Which training step runs: the graph step (many batches per native TensorFlow call) where tfjs-node can
 * run it, else the lean step. DIGIT_STUDIO_TRAINING_STEP=lean|graph|auto overrides the caller's choice;
 * a graph step that cannot load falls back to the lean step and says why.
 */
import type { TrainingStep } from '../../../shared/schemas/training'
import { tf } from '../../backend'
import { isCnnWeights } from '../../model/weights'
import { GraphStep, type GraphStepOptions } from './graph-step'

export { GraphStep } from './graph-step'
export type StepPreference = TrainingStep
export type StepKind = Exclude<TrainingStep, 'auto'>
export interface StepChoice {
  kind: StepKind
  /** For logs and the status line, e.g. why the graph step is not used. */
  detail: string
}

export const TRAINING_STEP_ENV = 'DIGIT_STUDIO_TRAINING_STEP'

function preferenceFromEnv(): StepPreference | undefined {
  const value = process.env[TRAINING_STEP_ENV]
  return value === 'auto' || value === 'graph' || value === 'lean' ? value : undefined
}

const LEAN = 'lean step (one batch per call)'
/**
 * Below this many batches `auto` keeps the lean step: the graph's start-up (writing and loading it, the first
 * call's graph optimisation, about a second) costs more than it saves on a short run.
 */
export const GRAPH_MIN_BATCHES = 500
/** The CNN's batches cost ~50× the MLP's: its graph's start-up is repaid after far fewer of them. */
export const CNN_GRAPH_MIN_BATCHES = 50

export async function openTrainingStep(
  preference: StepPreference,
  options: GraphStepOptions & { batches: number }
): Promise<{ graph: GraphStep | null; choice: StepChoice }> {
  const effective = preferenceFromEnv() ?? preference
  if (effective === 'lean') {
    return { graph: null, choice: { kind: 'lean', detail: `${LEAN}: the graph step is turned off` } }
  }
  const minimum = isCnnWeights(options.weights) ? CNN_GRAPH_MIN_BATCHES : GRAPH_MIN_BATCHES
  if (effective === 'auto' && options.batches < minimum) {
    const detail = `${LEAN}: ${options.batches} batches only, fewer than the graph step's start-up is worth (${minimum})`
    return { graph: null, choice: { kind: 'lean', detail } }
  }
  if (tf.getBackend() !== 'tensorflow') {
    return {
      graph: null,
      choice: { kind: 'lean', detail: `${LEAN}: the graph step needs tfjs-node, not ${tf.getBackend()}` }
    }
  }
  try {
    const graph = GraphStep.open(options)
    return {
      graph,
      choice: { kind: 'graph', detail: `graph step (up to ${graph.maxBlock} batches per native call)` }
    }
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]
    return {
      graph: null,
      choice: { kind: 'lean', detail: `${LEAN}: the graph step failed to load: ${reason}` }
    }
  }
}
