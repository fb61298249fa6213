/** The options and set-up shared by the commands that run a model (eval, predict, import). */
import path from 'node:path'
import { selectBackend, type BackendChoice } from '../core/backend'
import { loadModelFolder, type LoadedModel } from '../core/models/store'
import { parseBackendOption } from './backend-option'
import { SHIPPED_MODEL_DIR } from './defaults'
import { DEFAULT_UNSURE_THRESHOLD } from '../shared/schemas/calibration'
import { numberOption } from './output'

/** parseArgs options for --model, --json, --backend and --help; commands spread in their own. */
export const MODEL_COMMAND_OPTIONS = {
  model: { type: 'string' },
  json: { type: 'boolean', default: false },
  backend: { type: 'string' },
  /** Calibrated confidence below which an answer is flagged "not sure". */
  threshold: { type: 'string' },
  help: { type: 'boolean', default: false }
} as const

/** --threshold: the "not sure" threshold (default DEFAULT_UNSURE_THRESHOLD). */
export function thresholdOption(value: string | undefined): number {
  return numberOption(value, 'threshold', 0.3, 0.99) ?? DEFAULT_UNSURE_THRESHOLD
}

export interface CommandModel {
  modelDir: string
  backend: BackendChoice
  model: LoadedModel
}

/** Selects the --backend asked for, then loads --model (default: the shipped model). The caller disposes it. */
export async function loadCommandModel(values: { model?: string; backend?: string }): Promise<CommandModel> {
  const modelDir = path.resolve(values.model ?? SHIPPED_MODEL_DIR)
  const backend = await selectBackend(parseBackendOption(values.backend))
  const model = await loadModelFolder(modelDir)
  return { modelDir, backend, model }
}
