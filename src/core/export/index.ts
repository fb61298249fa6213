/**
 * Exports of an import result: the per-digit table (the paper's Table 1) as CSV and Markdown, the confusion
 * matrix and the per-sample list as CSV, and the whole result as JSON.
 *
 * CSV conventions: UTF-8 with a byte-order mark (without it Excel reads UTF-8 file names as ANSI), a header row,
 * CRLF line ends (RFC 4180, what Excel writes), comma separators, quotes where needed (also around a bare LF or
 * CR), formulas defused. Counts are exact,
 * accuracies are percentages with two decimals, probabilities fractions with four decimals; a digit without
 * samples has an empty accuracy cell, never 0 or NaN.
 */
import { stringify } from 'csv-stringify/sync'
import type { ExportFormat } from '../../shared/contract'
import type { Evaluation } from '../../shared/schemas/evaluation'
import type { ImportResult } from '../../shared/schemas/import'

export interface ExportedFile {
  fileName: string
  content: string
}

export class ExportError extends Error {
  override readonly name = 'ExportError'

  constructor(
    readonly code: 'no-labels',
    readonly file: string,
    message: string
  ) {
    super(message)
  }
}

const BOM = '\uFEFF'

/** Accuracy fraction → "98.33"; null → "". */
export function percent(fraction: number | null): string {
  return fraction === null ? '' : (fraction * 100).toFixed(2)
}

const probability = (p: number) => p.toFixed(4)

/**
 * CSV text as every export writes it: UTF-8 with a byte-order mark, CRLF line ends. Cells come from file names,
 * which can start with `=`, `+`, `-` or `@` (a spreadsheet would run them as formulas: they get a leading `'`,
 * as OWASP advises) or hold a bare LF or CR (quoted, so a row never splits).
 */
export function csv(rows: (string | number)[][]): string {
  return (
    BOM +
    stringify(rows, { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true })
  )
}

/** Base of exported file names: the imported folder's name, reduced to characters safe on every system. */
function baseName(folder: string): string {
  const name = folder.split(/[\\/]/).filter(Boolean).pop() ?? ''
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '')
  return safe === '' ? 'digit-import' : safe
}

function requireEvaluation(result: ImportResult): Evaluation {
  if (result.evaluation === null) {
    throw new ExportError(
      'no-labels',
      result.folder,
      `${result.folder}: no image has a label, so there is no per-digit table or confusion matrix to export`
    )
  }
  return result.evaluation
}

function perDigitCsv(evaluation: Evaluation): string {
  const header = [
    'digit',
    'samples',
    'correct',
    'accuracy_percent',
    'most_frequent_wrong',
    'most_frequent_wrong_count'
  ]
  const rows = evaluation.perDigit.map((row) => [
    row.digit,
    row.samples,
    row.correct,
    percent(row.accuracy),
    row.mostFrequentWrong ?? '',
    row.mostFrequentWrongCount
  ])
  return csv([
    header,
    ...rows,
    [
      'all',
      evaluation.samples,
      evaluation.correct,
      percent(evaluation.samples > 0 ? evaluation.accuracy : null),
      '',
      ''
    ],
    ['per-digit average', '', '', percent(evaluation.perDigitAverageAccuracy), '', '']
  ])
}

function perDigitMarkdown(result: ImportResult, evaluation: Evaluation): string {
  const lines = [
    `# Per-digit results: ${baseName(result.folder)}`,
    '',
    `- Model: ${result.modelName} (\`${result.modelId}\`)`,
    `- Labelled samples: ${evaluation.samples} of ${result.samples.length} images; skipped files: ${result.skipped.length}`,
    `- Accuracy: ${percent(evaluation.accuracy)}% (${evaluation.correct} of ${evaluation.samples})`,
    `- Per-digit average accuracy: ${percent(evaluation.perDigitAverageAccuracy)}%`,
    '',
    '| Digit | Samples | Correct | Accuracy | Most frequent wrong answer |',
    '| ---: | ---: | ---: | ---: | :--- |',
    ...evaluation.perDigit.map((row) => {
      const accuracy = row.accuracy === null ? '–' : `${percent(row.accuracy)}%`
      const wrong =
        row.mostFrequentWrong === null ? '–' : `${row.mostFrequentWrong} (${row.mostFrequentWrongCount}×)`
      return `| ${row.digit} | ${row.samples} | ${row.correct} | ${accuracy} | ${wrong} |`
    }),
    `| **All** | ${evaluation.samples} | ${evaluation.correct} | ${percent(evaluation.accuracy)}% | |`,
    ''
  ]
  return lines.join('\n')
}

