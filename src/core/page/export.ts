/** Exports of page readings: the `read --json` document and a CSV with one row per line. */
import type { PageLines } from '../../shared/schemas/reading'
import { csv } from '../export'

/** The `{"files": [{"file", "lines": [{"text", "digits": [{"digit", "confidence", "box"}]}]}]}` document. */
export function readingJson(pages: readonly PageLines[]) {
  return {
    files: pages.map((page) => ({
      file: page.file,
      lines: page.lines.map((line) => ({
        text: line.text,
        digits: line.digits.map(({ digit, confidence, box }) => ({ digit, confidence, box }))
      }))
    }))
  }
}

/** CSV (UTF-8 with BOM, CRLF, as the import's exports): file, line, text, digits, lowest_confidence. */
export function readingCsv(pages: readonly PageLines[]): string {
  const rows: (string | number)[][] = [['file', 'line', 'text', 'digits', 'lowest_confidence']]
  for (const page of pages) {
    page.lines.forEach((line, i) => {
      const lowest = line.digits.length ? Math.min(...line.digits.map((d) => d.confidence)) : 0
      rows.push([page.file, i + 1, line.text, line.digits.length, lowest.toFixed(4)])
    })
  }
  return csv(rows)
}
