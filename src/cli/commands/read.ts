import { parseArgs } from 'node:util'
import { readPageFile, type PageReading } from '../../core/page'
import { ImageDecodeError } from '../../core/preprocess'
import { MODEL_COMMAND_OPTIONS, loadCommandModel } from '../model-option'
import { percent, printJson } from '../output'
import { UsageError, type CliCommand } from '../types'

const USAGE = 'digit-studio read IMAGE... [--model MODEL_DIR] [--json] [--backend auto|tensorflow|wasm|cpu]'

const HELP = `${USAGE}

Reads every handwritten digit on each page image (scan or photo; PNG, JPEG, TIFF, WebP, GIF, BMP): the lines
top to bottom, each left to right. Printed rules and form boxes are ignored; a skew of a few degrees, uneven
light and blue or black ink are fine.

  --model DIR     model folder (default: the shipped model)
  --json          {"files": [{"file", "lines": [{"text", "digits": [{"digit", "confidence", "box"}]}]}]};
                  boxes {"x", "y", "width", "height"} in the image's pixels. A file that cannot be read gets
                  {"file", "error", "code"} and the others are still read; the exit code is then 1.
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
        digits: { digit: number | null; confidence: number; box: PageReading['printedBoxes'][number] }[]
      }[]
    }
  | { file: string; error: string; code: string }

export const command: CliCommand = {
  name: 'read',
  usage: USAGE,
  summary: 'Read the handwritten numbers on page images: lines of digits with boxes and confidences.',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: MODEL_COMMAND_OPTIONS
    })
    if (values.help) {
      io.stdout(HELP)
      return 0
    }
    if (positionals.length === 0) throw new UsageError('give at least one IMAGE')
    const { modelDir, model } = await loadCommandModel(values)
    const files: FileReading[] = []
    try {
      for (const file of positionals) {
        const started = performance.now()
        try {
          const page = await readPageFile(file, model)
          files.push({
            file,
            width: page.width,
            height: page.height,
            skewDegrees: page.skewDegrees,
            seconds: (performance.now() - started) / 1000,
            lines: page.lines.map((line) => ({
              text: line.text,
              digits: line.digits.map(({ digit, confidence, box }) => ({ digit, confidence, box }))
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
          io.stdout(`  ${line.text}  (lowest confidence ${percent(low)})\n`)
        }
      }
    }
    return failed > 0 ? 1 : 0
  }
}
