/**
 * Making a test set from pages: the digits read on each page get labels from a layout rule, then are saved as
 * a labelled folder by the import rules (one sub-folder per digit, docs/import-rules.md), ready for import.
 *
 * Rules:
 *   - rows: "each row holds one digit", the page's rows in order taking the digits of a string (e.g.
 *     "0123456789": the first row of every page is 0s, the second 1s, …);
 *   - lines: a text with the expected lines, one per line, in page order (the pages' lines follow each other).
 * A digit whose label cannot be told (more rows than digits, a line with more or fewer digits than expected) is
 * listed with the reason, never silently dropped or guessed.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { GrayImage } from '../preprocess/types'
import { loadSharp } from '../preprocess'
import type { Box, DigitCrop } from '../segmentation'

export type LabelRule = { kind: 'rows'; digits: string } | { kind: 'lines'; lines: string[] }

export interface CutPage {
  file: string
  lines: DigitCrop[][]
}

export interface AssignedDigit {
  file: string
  /** 1-based line and position in the line. */
  line: number
  index: number
  box: Box
  label: number
  image: GrayImage
}

export interface UnassignedDigit {
  file: string
  line: number
  index: number
  box: Box
  reason: string
}

/** A rule that cannot be used; `file` names the lines file (or "--rows"). */
export class LabelRuleError extends Error {
  override readonly name = 'LabelRuleError'
  constructor(
    readonly file: string,
    readonly reason: string
  ) {
    super(`${file}: ${reason}`)
  }
}

/** Parses a rule's text: rows = a string of digits; lines = one expected line per text line (spaces ignored). */
export function parseRule(kind: LabelRule['kind'], text: string, file = 'lines file'): LabelRule {
  if (kind === 'rows') {
    const digits = text.replace(/[\s,]/g, '')
    if (!/^[0-9]+$/.test(digits))
      throw new LabelRuleError(file, `the rows rule must be digits 0-9, got "${text}"`)
    return { kind, digits }
  }
  const lines: string[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\s/g, '')
    if (line === '') return
    if (!/^[0-9]+$/.test(line))
      throw new LabelRuleError(`${file}:${i + 1}`, `a line must hold only digits 0-9, got "${raw.trim()}"`)
    lines.push(line)
  })
  if (lines.length === 0) throw new LabelRuleError(file, 'no lines of digits')
  return { kind, lines }
}

/** Labels of the digits of the pages under a rule. */
export function assignLabels(
  pages: readonly CutPage[],
  rule: LabelRule
): { assigned: AssignedDigit[]; unassigned: UnassignedDigit[] } {
  const assigned: AssignedDigit[] = []
  const unassigned: UnassignedDigit[] = []
  let expectedLine = 0
  for (const page of pages) {
    page.lines.forEach((line, l) => {
      let labels: (number | null)[]
      let reason = ''
      if (rule.kind === 'rows') {
        const digit = rule.digits[l]
        labels = line.map(() => (digit === undefined ? null : Number(digit)))
        reason = `row ${l + 1} has no digit in the rows rule "${rule.digits}"`
      } else {
        const expected = rule.lines[expectedLine++]
        if (expected === undefined) {
          labels = line.map(() => null)
          reason = `the lines file has no line ${expectedLine}`
        } else if (expected.length !== line.length) {
          labels = line.map(() => null)
          reason = `found ${line.length} digits where line ${expectedLine} of the lines file has ${expected.length} ("${expected}")`
        } else labels = [...expected].map(Number)
      }
      line.forEach((crop, d) => {
        const where = { file: page.file, line: l + 1, index: d + 1, box: crop.box }
        const label = labels[d]
        if (label === null) unassigned.push({ ...where, reason })
        else assigned.push({ ...where, label, image: crop.image })
      })
    })
  }
  return { assigned, unassigned }
}

/**
 * Writes each labelled digit as `OUT/<label>/<page>-l<line>-d<index>.png`: the digit alone, dark ink on white,
 * as recognition saw it. Returns the files written, relative to `out`.
 */
export async function writeLabelledFolder(out: string, digits: readonly AssignedDigit[]): Promise<string[]> {
  const sharp = await loadSharp()
  const written: string[] = []
  const stems = new Map<string, string>()
  for (const digit of digits) {
    let stem = stems.get(digit.file)
    if (stem === undefined) {
      const base =
        path.basename(digit.file, path.extname(digit.file)).replace(/[^A-Za-z0-9_-]+/g, '-') || 'page'
      const taken = new Set(stems.values())
      stem = base
      for (let n = 2; taken.has(stem); n++) stem = `${base}-${n}`
      stems.set(digit.file, stem)
    }
    const relative = `${digit.label}/${stem}-l${String(digit.line).padStart(2, '0')}-d${String(digit.index).padStart(3, '0')}.png`
    const { width, height, data } = digit.image
    const paper = Buffer.from(data.map((v) => 255 - v))
    await mkdir(path.join(out, String(digit.label)), { recursive: true })
    await writeFile(
      path.join(out, relative),
      await sharp(paper, { raw: { width, height, channels: 1 } })
        .png()
        .toBuffer()
    )
    written.push(relative)
  }
  return written
}
