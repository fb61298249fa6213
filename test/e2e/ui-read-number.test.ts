import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { callService, saveScreenshot, webAppAt } from './ui-helpers'

/** Digits as strokes in a cell (fractions: x across the cell, y down the pad's height). */
const TWO: [number, number][][] = [
  [
    [0.15, 0.3],
    [0.35, 0.12],
    [0.7, 0.12],
    [0.85, 0.3],
    [0.72, 0.52],
    [0.12, 0.88],
    [0.9, 0.88]
  ]
]
const ZERO: [number, number][][] = [
  Array.from({ length: 25 }, (_, i): [number, number] => {
    const a = (i / 24) * 2 * Math.PI
    return [0.5 + 0.38 * Math.sin(a), 0.5 - 0.38 * Math.cos(a)]
  })
]
const SIX: [number, number][][] = [
  [
    [0.78, 0.12],
    [0.42, 0.32],
    [0.2, 0.6],
    [0.28, 0.84],
    [0.52, 0.9],
    [0.78, 0.76],
    [0.72, 0.58],
    [0.45, 0.52],
    [0.2, 0.64]
  ]
]

/** Writes digits side by side on the pad with the mouse: cells 0.45 pad-heights wide, 0.2 apart. */
async function writeNumber(page: Page, digits: [number, number][][][]): Promise<void> {
  const box = (await page.getByTestId('drawing-pad').boundingBox())!
  const cell = 0.45 * box.height
  for (const [i, strokes] of digits.entries()) {
    const left = box.x + 0.3 * box.height + i * (cell + 0.2 * box.height)
    for (const stroke of strokes) {
      const at = ([x, y]: [number, number]): [number, number] => [left + x * cell, box.y + y * box.height]
      await page.mouse.move(...at(stroke[0]))
      await page.mouse.down()
      for (let k = 1; k < stroke.length; k++) {
        const [x0, y0] = stroke[k - 1]
        const [x1, y1] = stroke[k]
        for (let s = 1; s <= 4; s++)
          await page.mouse.move(...at([x0 + ((x1 - x0) * s) / 4, y0 + ((y1 - y0) * s) / 4]))
      }
      await page.mouse.up()
    }
  }
}

describe('Draw: a number written on the pad is read whole', () => {
  const running = webAppAt('draw')

  it('reads "2026" written with mouse strokes from the status element, with a box over each digit', async () => {
    const { page } = running
    const pad = page.getByLabel('Drawing pad')
    expect(await pad.count()).toBe(1)
    const size = (await pad.boundingBox())!
    expect(size.width).toBeGreaterThan(2.5 * size.height)
    await writeNumber(page, [TWO, ZERO, TWO, SIX])
    const status = page.getByRole('status').filter({ hasText: 'Predicted number' })
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain('Predicted number: 2026')
    // The first run of digits in the status element is the whole reading.
    expect((await status.textContent())?.match(/\d+/)?.[0]).toBe('2026')
    expect(await page.getByTestId('pad-digit').count()).toBe(4)
    // The ink is drawn where it was written: its extent on the canvas (in CSS pixels) lies within the digits' boxes.
    type Canvas2D = {
      width: number
      height: number
      getBoundingClientRect(): { left: number; width: number }
      getContext(kind: '2d'): {
        getImageData(
          x: number,
          y: number,
          w: number,
          h: number
        ): { data: Uint8ClampedArray; width: number; height: number }
      }
    }
    const extent = await pad.evaluate((element) => {
      const canvas = element as unknown as Canvas2D
      const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)
      let [x0, x1] = [width, -1]
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4
          if (data[i] + data[i + 1] + data[i + 2] < 3 * 128) [x0, x1] = [Math.min(x0, x), Math.max(x1, x)]
        }
      const rect = canvas.getBoundingClientRect()
      const scale = rect.width / width
      return { left: rect.left + x0 * scale, right: rect.left + x1 * scale }
    })
    const boxes = await page
      .getByTestId('pad-digit')
      .evaluateAll((all) =>
        all.map((b) => b.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right }))
      )
    expect(extent.left).toBeGreaterThanOrEqual(Math.min(...boxes.map((b) => b.left)) - 4)
    expect(extent.right).toBeLessThanOrEqual(Math.max(...boxes.map((b) => b.right)) + 4)
    await saveScreenshot(page, 'draw-number')
  })

  it("flags each digit's box at the user's not-sure threshold, and names the unsure ones", async () => {
    const { page } = running
    const flags = async () =>
      page
        .getByTestId('pad-digit')
        .evaluateAll((boxes) => boxes.map((b) => b.getAttribute('data-flag') ?? ''))
    await expect.poll(async () => (await flags()).length).toBe(4)
    for (const flag of await flags()) expect(['sure', 'not-sure', 'not-a-digit']).toContain(flag)
    // The strictest threshold: the read is flagged again with it when the number is written again.
    await callService(page, 'settings.set', { unsureThreshold: 0.99 })
    await page.getByTestId('clear').click()
    await writeNumber(page, [TWO, ZERO, TWO, SIX])
    await expect.poll(async () => (await flags()).length, { timeout: 30_000 }).toBe(4)
    const strict = await flags()
    const unsure = strict.flatMap((f, i) => (f === 'not-sure' ? [i + 1] : []))
    const notes = page.getByTestId('number-flag')
    if (unsure.length > 0) {
      await expect.poll(() => notes.first().textContent()).toContain(`digit no. ${unsure.join(', ')}`)
      await saveScreenshot(page, 'draw-number-flags')
    }
    await callService(page, 'settings.set', { unsureThreshold: 0.3 })
    await page.getByTestId('clear').click()
    await writeNumber(page, [TWO, ZERO, TWO, SIX])
    await expect.poll(async () => (await flags()).length, { timeout: 30_000 }).toBe(4)
    // No digit is "not sure" at the lowest threshold (below it a piece is "not a digit").
    expect(await flags()).not.toContain('not-sure')
    await callService(page, 'settings.set', { unsureThreshold: 0.8 })
  })
})
