import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { main } from '../../../src/cli/index'
import type { CliIo } from '../../../src/cli/types'
import { buildPage, mnistDigits, type BuiltPage, type InkDigit } from '../../support/reading-pages'
import { hasMnist } from '../../support/paths'

const missing = !hasMnist()

const root = mkdtempSync(path.join(tmpdir(), 'digit-cli-read-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false }
  const code = await main(args, io)
  return { code, out, err }
}

/** The shape the issue asks for, exactly (extra fields allowed). */
const Box = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive()
})
const ReadJson = z.object({
  files: z.array(
    z.union([
      z.object({
        file: z.string(),
        lines: z.array(
          z.object({
            text: z.string(),
            digits: z.array(
              z.object({
                digit: z.number().int().min(0).max(9),
                confidence: z.number().min(0).max(1),
                box: Box
              })
            )
          })
        )
      }),
      z.object({ file: z.string(), error: z.string() })
    ])
  )
})

let pages: { file: string; page: BuiltPage }[] = []
/** Digits sorted by label: row k of the rows page holds only digit k. */
let rowsPage: BuiltPage
beforeAll(async () => {
  if (missing) return
  const digits = mnistDigits(300, 2000)
  pages = []
  for (const [i, format] of (['png', 'jpeg'] as const).entries()) {
    const page = await buildPage(
      { layout: i ? 'ruled' : 'plain', lines: [6, 4], skewDegrees: i ? 2 : 0, format, seed: i + 1 },
      digits.slice(i * 20)
    )
    const file = path.join(root, `page${i}.${format === 'jpeg' ? 'jpg' : 'png'}`)
    writeFileSync(file, page.file)
    pages.push({ file, page })
  }
  const byLabel: InkDigit[] = []
  for (const label of [0, 1, 2, 3]) byLabel.push(...digits.filter((d) => d.label === label).slice(0, 6))
  rowsPage = await buildPage({ layout: 'ruled', lines: [6, 6, 6, 6], format: 'png', seed: 9 }, byLabel)
  writeFileSync(path.join(root, 'rows.png'), rowsPage.file)
})

describe.skipIf(missing)('digit-studio read', () => {
  it('--json gives each file its lines top to bottom, digits with confidence and box', async () => {
    const { code, out } = await cli(['read', ...pages.map((p) => p.file), '--json'])
    expect(code).toBe(0)
    const doc = ReadJson.parse(JSON.parse(out))
    expect(doc.files.map((f) => f.file)).toEqual(pages.map((p) => p.file))
    doc.files.forEach((entry, i) => {
      if (!('lines' in entry)) throw new Error(`${entry.file} was not read`)
      expect(entry.lines.map((l) => l.digits.length)).toEqual(pages[i].page.truth.map((l) => l.length))
      for (const line of entry.lines) {
        expect(line.text).toBe(line.digits.map((d) => d.digit).join(''))
        for (const d of line.digits) {
          expect(d.box.x + d.box.width).toBeLessThanOrEqual(pages[i].page.width)
          expect(d.box.y + d.box.height).toBeLessThanOrEqual(pages[i].page.height)
        }
      }
    })
  })

  it('flags each digit "sure", "not sure" or "not a digit" at --threshold', async () => {
    const flags = async (threshold: string) => {
      const { out } = await cli(['read', pages[0].file, '--json', '--threshold', threshold])
      const doc = z
        .object({
          files: z.array(
            z.object({
              lines: z.array(
                z.object({
                  digits: z.array(z.object({ flag: z.enum(['sure', 'not-sure', 'not-a-digit']).nullable() }))
                })
              )
            })
          )
        })
        .parse(JSON.parse(out))
      return doc.files[0].lines.flatMap((l) => l.digits.map((d) => d.flag))
    }
    const lenient = await flags('0.3')
    const strict = await flags('0.99')
    expect(lenient).toHaveLength(strict.length)
    expect(lenient).not.toContain('not-sure')
    const count = (list: typeof lenient, flag: string) => list.filter((f) => f === flag).length
    expect(count(lenient, 'sure')).toBeGreaterThan(0)
    expect(count(strict, 'sure')).toBeLessThanOrEqual(count(lenient, 'sure'))
    const text = await cli(['read', pages[0].file, '--threshold', '0.99'])
    if (count(strict, 'not-sure') > 0) expect(text.out).toContain('not sure: digit')
    expect((await cli(['read', pages[0].file, '--threshold', '2'])).code).not.toBe(0)
  })

  it('gives a corrupt image an error entry naming it and the reason, reads the others, exits 1', async () => {
    const corrupt = path.join(root, 'corrupt.png')
    writeFileSync(corrupt, Buffer.concat([pages[0].page.file.subarray(0, 200)]))
    const { code, out } = await cli(['read', pages[0].file, corrupt, pages[1].file, '--json'])
    expect(code).toBe(1)
    const doc = ReadJson.parse(JSON.parse(out))
    expect(doc.files).toHaveLength(3)
    expect(doc.files[1]).toMatchObject({ file: corrupt, error: expect.stringMatching(/damaged|truncated/) })
    expect('lines' in doc.files[0] && 'lines' in doc.files[2]).toBe(true)
    const text = await cli(['read', corrupt])
    expect(text.code).toBe(1)
    expect(text.err).toContain(corrupt)
  })
})

