/**
 * Where an imported image's label comes from. First rule that gives a label wins:
 *
 *   1. `labels.csv` in the imported folder's root: rows `file,label`, file relative to the root with `/` or `\`
 *      (an optional header row is recognised because its label is not a digit). An explicit list beats guesses.
 *   2. The nearest enclosing folder whose whole name is one digit `0`–`9` (`3/a.png`, `scans/3/b/c.png` → 3),
 *      the imported folder's own name included.
 *   3. The file name (without extension), in this order:
 *      a. a keyword and a digit: `digit7-012`, `label_7`, `class-7`  (keyword digit|label|class, then `-`/`_`/none);
 *      b. a leading digit and a separator: `7_012`, `7-scan`;
 *      c. a separator and a trailing digit: `012_7`, `scan-7`.
 *      A name that is only a number (`7.png`, `012.png`) gives no label: it is usually a sample number.
 *
 * Anything else is unlabelled: it still gets a prediction but is not part of the evaluation.
 */
import type { SampleResult, SkippedFile } from '../../shared/schemas/import'

export type LabelSource = NonNullable<SampleResult['labelSource']>
export interface Label {
  label: number
  source: LabelSource
}

export const LABELS_CSV = 'labels.csv'

const DIGIT_FOLDER = /^[0-9]$/
const KEYWORD_NAME = /(?:^|[^a-z])(?:digit|label|class)[-_ ]?([0-9])(?![0-9])/i
const LEADING_NAME = /^([0-9])[-_ .]/
const TRAILING_NAME = /[-_ .]([0-9])$/

/** Normalises a relative path as used in results and labels.csv: forward slashes, no leading './'. */
export function normaliseRelativePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/{2,}/g, '/')
}

/** Label from rules 2 and 3 for a path relative to the imported root (`rootName` = the root folder's name). */
export function labelFromPath(relativePath: string, rootName = ''): Label | null {
  const parts = normaliseRelativePath(relativePath).split('/')
  const fileName = parts.pop() ?? ''
  const folders = [rootName, ...parts]
  for (let i = folders.length - 1; i >= 0; i--) {
    if (DIGIT_FOLDER.test(folders[i])) return { label: Number(folders[i]), source: 'folder' }
  }
  const stem = fileName.replace(/\.[^.]*$/, '')
  for (const rule of [KEYWORD_NAME, LEADING_NAME, TRAILING_NAME]) {
    const match = rule.exec(stem)
    if (match) return { label: Number(match[1]), source: 'file-name' }
  }
  return null
}

export interface LabelsCsv {
  labels: Map<string, number>
  /** Rows that could not be used, reported as `labels.csv:LINE`. */
  problems: SkippedFile[]
}

/** Parses labels.csv (UTF-8, optional BOM, comma or semicolon separated, optional quotes and header). */
export function parseLabelsCsv(text: string): LabelsCsv {
  const labels = new Map<string, number>()
  const problems: SkippedFile[] = []
  const rows = parseCsvRows(text.replace(/^\uFEFF/, ''))
  rows.forEach(({ line, fields }, index) => {
    if (fields.every((f) => f.trim() === '')) return
    const problem = (reason: string) => problems.push({ file: `${LABELS_CSV}:${line}`, reason })
    if (fields.length < 2) return problem('expected two columns: file,label')
    const file = normaliseRelativePath(fields[0].trim())
    const labelText = fields[1].trim()
    if (!/^[0-9]$/.test(labelText)) {
      // A first row with a non-digit label is the header.
      if (index === 0) return
      return problem(`label "${labelText}" is not a digit 0-9`)
    }
    if (file === '') return problem('the file name is empty')
    const previous = labels.get(file)
    if (previous !== undefined && previous !== Number(labelText)) {
      return problem(
        `"${file}" is listed again with another label (${previous}, then ${labelText}); the first is used`
      )
    }
    labels.set(file, Number(labelText))
  })
  return { labels, problems }
}

/** Minimal RFC 4180 reader: quoted fields may contain separators, quotes ("") and newlines. */
function parseCsvRows(text: string): { line: number; fields: string[] }[] {
  const firstLine = text.split('\n', 1)[0]
  const separator = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ','
  const rows: { line: number; fields: string[] }[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else {
        if (c === '\n') line++
        field += c
      }
    } else if (c === '"' && field === '') quoted = true
    else if (c === separator) {
      fields.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      fields.push(field)
      rows.push({ line: rowLine, fields })
      fields = []
      field = ''
      line++
      rowLine = line
    } else field += c
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field)
    rows.push({ line: rowLine, fields })
  }
  return rows
}
