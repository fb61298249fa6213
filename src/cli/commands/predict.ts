import { parseArgs } from 'node:util'
import { argmax10 } from '../../core/evaluation'
import { fileToMnistForm } from '../../core/preprocess'
import { MODEL_COMMAND_OPTIONS, loadCommandModel } from '../model-option'
import { percent, printJson } from '../output'
import { UsageError, type CliCommand } from '../types'

const USAGE =
  'digit-studio predict [--model MODEL_DIR] IMAGE... [--json] [--backend auto|tensorflow|wasm|cpu]'

interface FilePrediction {
  file: string
  digit: number | null
  confidence: number | null
  probabilities: number[] | null
  inverted: boolean | null
  noDigitReason: string | null
}

export const command: CliCommand = {
  name: 'predict',
  usage: USAGE,
  summary: 'Recognise the digit in each image (any polarity; preprocessed to MNIST form).',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: MODEL_COMMAND_OPTIONS
    })
    if (values.help) {
      io.stdout(`${USAGE}\n`)
      return 0
    }
    if (positionals.length === 0) throw new UsageError('give at least one IMAGE')
    const { modelDir, model } = await loadCommandModel(values)
    const results: FilePrediction[] = []
    try {
      for (const file of positionals) {
        // Decoding errors name the file and the reason; they end the run with exit code 1.
        const { form } = await fileToMnistForm(file)
        if (form.kind === 'no-digit') {
          results.push({
            file,
            digit: null,
            confidence: null,
            probabilities: null,
            inverted: null,
            noDigitReason: form.reason
          })
          continue
        }
        const probabilities = await model.predict(form.pixels, 1)
        const digit = argmax10(probabilities)
        results.push({
          file,
          digit,
          confidence: probabilities[digit],
          probabilities: Array.from(probabilities),
          inverted: form.inverted,
          noDigitReason: null
        })
      }
    } finally {
      model.dispose()
    }
    if (values.json) {
      printJson(io, { model: modelDir, predictions: results })
    } else {
      for (const r of results) {
        io.stdout(
          r.digit === null
            ? `${r.file}: no digit (${r.noDigitReason})\n`
            : `${r.file}: ${r.digit} (${percent(r.confidence)})\n`
        )
      }
    }
    return 0
  }
}
