import { stat } from 'node:fs/promises'
import path from 'node:path'
import { parseCommandArgs } from '../parse-args'
import { exportResult, importJsonDocument } from '../../core/export'
import { checkWriteTarget, SafeWriteError, writeFileSafely } from '../../core/fs/safe-write'
import { importFolder } from '../../core/import'
import { ExportFormatSchema, type ExportFormat } from '../../shared/contract'
import type { ImportResult } from '../../shared/schemas/import'
import { assessorFor } from '../../core/calibration'
import { MODEL_COMMAND_OPTIONS, loadCommandModel, thresholdOption } from '../model-option'
import { flagText } from './predict'
import { formatEvaluation, printJson, progressBar } from '../output'
import { resolveUserPath } from '../../core/paths'
import { CliError, UsageError, type CliCommand } from '../types'

const USAGE =
  'digit-studio import FOLDER [--model MODEL_DIR] [--json] [--export FILE [--force]] [--format FORMAT] ' +
  '[--backend auto|tensorflow|wasm|cpu] [--threshold T]'

const HELP = `${USAGE}

Recognises every image under FOLDER (searched recursively) and evaluates the labelled ones.
Labels: labels.csv (file,label) at the root, else a folder named 0-9, else the file name
(7_012.png, 012_7.png, digit7-012.png); see docs/import-rules.md.

  --model DIR     model folder (default: the shipped model)
  --json          print one JSON document: accuracy (fraction), perDigit, confusion, perSample, skipped
  --export FILE   also write an export; its format follows the extension (.csv per-digit table,
                  .md per-digit Markdown, .json whole result) unless --format is given
  --force         replace FILE if it exists (otherwise an existing file is refused before the import)
  --format F      per-digit-csv | per-digit-md | confusion-csv | samples-csv | json
  --threshold T   flag answers whose calibrated confidence is below T as "not sure" (default 0.8);
                  the flagged samples are listed for review (perSample[].flag in --json)
`

/** An existing export file is replaced only with --force; links, devices and FIFOs never. */
async function writeExport(file: string, content: string, force: boolean, check = false): Promise<void> {
  try {
    if (check) await checkWriteTarget(file, force)
    else await writeFileSafely(file, content, { replace: force })
  } catch (error) {
    if (error instanceof SafeWriteError && error.code === 'exists')
      throw new SafeWriteError('exists', file, 'already exists; add --force to replace it')
    throw error
  }
}

/** Export format implied by a file name's extension. */
function formatFromFileName(file: string): ExportFormat {
  const extension = path.extname(file).toLowerCase()
  if (extension === '.csv') return 'per-digit-csv'
  if (extension === '.md') return 'per-digit-md'
  if (extension === '.json') return 'json'
  throw new UsageError(`--export ${file}: use a .csv, .md or .json file, or name the format with --format`)
}

function parseFormat(value: string | undefined): ExportFormat | undefined {
  if (value === undefined) return undefined
  const parsed = ExportFormatSchema.safeParse(value)
  if (!parsed.success)
    throw new UsageError(`--format must be one of ${ExportFormatSchema.options.join(', ')}`)
  return parsed.data
}

/** Fails before the import (not after minutes of work) when the export cannot be written there. */
async function requireFolderOf(file: string): Promise<void> {
  const folder = path.dirname(file)
  const isFolder = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false
  )
  if (!isFolder) throw new CliError(`--export ${file}: the folder ${folder} does not exist`)
}

export const command: CliCommand = {
  name: 'import',
  usage: USAGE,
  summary: 'Recognise and evaluate a folder of scanned digits: per-digit table, confusion matrix, export.',
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      {
        ...MODEL_COMMAND_OPTIONS,
        export: { type: 'string' },
        force: { type: 'boolean', default: false },
        format: { type: 'string' }
      },
      HELP,
      io
    )
    if (!parsed) return 0
    const { values, positionals } = parsed
    if (positionals.length !== 1) throw new UsageError('give exactly one FOLDER')
    const exportFile = values.export === undefined ? undefined : resolveUserPath(values.export)
    const format = parseFormat(values.format) ?? (exportFile ? formatFromFileName(exportFile) : undefined)
    if (format && !exportFile) throw new UsageError('--format needs --export FILE')

    if (exportFile) await requireFolderOf(exportFile)
    if (exportFile) await writeExport(exportFile, '', values.force, true)
    const folder = resolveUserPath(positionals[0])
    const { modelDir, backend, model } = await loadCommandModel(values, io.stderr)
    // Progress goes to the terminal only, so --json output stays one clean document.
    const bar = progressBar(values.json ? { ...io, isTTY: false } : io)
    let result: ImportResult
    try {
      result = await importFolder(folder, model, {
        onProgress: (p) =>
          bar.update(p.total ? p.done / p.total : 0, `${p.done}/${p.total} ${p.currentFile ?? ''}`),
        assess: assessorFor(model, thresholdOption(values.threshold))
      })
    } finally {
      bar.done()
      model.dispose()
    }

    const source = { model: modelDir, backend: backend.name }
    if (exportFile && format)
      await writeExport(exportFile, exportResult(result, format, source).content, values.force)
    if (values.json) {
      printJson(io, importJsonDocument(result, source))
      return 0
    }
    const { counts } = result
    io.stdout(
      `Imported ${counts.images} images from ${folder} in ${result.seconds.toFixed(2)} s ` +
        `(model ${result.modelName}, backend ${backend.name}); ${counts.unlabelled} unlabelled, ` +
        `${counts.noDigit} without a digit, ${counts.skipped} skipped\n`
    )
    if (result.outcome === 'no-images') io.stdout(`No images found in ${folder}.\n`)
    else if (result.evaluation) io.stdout(formatEvaluation(result.evaluation))
    else io.stdout('No image has a label, so there is no per-digit table (see docs/import-rules.md).\n')
    const review = result.samples.filter((s) => s.flag === 'not-sure' || s.flag === 'not-a-digit')
    if (review.length > 0) {
      io.stdout(`\nTo review (${review.length} flagged):\n`)
      for (const s of review) {
        const wrong = s.label !== null && s.label !== s.predicted ? ` (label ${s.label})` : ''
        io.stdout(`  ${s.file}: ${s.predicted}${wrong}${flagText(s.flag)}\n`)
      }
    }
    if (result.noDigitFiles.length > 0) {
      io.stdout('\nNo digit found in:\n')
      for (const file of result.noDigitFiles) io.stdout(`  ${file}\n`)
    }
    if (result.skipped.length > 0) {
      io.stdout('\nSkipped:\n')
      for (const skip of result.skipped) io.stdout(`  ${skip.file}: ${skip.reason}\n`)
    }
    if (exportFile) io.stdout(`\nWrote ${format} to ${exportFile}\n`)
    return 0
  }
}