function confusionCsv(evaluation: Evaluation): string {
  const digits = Array.from({ length: 10 }, (_, d) => d)
  return csv([
    ['label \\ predicted', ...digits, 'total'],
    ...evaluation.confusion.map((row, label) => [label, ...row, row.reduce((a, b) => a + b, 0)])
  ])
}

function samplesCsv(result: ImportResult): string {
  const header = ['file', 'label', 'label_source', 'prediction', 'confidence', 'correct']
  for (let k = 1; k <= 3; k++) header.push(`top${k}`, `top${k}_probability`)
  header.push('no_digit')
  const rows = result.samples.map((s) => {
    const row: (string | number)[] = [
      s.file,
      s.label ?? '',
      s.labelSource ?? '',
      s.predicted ?? '',
      s.noDigit ? '' : probability(s.confidence),
      s.label === null ? '' : s.predicted === s.label ? 'yes' : 'no'
    ]
    for (let k = 0; k < 3; k++) {
      const top = s.top3[k]
      row.push(top ? top.digit : '', top ? probability(top.probability) : '')
    }
    row.push(s.noDigit ? 'yes' : 'no')
    return row
  })
  return csv([header, ...rows])
}

/** Where the model came from, for the JSON document: the CLI names its folder, the app its library id. */
export interface JsonSource {
  model?: string
  backend?: string | null
}

/**
 * The one JSON shape of an import: the CLI's `import --json` and the app's JSON export are both this document
 * (top-level `accuracy` as a fraction, like the other commands' --json). The 28×28 views are left out.
 */
export function importJsonDocument(result: ImportResult, source: JsonSource = {}) {
  const evaluation = result.evaluation
  return {
    accuracy: evaluation?.accuracy ?? null,
    perDigitAverageAccuracy: evaluation?.perDigitAverageAccuracy ?? null,
    averageLoss: evaluation?.averageLoss ?? null,
    labelled: evaluation?.samples ?? 0,
    correct: evaluation?.correct ?? 0,
    perDigit: evaluation?.perDigit ?? null,
    confusion: evaluation?.confusion ?? null,
    outcome: result.outcome,
    counts: result.counts,
    perSample: result.samples.map(({ view28: _view, ...sample }) => sample),
    noDigitFiles: result.noDigitFiles,
    skipped: result.skipped,
    folder: result.folder,
    model: source.model ?? result.modelId,
    modelId: result.modelId,
    modelName: result.modelName,
    backend: source.backend ?? null,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    seconds: result.seconds
  }
}
export type ImportJsonDocument = ReturnType<typeof importJsonDocument>

/** Renders one export of an import result. */
export function exportResult(
  result: ImportResult,
  format: ExportFormat,
  source: JsonSource = {}
): ExportedFile {
  const base = baseName(result.folder)
  switch (format) {
    case 'per-digit-csv':
      return { fileName: `${base}-per-digit.csv`, content: perDigitCsv(requireEvaluation(result)) }
    case 'per-digit-md':
      return {
        fileName: `${base}-per-digit.md`,
        content: perDigitMarkdown(result, requireEvaluation(result))
      }
    case 'confusion-csv':
      return { fileName: `${base}-confusion.csv`, content: confusionCsv(requireEvaluation(result)) }
    case 'samples-csv':
      return { fileName: `${base}-samples.csv`, content: samplesCsv(result) }
    case 'json':
      return {
        fileName: `${base}-result.json`,
        content: `${JSON.stringify(importJsonDocument(result, source), null, 2)}\n`
      }
  }
}
