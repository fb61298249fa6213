import { parseCommandArgs } from '../parse-args'
import { argmax10 } from '../../core/evaluation'
import { fileToMnistForm, ImageDecodeError } from '../../core/preprocess'
import { systemErrorText } from '../../core/system-errors'
import { assessorFor, type Flag } from '../../core/calibration'
import { classify } from '../../core/import/classifier'
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
  /** Why the file could not be read (the other files are still predicted; the exit code is then 1). */
  error: string | null
}

const EMPTY = {
  digit: null,
  confidence: null,
  probabilities: null,
  inverted: null,
  noDigitReason: null,
  flag: null,
  calibratedConfidence: null
} as const

/** The reason without the file name (the line names it already). */
function fileErrorReason(error: unknown, file: string): string {
  if (error instanceof ImageDecodeError) return error.reason
  const message = systemErrorText(error) ?? (error instanceof Error ? error.message : String(error))
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message
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
    const parsed = parseCommandArgs(args, MODEL_COMMAND_OPTIONS, `${USAGE}\n`, io)
    if (!parsed) return 0
    const { values, positionals } = parsed
    if (positionals.length === 0) throw new UsageError('give at least one IMAGE')
    const { modelDir, model } = await loadCommandModel(values, io.stderr)
    const assess = assessorFor(model, thresholdOption(values.threshold))
    const results: FilePrediction[] = []
    try {
      for (const file of positionals) {
        // A file that cannot be read is reported with its reason; the others are still predicted.
        const read = await fileToMnistForm(file).then(
          (value) => ({ form: value.form, error: null }),
          (error: unknown) => ({ form: null, error: fileErrorReason(error, file) })
        )
        const form = read.form
        if (form === null) {
          results.push({ ...EMPTY, file, error: read.error })
          continue
        }
        if (form.kind === 'no-digit') {
          results.push({
            file,
            digit: null,
            confidence: null,
            probabilities: null,
            inverted: null,
            noDigitReason: form.reason,
            flag: null,
            calibratedConfidence: null,
            error: null
          })
          continue
        }
        const { probabilities, features, scores } = await classify(model, form.pixels, 1, true)
        const digit = argmax10(probabilities)
        const assessment = assess(probabilities, form.pixels, features ?? undefined, scores?.[0])
        results.push({
          flag: assessment.flag,
          calibratedConfidence: assessment.confidence,
          file,
          digit,
          confidence: probabilities[digit],
          probabilities: Array.from(probabilities),
          inverted: form.inverted,
          noDigitReason: null,
          error: null
        })
      }
    } finally {
      model.dispose()
    }
    const failed = results.filter((r) => r.error !== null)
    if (values.json) {
      printJson(io, { model: modelDir, predictions: results })
    } else {
      for (const r of results) {
        if (r.error !== null) io.stderr(`${r.file}: ${r.error}\n`)
        else
          io.stdout(
            r.digit === null
              ? `${r.file}: no digit (${r.noDigitReason})\n`
              : `${r.file}: ${r.digit} (${percent(r.confidence)})${flagText(r.flag)}\n`
          )
      }
      if (failed.length > 0) io.stderr(`${failed.length} of ${results.length} files could not be read\n`)
    }
    return failed.length > 0 ? 1 : 0
  }
}
