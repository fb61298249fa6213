/** The options and set-up shared by the commands that run a model (eval, predict, import). */
import { resolveUserPath } from '../core/paths'
import { selectBackend, type BackendChoice } from '../core/backend'
import { loadModelFolder, type LoadedModel } from '../core/models/store'
import { parseBackendOption } from './backend-option'
import { SHIPPED_MODEL_DIR } from './defaults'
import { DEFAULT_UNSURE_THRESHOLD } from '../shared/schemas/calibration'
import { schemaOption } from './output'
import { SettingsFieldsSchema } from '../shared/schemas/settings'

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
  return (
    schemaOption(value, 'threshold', SettingsFieldsSchema.shape.unsureThreshold) ?? DEFAULT_UNSURE_THRESHOLD
  )
}

export interface CommandModel {
  modelDir: string
  backend: BackendChoice
  model: LoadedModel
}

/**
 * Selects the --backend asked for, then loads --model (default: the shipped model). The caller disposes it. A
 * "not a digit" detector that cannot be used is reported on stderr; the command still runs without it.
 */
export async function loadCommandModel(
  values: { model?: string; backend?: string },
  warn: (text: string) => void = (text) => process.stderr.write(text)
): Promise<CommandModel> {
  const modelDir = values.model ? resolveUserPath(values.model) : SHIPPED_MODEL_DIR
  const backend = await selectBackend(parseBackendOption(values.backend))
  const model = await loadModelFolder(modelDir)
  if (model.detectorProblem) warn(`warning: ${model.detectorProblem}\n`)
  return { modelDir, backend, model }
}
