import { parseCommandArgs } from '../parse-args'
import { assessorFor, type Flag } from '../../core/calibration'
import { readPageFile, type PageReading } from '../../core/page'
import { ImageDecodeError } from '../../core/preprocess'
import { MODEL_COMMAND_OPTIONS, loadCommandModel, thresholdOption } from '../model-option'
import { percent, printJson } from '../output'
import { UsageError, type CliCommand } from '../types'

const USAGE =
  'digit-studio read IMAGE... [--model MODEL_DIR] [--json] [--backend auto|tensorflow|wasm|cpu] [--threshold T]'

const HELP = `${USAGE}

Reads every handwritten digit on each page image (scan or photo; PNG, JPEG, TIFF, WebP, GIF, BMP): the lines
top to bottom, each left to right. Printed rules and form boxes are ignored; a skew of a few degrees, uneven
light and blue or black ink are fine.

  --model DIR     model folder (default: the shipped model)
  --threshold T   flag digits whose calibrated confidence is below T as "not sure" (default 0.8)
  --json          {"files": [{"file", "lines": [{"text", "digits": [{"digit", "confidence", "box", "flag"}]}]}]};
                  boxes {"x", "y", "width", "height"} in the image's pixels; flag "sure", "not-sure",
                  "not-a-digit" or null (no digit). A file that cannot be read gets {"file", "error", "code"}
                  and the others are still read; the exit code is then 1.
`

/** One file's entry in --json: its lines, or why it could not be read. */
export type FileReading =
  | {
      file: string
      width: number
      height: number
      skewDegrees: number
      seconds: number
      lines: {
        text: string
        digits: {
          digit: number | null
          confidence: number
          box: PageReading['printedBoxes'][number]
          flag: Flag | null
        }[]
      }[]
    }
  | { file: string; error: string; code: string }

export const command: CliCommand = {
  name: 'read',
  usage: USAGE,
  summary: 'Read the handwritten numbers on page images: lines of digits with boxes and confidences.',
  async run(args, io) {
    const parsed = parseCommandArgs(args, MODEL_COMMAND_OPTIONS, HELP, io)
    if (!parsed) return 0
    const { values, positionals } = parsed
    if (positionals.length === 0) throw new UsageError('give at least one IMAGE')
    const { modelDir, model } = await loadCommandModel(values, io.stderr)
    const assess = assessorFor(model, thresholdOption(values.threshold))
    const files: FileReading[] = []
    try {
      for (const file of positionals) {
        const started = performance.now()
        try {
          const page = await readPageFile(file, model, {}, assess)
          files.push({
            file,
            width: page.width,
            height: page.height,
            skewDegrees: page.skewDegrees,
            seconds: (performance.now() - started) / 1000,
            lines: page.lines.map((line) => ({
              text: line.text,
              digits: line.digits.map(({ digit, confidence, box, flag }) => ({
                digit,
                confidence,
                box,
                flag: flag ?? null
              }))
            }))
          })
        } catch (error) {
          if (!(error instanceof ImageDecodeError)) throw error
          files.push({ file, error: error.reason, code: error.code })
        }
      }
    } finally {
      model.dispose()
    }
    const failed = files.filter((f) => 'error' in f).length
    if (values.json) printJson(io, { model: modelDir, files })
    else {
      for (const entry of files) {
        if ('error' in entry) {
          io.stderr(`${entry.file}: ${entry.error}\n`)
          continue
        }
        io.stdout(`${entry.file}: ${entry.lines.length} line${entry.lines.length === 1 ? '' : 's'}\n`)
        for (const line of entry.lines) {
          const low = Math.min(...line.digits.map((d) => d.confidence))
          io.stdout(`  ${line.text}  (lowest confidence ${percent(low)}${flagNote(line.digits)})\n`)
        }
      }
    }
    return failed > 0 ? 1 : 0
  }
}

/** ", not sure: digits 2, 5; not a digit: 4" for a line's flagged digits (positions from 1), or "". */
function flagNote(digits: readonly { flag: Flag | null }[]): string {
  const at = (flag: Flag) => digits.flatMap((d, i) => (d.flag === flag ? [String(i + 1)] : [])).join(', ')
  const notes = [
    ['not sure', at('not-sure')],
    ['not a digit', at('not-a-digit')]
  ].filter(([, list]) => list !== '')
  return notes.map(([name, list]) => `; ${name}: digit${list.includes(',') ? 's' : ''} ${list}`).join('')
}
