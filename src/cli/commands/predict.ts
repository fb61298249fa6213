import { parseArgs } from 'node:util'
import { argmax10 } from '../../core/evaluation'
import { fileToMnistForm } from '../../core/preprocess'
import { assessorFor, type Flag } from '../../core/calibration'
import { MODEL_COMMAND_OPTIONS, loadCommandModel, thresholdOption } from '../model-option'
import { percent, printJson } from '../output'
import { UsageError, type CliCommand } from '../types'

const USAGE =
  'digit-studio predict [--model MODEL_DIR] IMAGE... [--json] [--backend auto|tensorflow|wasm|cpu] [--threshold T]'

interface FilePrediction {
  file: string
  digit: number | null
  confidence: number | null
  probabilities: number[] | null
  inverted: boolean | null
  noDigitReason: string | null
  /** 'sure', 'not-sure' or 'not-a-digit' (null when no digit was found). */
  flag: Flag | null
  calibratedConfidence: number | null
}

/** ' — not sure' / ' — not a digit' after an answer that is flagged. */
export function flagText(flag: Flag | null | undefined): string {
  return flag === 'not-sure' ? ' — not sure' : flag === 'not-a-digit' ? ' — not a digit' : ''
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
    const assess = assessorFor(model.metadata, thresholdOption(values.threshold))
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
            noDigitReason: form.reason,
            flag: null,
            calibratedConfidence: null
          })
          continue
        }
        const probabilities = await model.predict(form.pixels, 1)
        const digit = argmax10(probabilities)
        const assessment = assess(probabilities, form.pixels)
        results.push({
          flag: assessment.flag,
          calibratedConfidence: assessment.confidence,
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
            : `${r.file}: ${r.digit} (${percent(r.confidence)})${flagText(r.flag)}\n`
        )
      }
    }
    return 0
  }
}
