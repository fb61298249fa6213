import { describe, expect, it } from 'vitest'
import { callService, drawStroke, ONE, predictedDigit, saveScreenshot, SEVEN, webAppAt } from './ui-helpers'

describe('Draw: a digit drawn with the mouse is recognised live', () => {
  const running = webAppAt('draw')

  it('starts in the friendly empty state', async () => {
    const { page } = running
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Draw a digit' }).count()).toBe(1)
    expect(
      await page.getByRole('img', { name: 'Drawing pad' }).or(page.getByLabel('Drawing pad')).count()
    ).toBe(1)
    expect(await predictedDigit(page)).toBe('')
  })

  it('reads a drawn 7 and a drawn 1 from the status element', async () => {
    const { page } = running
    await drawStroke(page, SEVEN)
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).toBe('7')
    await expect.poll(() => page.getByTestId('predicted-digit').textContent()).toContain('Predicted digit: 7')
    // The ten probabilities and the 28×28 view are shown beside it.
    expect(await page.getByTestId('probabilities').locator('li').count()).toBe(10)
    await saveScreenshot(page, 'draw')

    await page.keyboard.press('Delete')
    await expect.poll(() => predictedDigit(page)).toBe('')
    await drawStroke(page, ONE)
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).toBe('1')
  })

  it('switches language and theme, and remembers them after a reload', async () => {
    const { page } = running
    await page.getByTestId('locale-select').selectOption('zh-CN')
    await page.getByTestId('theme-select').selectOption('dark')
    await expect.poll(() => page.getByTestId('nav-draw').textContent()).toContain('书写')
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark')
    // Both choices reach the settings store before the window is reloaded.
    await expect
      .poll(async () => {
        const stored = (await callService(page, 'settings.get')) as { locale?: string; theme?: string }
        return `${stored.locale}/${stored.theme}`
      })
      .toBe('zh-CN/dark')
    await page.reload()
    await expect.poll(() => page.getByTestId('nav-draw').textContent(), { timeout: 30_000 }).toContain('书写')
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark')
    await drawStroke(page, SEVEN)
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).toBe('7')
    await saveScreenshot(page, 'draw-zh-dark')
    await page.getByTestId('locale-select').selectOption('en')
    await page.getByTestId('theme-select').selectOption('system')
    await expect.poll(() => page.getByTestId('nav-draw').textContent()).toContain('Draw')
    await page.getByLabel('Drawing pad').focus()
    await page.keyboard.press('Delete')
    await expect.poll(() => predictedDigit(page)).toBe('')
  })

  it('undoes with Ctrl+Z and clears with the button', async () => {
    const { page } = running
    await page.keyboard.press('Delete')
    await drawStroke(page, SEVEN)
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).toBe('7')
    await drawStroke(page, [
      [0.3, 0.5],
      [0.65, 0.5]
    ])
    await page.keyboard.press('Control+z')
    await expect.poll(() => predictedDigit(page)).toBe('7')
    await page.keyboard.press('Control+z')
    await expect.poll(() => predictedDigit(page)).toBe('')
    await expect(page.getByTestId('undo').isDisabled()).resolves.toBe(true)
    await drawStroke(page, ONE)
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).not.toBe('')
    await page.getByTestId('clear').click()
    await expect.poll(() => predictedDigit(page)).toBe('')
  })

  it('predicts from the first points of the first stroke, before the pen is lifted', async () => {
    const { page } = running
    await page.keyboard.press('Delete')
    await expect.poll(() => predictedDigit(page)).toBe('')
    const box = (await page.getByTestId('drawing-pad').boundingBox())!
    const at = (x: number, y: number): [number, number] => [box.x + x * box.width, box.y + y * box.height]
    await page.mouse.move(...at(0.5, 0.18))
    await page.mouse.down()
    for (let i = 1; i <= 12; i++) await page.mouse.move(...at(0.5, 0.18 + (0.64 * i) / 12))
    // The pen is still down: the answer and the editing buttons already follow the stroke.
    expect(await page.getByTestId('drawing-pad').getAttribute('data-drawing')).toBe('true')
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).toBe('1')
    expect(await page.getByTestId('undo').isEnabled()).toBe(true)
    expect(await page.getByTestId('clear').isEnabled()).toBe(true)
    await page.mouse.up()
    await expect.poll(() => predictedDigit(page)).toBe('1')
  })

  it('keeps Delete and Ctrl+Z working after the pen-width slider was used', async () => {
    const { page } = running
    await page.keyboard.press('Delete')
    await drawStroke(page, SEVEN)
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).toBe('7')
    await page.getByTestId('pen-width').focus()
    await page.getByTestId('pen-width').press('ArrowRight')
    await page.getByTestId('pen-width').fill('24')
    await page.keyboard.press('Control+z')
    await expect.poll(() => predictedDigit(page)).toBe('')
    await drawStroke(page, SEVEN)
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).toBe('7')
    await page.getByTestId('pen-width').fill('20')
    await page.keyboard.press('Delete')
    await expect.poll(() => predictedDigit(page)).toBe('')
    expect(await page.getByTestId('undo').isDisabled()).toBe(true)
  })

  it('keeps draw → prediction fast while drawing (round trips measured in the page)', async () => {
    const { page } = running
    await page.keyboard.press('Delete')
    // A long stroke: many frames, each answered before the next is sent.
    await drawStroke(
      page,
      [
        [0.3, 0.2],
        [0.7, 0.2],
        [0.5, 0.5],
        [0.7, 0.8],
        [0.3, 0.8]
      ],
      25
    )
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).not.toBe('')
    const trips = ((await page.getByTestId('latency').getAttribute('data-round-trips')) ?? '')
      .split(',')
      .map(Number)
      .filter((v) => Number.isFinite(v))
      .sort((a, b) => a - b)
    expect(trips.length).toBeGreaterThan(20)
    const p50 = trips[Math.floor(trips.length * 0.5)]
    const p99 = trips[Math.min(trips.length - 1, Math.floor(trips.length * 0.99))]
    console.log(
      `draw → prediction round trip over ${trips.length} frames: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`
    )
    // Generous bound for a loaded CI machine; the measured numbers are reported above.
    expect(p50).toBeLessThan(100)
    expect(running.logs.filter((line) => line.startsWith('pageerror'))).toEqual([])
  })
})