describe.skipIf(missing)('digit-studio cut', () => {
  it('with the rows rule makes the labelled folder that import evaluates, and lists rows it cannot label', async () => {
    const out = path.join(root, 'cut-rows')
    // Four rows on the page, three digits in the rule: the fourth row cannot be labelled.
    const { code, out: json } = await cli([
      'cut',
      path.join(root, 'rows.png'),
      '--out',
      out,
      '--rows',
      '012',
      '--json'
    ])
    expect(code).toBe(0)
    const doc = JSON.parse(json)
    expect(readdirSync(out).sort()).toEqual(['0', '1', '2'])
    for (const digit of ['0', '1', '2']) expect(readdirSync(path.join(out, digit))).toHaveLength(6)
    expect(doc.cut.written).toBe(18)
    expect(doc.cut.unassigned).toHaveLength(6)
    expect(doc.cut.unassigned[0]).toMatchObject({ line: 4, reason: expect.stringMatching(/row 4/) })
    expect(doc.labelled).toBe(18)
    expect(doc.perDigit[1]).toMatchObject({ samples: 6 })

    const imported = JSON.parse((await cli(['import', out, '--json'])).out)
    expect(imported.labelled).toBe(18)
    expect(imported.accuracy).toBe(doc.accuracy)
  })

  it('with a lines file labels lines whose digit count matches and lists the others', async () => {
    const linesFile = path.join(root, 'lines.txt')
    const [first, second] = rowsPage.truth
    writeFileSync(linesFile, `${first.join('')}\n${second.join(' ')}9\n`)
    const out = path.join(root, 'cut-lines')
    const { code, out: json } = await cli([
      'cut',
      path.join(root, 'rows.png'),
      '--out',
      out,
      '--lines',
      linesFile,
      '--json'
    ])
    expect(code).toBe(0)
    const doc = JSON.parse(json)
    expect(doc.cut.written).toBe(6)
    expect(doc.cut.unassigned.filter((u: { line: number }) => u.line === 2)[0].reason).toMatch(
      /found 6 digits .* has 7/
    )
    expect(doc.cut.unassigned.filter((u: { line: number }) => u.line === 3)[0].reason).toMatch(/no line 3/)
  })

  it('refuses bad rules and a non-empty output folder', async () => {
    expect(
      (await cli(['cut', path.join(root, 'rows.png'), '--out', path.join(root, 'x'), '--rows', '0a'])).code
    ).toBe(2)
    expect((await cli(['cut', path.join(root, 'rows.png'), '--out', path.join(root, 'x')])).code).toBe(2)
    const bad = path.join(root, 'bad-lines.txt')
    writeFileSync(bad, '012\nabc\n')
    const lines = await cli([
      'cut',
      path.join(root, 'rows.png'),
      '--out',
      path.join(root, 'y'),
      '--lines',
      bad
    ])
    expect(lines.code).toBe(1)
    expect(lines.err).toMatch(/bad-lines\.txt:2/)
    const full = await cli([
      'cut',
      path.join(root, 'rows.png'),
      '--out',
      path.join(root, 'cut-rows'),
      '--rows',
      '0'
    ])
    expect(full.code).toBe(1)
    expect(full.err).toMatch(/not empty/)
  })
})
