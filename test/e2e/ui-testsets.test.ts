import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sharedData } from './harness'
import { saveScreenshot, webAppAt } from './ui-helpers'
import { hasUsps } from '../support/paths'

interface ShownRow {
  digit: number
  samples: number
  correct: number
  accuracy: number
}

/** Splits one CSV line, honouring double quotes. */
function csvFields(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      fields.push(field)
      field = ''
    } else field += c
  }
  fields.push(field)
  return fields.map((f) => f.trim())
}

describe.skipIf(!hasUsps())('Test sets: importing the 600 hand-written digits', () => {
  const running = webAppAt('testsets')
  const shown: ShownRow[] = []

  it('imports with progress and shows the per-digit table', async () => {
    const { page } = running
    await page.getByTestId('testset-folder').fill(join(sharedData, 'usps-600'))
    await page.getByTestId('testset-import').click()
    await page.getByTestId('per-digit-table').waitFor({ timeout: 120_000 })
    expect(await page.getByTestId('sample-count').textContent()).toBe('600')

    for (let digit = 0; digit < 10; digit++) {
      const row = page.getByTestId(`digit-row-${digit}`)
      const cell = async (col: string) => (await row.locator(`[data-col="${col}"]`).textContent()) ?? ''
      shown.push({
        digit,
        samples: Number(await cell('samples')),
        correct: Number(await cell('correct')),
        accuracy: Number.parseFloat(await cell('accuracy'))
      })
    }
    expect(shown.reduce((sum, row) => sum + row.samples, 0)).toBe(600)
    for (const row of shown) {
      expect(row.samples).toBe(60)
      expect(row.accuracy).toBeCloseTo((100 * row.correct) / row.samples, 1)
    }
    const overall = Number.parseFloat((await page.getByTestId('overall-accuracy').textContent()) ?? '')
    const correct = shown.reduce((sum, row) => sum + row.correct, 0)
    expect(overall).toBeCloseTo((100 * correct) / 600, 1)
    await saveScreenshot(page, 'testsets')
  })

  it('draws the confusion matrix as labelled buttons whose rows add up to the table', async () => {
    const { page } = running
    for (const row of shown) {
      let total = 0
      for (let predicted = 0; predicted < 10; predicted++) {
        total += Number(await page.getByTestId(`cell-${row.digit}-${predicted}`).getAttribute('data-count'))
      }
      expect(total).toBeLessThanOrEqual(row.samples)
      const diagonal = page.getByRole('button', {
        name: `true ${row.digit}, predicted ${row.digit}: ${row.correct} samples`
      })
      expect(await diagonal.count()).toBe(1)
    }
  })

  it('opens a cell’s gallery with the original images', async () => {
    const { page } = running
    // The busiest mistake, or a diagonal cell when the model made none.
    let best = { label: 0, predicted: 0, count: 0 }
    for (let label = 0; label < 10; label++) {
      for (let predicted = 0; predicted < 10; predicted++) {
        if (label === predicted) continue
        const count = Number(await page.getByTestId(`cell-${label}-${predicted}`).getAttribute('data-count'))
        if (count > best.count) best = { label, predicted, count }
      }
    }
    if (best.count === 0) best = { label: 0, predicted: 0, count: shown[0].correct }
    await page.getByTestId(`cell-${best.label}-${best.predicted}`).click()
    const gallery = page.getByTestId('gallery')
    await gallery.waitFor()
    expect(await gallery.getByTestId('sample-card').count()).toBe(Math.min(best.count, 60))
    await expect
      .poll(() => gallery.locator('img[src^="data:image"]').count(), { timeout: 30_000 })
      .toBe(Math.min(best.count, 60))
    await gallery.getByTestId('sample-card').first().scrollIntoViewIfNeeded()
    await saveScreenshot(page, 'testsets-gallery')
  })

  it('exports a per-digit CSV whose numbers match the table', async () => {
    const { page } = running
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-per-digit-csv').click()
    ])
    const path = await download.path()
    const lines = readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .filter((line) => line.trim())
      .map(csvFields)
    const header = lines[0].map((h) => h.toLowerCase())
    const column = (name: string) => header.findIndex((h) => h.includes(name))
    const [digitCol, samplesCol, correctCol] = [column('digit'), column('samples'), column('correct')]
    expect(digitCol).toBeGreaterThanOrEqual(0)
    for (const row of shown) {
      const line = lines.find((fields) => fields[digitCol] === String(row.digit))
      expect(line, `CSV row for digit ${row.digit}`).toBeDefined()
      expect(Number(line![samplesCol])).toBe(row.samples)
      expect(Number(line![correctCol])).toBe(row.correct)
    }
    expect(await page.getByTestId('testsets-notice').textContent()).toContain(download.suggestedFilename())
    // The Markdown export names the model as the UI does.
    const [markdown] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-per-digit-md').click()
    ])
    const model = (await page.getByTestId('result-model').textContent()) ?? ''
    expect(model).not.toBe('')
    expect(readFileSync(await markdown.path(), 'utf8')).toContain(model)
    expect(running.logs.filter((line) => line.startsWith('pageerror'))).toEqual([])
  })
})
