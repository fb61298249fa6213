/**
 * Exports and other writes at paths from outside (issue 13, items 6, 14 and 15): a link planted at the old
 * predictable temporary name `<file>.<pid>.tmp` must not redirect the write; an existing file is replaced only
 * when the user confirmed it in the save dialog (or the CLI got --force); links, FIFOs and devices are never
 * written; exports under /proc/self/x/… answer at once instead of spinning; CSV cells from file names are
 * defused (`=`, `+`, `-`, `@`) and quoted around LF/CR. Then HARDENING_CSV_NAMES random file names must survive a
 * round trip through a strict RFC 4180 reader.
 */
import fc from 'fast-check'
import { execFileSync } from 'node:child_process'
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/index'
import { selectBackend } from '../../../src/core/backend'
import { exportResult } from '../../../src/core/export'
import { ModelStore, writeModelFolder } from '../../../src/core/models'
import { rememberConfirmedPath, writeFileAtomically } from '../../../src/main/services/files'
import type { ImportResult } from '../../../src/shared/schemas/import'
import { modelVersion } from './saved-versions'
import { countFromEnv, recordFigures, SEED, tempDir } from './support'

const RUNS = countFromEnv('HARDENING_CSV_NAMES', 200)
const root = tempDir('export-safety')
const linux = process.platform === 'linux'

beforeAll(async () => {
  await selectBackend('cpu')
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Rejects if `promise` has not settled after `ms` (a regression hangs; the test must still end). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer after ${ms} ms`)), ms))
  ])
}

describe('writing an export file', () => {
  it('does not follow a link planted at the predictable temporary name', async () => {
    const victim = path.join(root, 'victim.txt')
    writeFileSync(victim, 'precious')
    const file = path.join(root, 'export.csv')
    symlinkSync(victim, `${file}.${process.pid}.tmp`)
    await writeFileAtomically(file, 'a,b\r\n', 'if-confirmed')
    expect(readFileSync(victim, 'utf8')).toBe('precious')
    expect(readFileSync(file, 'utf8')).toBe('a,b\r\n')
    // No temporary file is left behind; the temporary names are not guessable.
    expect(readdirSync(root).filter((f) => f.startsWith('.export.csv'))).toEqual([])
  })

  it('replaces an existing file only where the user confirmed it in the save dialog', async () => {
    const file = path.join(root, 'existing.csv')
    writeFileSync(file, 'old')
    const refused = await writeFileAtomically(file, 'new', 'if-confirmed').catch((e: Error) => e)
    expect(refused).toMatchObject({ code: 'conflict' })
    expect((refused as Error).message).toMatch(/already exists/)
    expect(readFileSync(file, 'utf8')).toBe('old')
    rememberConfirmedPath(file)
    await writeFileAtomically(file, 'new', 'if-confirmed')
    expect(readFileSync(file, 'utf8')).toBe('new')
  })

  it.runIf(linux)('never writes through a link or over a FIFO, even when confirmed', async () => {
    const victim = path.join(root, 'victim-2.txt')
    writeFileSync(victim, 'precious')
    const link = path.join(root, 'link.csv')
    symlinkSync(victim, link)
    const fifo = path.join(root, 'pipe.csv')
    execFileSync('mkfifo', [fifo])
    for (const file of [link, fifo]) {
      rememberConfirmedPath(file)
      const error = await writeFileAtomically(file, 'x', 'if-confirmed').catch((e: Error) => e)
      expect((error as Error).message).toMatch(/symbolic link|named pipe/)
    }
    expect(readFileSync(victim, 'utf8')).toBe('precious')
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(lstatSync(fifo).isFIFO()).toBe(true)
  })

  it.runIf(linux)('answers at once for exports under /proc/self/x/…', async () => {
    const started = performance.now()
    const file = `/proc/self/x/${path.basename(root)}/out.csv`
    await expect(within(writeFileAtomically(file, 'x'), 5000)).rejects.toMatchObject({ code: 'io' })
    const store = new ModelStore({ dir: path.join(root, 'library') })
    const v = modelVersion(1)
    await store.save('m', v.weights, v.metadata)
    await expect(within(store.exportFolder('m', '/proc/self/x/m'), 5000)).rejects.toThrow('/proc/self/x')
    const ms = performance.now() - started
    expect(ms).toBeLessThan(5000)
    recordFigures('export-safety', { procExportMs: Math.round(ms) })
  })
})

describe('digit-studio import --export', () => {
  it('refuses an existing file before importing, and replaces it with --force', async () => {
    const model = path.join(root, 'cli-model')
    const v = modelVersion(2)
    await writeModelFolder(model, v.weights, v.metadata)
    const scans = path.join(root, 'scans')
    mkdirSync(scans)
    const out = path.join(root, 'result.json')
    writeFileSync(out, 'keep')
    let stderr = ''
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), isTTY: false }
    expect(await main(['import', scans, '--model', model, '--export', out], io)).toBe(1)
    expect(stderr).toMatch(/already exists; add --force/)
    expect(readFileSync(out, 'utf8')).toBe('keep')
    expect(await main(['import', scans, '--model', model, '--export', out, '--force'], io)).toBe(0)
    expect(JSON.parse(readFileSync(out, 'utf8')).folder).toBe(scans)
  })
})

/** A strict RFC 4180 reader: quoted fields may hold commas, quotes (doubled), CR and LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = text.startsWith('\uFEFF') ? 1 : 0
  let quoted = false
  for (; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else if (c === '\r' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} outside quotes`)
    else field += c
  }
  if (field !== '' || row.length) throw new Error('last record has no CRLF')
  return rows
}

