/**
 * The Read view's state: pages read (with the user's corrections), their export, and test sets made from pages.
 * The only module of the view that calls the main process.
 */
import type { CallResponse } from '../../../../shared/contract'
import type { PageLines, PageReading, ReadLine } from '../../../../shared/schemas/reading'
import { t } from '../../i18n/index.svelte'
import { invoke } from '../../lib/api'
import { downloadText, pickSaveFile } from '../../lib/dialogs'
import { describeError, type Problem } from '../../ui/errors'
import { app } from '../settings/settings.svelte'
import { testsets } from '../testsets/testsets.svelte'

export type CutResponse = CallResponse<'read.cut'>

export const reading = $state<{
  pages: PageReading[]
  /** Per page, per line: the text as corrected by the user (starts as the reading). */
  corrections: string[][]
  busy: boolean
  problem: Problem | null
  notice: string | null
  cut: CutResponse | null
}>({ pages: [], corrections: [], busy: false, problem: null, notice: null, cut: null })

/** One path per line of the text, blanks ignored. */
export const pathsOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)

/** Reads each page; an unreadable one is reported and the others are still read. */
export async function readPages(files: string[]): Promise<void> {
  reading.busy = true
  reading.problem = null
  reading.notice = null
  try {
    for (const file of files) {
      try {
        const page = await invoke('read.page', { file })
        reading.pages = [...reading.pages, page]
        reading.corrections = [...reading.corrections, page.lines.map((line) => line.text)]
      } catch (error) {
        reading.problem = describeError(error)
      }
    }
  } finally {
    reading.busy = false
  }
}

export function closePages(): void {
  reading.pages = []
  reading.corrections = []
}

/** A line with the user's text: digits follow the text where it has one character per digit found. */
function corrected(line: ReadLine, text: string): ReadLine {
  if (text === line.text) return line
  const digits =
    text.length === line.digits.length && /^[0-9]*$/.test(text)
      ? line.digits.map((d, i) => ({ ...d, digit: Number(text[i]), confidence: 1 }))
      : line.digits
  return { text, digits }
}

export function correctedPages(): PageLines[] {
  return reading.pages.map((page, p) => ({
    file: page.file,
    lines: page.lines.map((line, l) => corrected(line, reading.corrections[p]?.[l] ?? line.text))
  }))
}

/** Desktop: a save dialog and main writes the file. Web: the browser downloads it. */
export async function exportReadings(format: 'csv' | 'json'): Promise<void> {
  reading.problem = null
  try {
    const pages = correctedPages()
    if (app.info?.nativeDialogs) {
      const file = await pickSaveFile(`reading.${format}`, t('read.export'))
      if (!file) return
      const saved = await invoke('read.export', { pages, format, file })
      reading.notice = t('read.exported', { file: saved.savedTo ?? file })
    } else {
      const exported = await invoke('read.export', { pages, format })
      downloadText(exported.fileName, exported.content, format === 'csv' ? 'text/csv' : 'application/json')
      reading.notice = t('read.exported', { file: exported.fileName })
    }
  } catch (error) {
    reading.problem = describeError(error)
  }
}

/** Cuts the pages into a labelled folder and evaluates it; the result also becomes the Test sets view's. */
export async function makeTestSet(
  files: string[],
  out: string,
  rule: { kind: 'rows'; digits: string } | { kind: 'lines'; text: string }
): Promise<void> {
  reading.busy = true
  reading.problem = null
  try {
    const cut = await invoke('read.cut', { files, out, rule })
    reading.cut = cut
    if (cut.result) {
      testsets.result = cut.result
      testsets.gallery = null
    }
  } catch (error) {
    reading.problem = describeError(error)
  } finally {
    reading.busy = false
  }
}
