import { existsSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { parseCommandArgs } from '../parse-args'
import { importJsonDocument } from '../../core/export'
import { importFolder } from '../../core/import'
import { resolveUserPath } from '../../core/paths'
import {
  assignLabels,
  LabelRuleError,
  parseRule,
  readPageCrops,
  writeLabelledFolder,
  type CutPage,
  type LabelRule
} from '../../core/page'
import { decodeImageFile, ImageDecodeError } from '../../core/preprocess'
import { MODEL_COMMAND_OPTIONS, loadCommandModel } from '../model-option'
import { formatEvaluation, printJson } from '../output'
import { UsageError, type CliCommand } from '../types'

const USAGE =
  'digit-studio cut IMAGE... --out FOLDER (--rows DIGITS | --lines FILE) [--model MODEL_DIR] [--json] ' +
  '[--backend auto|tensorflow|wasm|cpu]'

const HELP = `${USAGE}

Makes a test set from pages of handwritten digits: reads each page, labels every digit found, saves them as a
labelled folder (OUT/<digit>/<page>-lNN-dNNN.png, the import rules of docs/import-rules.md) and evaluates it
at once, as \`digit-studio import OUT\` would.

  --out FOLDER    the folder to make (new or empty)
  --rows DIGITS   each row of a page holds one digit, in this order (e.g. 0123456789: the first row of every
                  page is 0s, the second 1s, ...)
  --lines FILE    a text file with the expected lines, one per line, in page order (spaces are ignored)
  --json          one document: the import's (accuracy, perDigit, confusion, perSample, skipped) plus "cut":
                  {written, unassigned: [{file, line, index, box, reason}], errors: [{file, error}]}

Digits that cannot be labelled (a row beyond the rule, a line with more or fewer digits than expected) are
listed, not saved. A page that cannot be read is listed; the others are still cut, and the exit code is 1.
`

export const command: CliCommand = {
  name: 'cut',
  usage: USAGE,
  summary:
    'Cut pages of handwritten digits into a labelled folder (rows rule or lines file) and evaluate it.',
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      {
        ...MODEL_COMMAND_OPTIONS,
        out: { type: 'string' },
        rows: { type: 'string' },
        lines: { type: 'string' }
      },
      HELP,
      io
    )
    if (!parsed) return 0
    const { values, positionals } = parsed
    if (positionals.length === 0) throw new UsageError('give at least one IMAGE')
    if (!values.out) throw new UsageError('give --out FOLDER')
    if ((values.rows === undefined) === (values.lines === undefined))
      throw new UsageError('give either --rows DIGITS or --lines FILE')
    let rule: LabelRule
    if (values.rows !== undefined) {
      try {
        rule = parseRule('rows', values.rows, '--rows')
      } catch (error) {
        throw new UsageError((error as Error).message)
      }
    } else {
      const file = resolveUserPath(values.lines ?? '')
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (error) {
        throw new LabelRuleError(file, `cannot be read (${(error as Error).message})`)
      }
      rule = parseRule('lines', text, file)
    }
    const out = resolveUserPath(values.out)
    if (existsSync(out) && readdirSync(out).length > 0) {
      throw new LabelRuleError(out, 'the output folder is not empty (give a new or empty folder)')
    }

    const { modelDir, backend, model } = await loadCommandModel(values, io.stderr)
    const pages: CutPage[] = []
    const errors: { file: string; error: string }[] = []
    let result
    try {
      for (const file of positionals) {
        try {
          const { crops } = await readPageCrops(await decodeImageFile(file), model)
          pages.push({ file, lines: crops })
        } catch (error) {
          if (!(error instanceof ImageDecodeError)) throw error
          errors.push({ file, error: error.reason })
        }
      }
      const { assigned, unassigned } = assignLabels(pages, rule)
      const written = await writeLabelledFolder(out, assigned)
      result = {
        written: written.length,
        unassigned,
        errors,
        imported: written.length > 0 ? await importFolder(out, model) : null
      }
    } finally {
      model.dispose()
    }

    const cut = { out, written: result.written, unassigned: result.unassigned, errors }
    if (values.json) {
      printJson(io, {
        ...(result.imported
          ? importJsonDocument(result.imported, { model: modelDir, backend: backend.name })
          : { accuracy: null }),
        cut
      })
    } else {
      io.stdout(
        `Wrote ${result.written} labelled digits from ${pages.length} page${pages.length === 1 ? '' : 's'} to ${out}\n`
      )
      if (result.imported?.evaluation) io.stdout(formatEvaluation(result.imported.evaluation))
      if (result.unassigned.length > 0) {
        io.stdout(`\nNot labelled (${result.unassigned.length}):\n`)
        for (const u of result.unassigned)
          io.stdout(`  ${u.file} line ${u.line} digit ${u.index} at ${u.box.x},${u.box.y}: ${u.reason}\n`)
      }
      for (const e of errors) io.stderr(`${e.file}: ${e.error}\n`)
    }
    return errors.length > 0 ? 1 : 0
  }
}