function resultWithFiles(files: string[]): ImportResult {
  return {
    folder: '/scans',
    modelId: 'default',
    modelName: 'shipped',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    seconds: 1,
    outcome: 'unlabelled',
    counts: { images: files.length, labelled: 0, unlabelled: files.length, noDigit: 0, skipped: 0 },
    noDigitFiles: [],
    skipped: [],
    evaluation: null,
    samples: files.map((file) => ({
      file,
      label: null,
      labelSource: null,
      predicted: 3,
      confidence: 0.9,
      top3: [{ digit: 3, probability: 0.9 }],
      probabilities: Array.from({ length: 10 }, (_, d) => (d === 3 ? 0.9 : 0.1 / 9)),
      noDigit: false,
      view28: null
    }))
  }
}

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

describe('CSV exports', () => {
  it('defuses formulas and quotes bare LF and CR', () => {
    const names = [
      '=HYPERLINK("http://x","y").png',
      '+1.png',
      '-2.png',
      '@SUM(A1).png',
      'a\nb.png',
      'c\rd.png'
    ]
    const rows = parseCsv(exportResult(resultWithFiles(names), 'samples-csv').content)
    expect(rows).toHaveLength(names.length + 1)
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      `'=HYPERLINK("http://x","y").png`,
      "'+1.png",
      "'-2.png",
      "'@SUM(A1).png",
      'a\nb.png',
      'c\rd.png'
    ])
  })

  it(`round-trips ${RUNS} random file names`, () => {
    const chars = fc.constantFrom(
      'a',
      '7',
      '.',
      ',',
      '"',
      '\n',
      '\r',
      '=',
      '+',
      '-',
      '@',
      ' ',
      'é',
      '\t',
      '＝'
    )
    let defused = 0
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: chars, minLength: 1, maxLength: 12 }), { maxLength: 5 }),
        (names) => {
          const rows = parseCsv(exportResult(resultWithFiles(names), 'samples-csv').content)
          expect(rows).toHaveLength(names.length + 1)
          rows.slice(1).forEach((row, i) => {
            expect(row).toHaveLength(rows[0].length)
            const expected = FORMULA_START.test(names[i]) ? `'${names[i]}` : names[i]
            if (expected !== names[i]) defused++
            expect(row[0]).toBe(expected)
          })
        }
      ),
      { numRuns: RUNS, seed: SEED }
    )
    recordFigures('export-safety', { csvNameSets: RUNS, formulasDefused: defused })
  })
})
