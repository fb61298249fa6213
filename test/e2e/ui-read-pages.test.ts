import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasMnist } from '../support/paths'
import { buildPage, mnistDigits, type BuiltPage } from '../support/reading-pages'
import { startWebApp, type RunningApp } from './harness'
import { openView, saveScreenshot } from './ui-helpers'

const missing = !hasMnist()

describe.skipIf(missing)('Read: a page is read, corrected and exported', () => {
  let running: RunningApp
  let built: BuiltPage
  const folder = mkdtempSync(join(tmpdir(), 'digit-studio-e2e-pages-'))
  const file = join(folder, 'page.jpg')

  beforeAll(async () => {
    built = await buildPage(
      {
        layout: 'ruled',
        lines: [6, 4, 5],
        skewDegrees: 2,
        unevenLight: true,
        noise: 5,
        format: 'jpeg',
        seed: 3
      },
      mnistDigits(60, 500)
    )
    writeFileSync(file, built.file)
    running = await startWebApp()
    await openView(running.page, 'read')
  })
  afterAll(async () => {
    await running?.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('opens a page, shows its lines, takes a correction and exports the corrected lines', async () => {
    const { page } = running
    await page.getByTestId('read-files').fill(file)
    await page.getByTestId('read-pages').click()
    const lines = page.getByTestId('read-line')
    await expect.poll(() => lines.count(), { timeout: 60_000 }).toBe(3)
    const read = await Promise.all([0, 1, 2].map((i) => lines.nth(i).inputValue()))
    expect(read.map((text) => text.length)).toEqual(built.truth.map((line) => line.length))
    await saveScreenshot(page, 'read')
    // Each digit's box carries its flag; a line with a flagged digit says so beside its field.
    const flags = await page
      .getByTestId('read-box')
      .evaluateAll((boxes) => boxes.map((b) => b.getAttribute('data-flag') ?? ''))
    expect(flags).toHaveLength(15)
    for (const flag of flags) expect(['sure', 'not-sure', 'not-a-digit']).toContain(flag)
    const flagged = flags.filter((f) => f !== 'sure').length
    const notes = await page.getByTestId('read-line-flag').count()
    if (flagged === 0) expect(notes).toBe(0)
    else expect(notes).toBeGreaterThan(0)

    // Correct the second line to what was written, then export.
    const written = built.truth[1].join('')
    const typed = written === '0000' ? '1111' : written
    await lines.nth(1).fill(typed)
    const download = page.waitForEvent('download')
    await page.getByTestId('read-export-csv').click()
    const saved = await (await download).path()
    const csv = readFileSync(saved, 'utf8').split('\r\n')
    expect(csv[0]).toBe('\uFEFFfile,line,text,digits,lowest_confidence')
    expect(csv[2].split(',')[2]).toBe(typed)
    expect(csv[1].split(',')[2]).toBe(read[0])
  })
})
