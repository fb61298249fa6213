/** Output helpers shared by the CLI commands: JSON documents, tables and a terminal progress bar. */
import type { z } from 'zod'
import { numberBounds } from '../shared/schemas/bounds'
import type { Evaluation } from '../shared/schemas/evaluation'
import type { CliIo } from './types'
import { UsageError } from './types'

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n')
}

export const percent = (fraction: number | null): string =>
  fraction === null ? '–' : `${(fraction * 100).toFixed(2)}%`

/** The paper's Table 1: per digit, samples, correct, accuracy and the most frequent wrong answer. */
export function formatEvaluation(evaluation: Evaluation): string {
  const lines = [
    `Accuracy ${percent(evaluation.accuracy)} (${evaluation.correct}/${evaluation.samples}), ` +
      `per-digit average ${percent(evaluation.perDigitAverageAccuracy)}, average loss ${evaluation.averageLoss.toFixed(4)}`,
    '',
    'digit  samples  correct  accuracy  most frequent wrong',
    ...evaluation.perDigit.map(
      (row) =>
        `${String(row.digit).padStart(5)}  ${String(row.samples).padStart(7)}  ${String(row.correct).padStart(7)}  ` +
        `${percent(row.accuracy).padStart(8)}  ${row.mostFrequentWrong === null ? '–' : `${row.mostFrequentWrong} (×${row.mostFrequentWrongCount})`}`
    ),
    '',
    'confusion (rows: true digit, columns: predicted)',
    '      ' + Array.from({ length: 10 }, (_, d) => String(d).padStart(5)).join(''),
    ...evaluation.confusion.map(
      (row, d) => `${String(d).padStart(5)} ` + row.map((n) => String(n).padStart(5)).join('')
    )
  ]
  return lines.join('\n') + '\n'
}

/** A one-line progress bar redrawn in place; silent when stdout is not a terminal. */
export function progressBar(
  io: CliIo,
  width = 30
): { update(fraction: number, text: string): void; done(): void } {
  let drawn = false
  return {
    update(fraction, text) {
      if (!io.isTTY) return
      const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width)
      io.stdout(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`)
      drawn = true
    },
    done() {
      if (drawn) io.stdout('\n')
      drawn = false
    }
  }
}

/**
 * An optional numeric option checked against the schema it feeds (so the CLI and the UI share one set of limits);
 * a bad value is a UsageError naming the option and the schema's bounds.
 */
export function schemaOption(value: string | undefined, name: string, schema: z.ZodType): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  const parsed = schema.safeParse(n)
  if (value.trim() !== '' && Number.isFinite(n) && parsed.success) return n
  const { min, max, exclusiveMin, integer } = numberBounds(schema)
  const kind = integer ? 'an integer' : 'a number'
  const from = min === null ? '' : exclusiveMin ? ` greater than ${min}` : ` from ${min}`
  const to = max === null ? '' : `${min === null || exclusiveMin ? ' up to' : ' to'} ${max}`
  throw new UsageError(`--${name} must be ${kind}${from}${to}`)
}
