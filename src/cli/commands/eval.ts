import { parseCommandArgs } from '../parse-args'
import { loadMnistTest } from '../../core/data/mnist'
import { evaluatePredictions } from '../../core/evaluation'
import { toUnitPixels } from '../../core/training/tensors'
import { resolveUserPath } from '../../core/paths'
import { TestSubsetSchema } from '../../shared/schemas/training'
import { defaultMnistDir } from '../defaults'
import { MODEL_COMMAND_OPTIONS, loadCommandModel } from '../model-option'
import { formatEvaluation, printJson, schemaOption } from '../output'
import type { CliCommand } from '../types'

const USAGE =
  'digit-studio eval [--model MODEL_DIR] [--mnist DIR] [--json] [--test-limit N] [--backend auto|tensorflow|wasm|cpu]'

export const command: CliCommand = {
  name: 'eval',
  usage: USAGE,
  summary: 'Evaluate a model on the MNIST test set: accuracy, per-digit table, confusion matrix.',
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      {
        ...MODEL_COMMAND_OPTIONS,
        mnist: { type: 'string' },
        'test-limit': { type: 'string' }
      },
      `${USAGE}\n`,
      io,
      false
    )
    if (!parsed) return 0
    const { values } = parsed
    const mnistDir = values.mnist ? resolveUserPath(values.mnist) : defaultMnistDir()
    const limit = schemaOption(values['test-limit'], 'test-limit', TestSubsetSchema)
    const { modelDir, backend, model } = await loadCommandModel(values, io.stderr)
    const { test } = await loadMnistTest(mnistDir, limit)
    const started = performance.now()
    const probabilities = await model.predict(toUnitPixels(test.images), test.count)
    const seconds = (performance.now() - started) / 1000
    model.dispose()
    const evaluation = evaluatePredictions(test.labels, probabilities)
    if (values.json) {
      printJson(io, {
        ...evaluation,
        model: modelDir,
        modelName: model.metadata.name,
        mnist: mnistDir,
        backend: backend.name,
        backendDetail: backend.detail,
        seconds
      })
    } else {
      io.stdout(
        `Model ${model.metadata.name} (${modelDir}) on ${test.count} MNIST test images, backend ${backend.name}\n`
      )
      io.stdout(formatEvaluation(evaluation))
    }
    return 0
  }
}
