import { describe, expect, it } from 'vitest'
import { callService, drawStroke, openView, predictedDigit, SEVEN, webAppAt } from './ui-helpers'

describe('Settings: the backend choice, and settings that follow main', () => {
  const running = webAppAt('settings')

  const runningBackend = () => running.page.getByTestId('backend-running').getAttribute('data-backend')

  it('says what each backend is and which one runs', async () => {
    const { page } = running
    await expect.poll(runningBackend, { timeout: 30_000 }).not.toBe('')
    expect(await runningBackend()).toBe(await page.getByTestId('backend-name').textContent())
    for (const choice of ['auto', 'tensorflow', 'wasm', 'cpu']) {
      const label = page.getByTestId(`backend-${choice}`).locator('xpath=..')
      expect(((await label.textContent()) ?? '').length).toBeGreaterThan(20)
    }
    expect(await page.getByTestId('backend-auto').isChecked()).toBe(true)
    expect(await page.getByTestId('backend-detail').textContent()).not.toBe('')
  })

  it('switches to plain JavaScript, stores the choice, and still predicts', async () => {
    const { page } = running
    await page.getByTestId('backend-cpu').check()
    await expect.poll(runningBackend, { timeout: 60_000 }).toBe('cpu')
    expect(await page.getByTestId('backend-name').textContent()).toBe('cpu')
    expect(((await callService(page, 'settings.get')) as { backend: string }).backend).toBe('cpu')
    await openView(page, 'draw')
    await drawStroke(page, SEVEN)
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).toBe('7')
    await page.keyboard.press('Delete')
    await openView(page, 'settings')
    await page.getByTestId('backend-auto').check()
    await expect.poll(runningBackend, { timeout: 60_000 }).not.toBe('cpu')
  })

  it('follows settings another window changed (settings.changed), without a reload', async () => {
    const { page } = running
    const other = await page.context().newPage()
    await other.goto(running.url)
    await other.getByTestId('theme-select').waitFor({ timeout: 60_000 })
    await other.getByTestId('theme-select').selectOption('dark')
    await other.getByTestId('locale-select').selectOption('zh-CN')
    await expect.poll(() => page.locator('html').getAttribute('data-theme'), { timeout: 30_000 }).toBe('dark')
    await expect.poll(() => page.getByTestId('nav-settings').textContent()).toContain('设置')
    expect(await page.getByTestId('theme-select').inputValue()).toBe('dark')
    await other.getByTestId('theme-select').selectOption('system')
    await other.getByTestId('locale-select').selectOption('en')
    await expect
      .poll(() => page.getByTestId('nav-settings').textContent(), { timeout: 30_000 })
      .toContain('Settings')
    await other.close()
    expect(running.logs.filter((line) => line.startsWith('pageerror'))).toEqual([])
  })
})
