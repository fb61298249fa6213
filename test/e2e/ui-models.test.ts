import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebApp, type RunningApp } from './harness'
import { drawStroke, openView, predictedDigit, saveScreenshot, SEVEN, trainQuickly } from './ui-helpers'

describe('Models: switch, rename and delete', () => {
  let running: RunningApp
  let trainedId = ''

  beforeAll(async () => {
    running = await startWebApp()
  })
  afterAll(async () => {
    await running?.close()
  })

  const row = (id: string) => running.page.locator(`[data-testid="model-row"][data-model-id="${id}"]`)

  it('lists a freshly trained model with its metadata', async () => {
    // A second model to switch to: a tiny run through the Train view.
    trainedId = await trainQuickly(running.page, { name: 'e2e quick model' })
    await openView(running.page, 'models')
    await row(trainedId).waitFor()
    const text = (await row(trainedId).textContent()) ?? ''
    expect(text).toContain('e2e quick model')
    expect(text).toContain('2,000')
    expect(await running.page.getByTestId('model-row').count()).toBeGreaterThanOrEqual(1)
  })

  it('switches the active model, and the status bar follows', async () => {
    const { page } = running
    await row(trainedId).getByTestId('model-activate').click()
    await expect.poll(() => row(trainedId).getAttribute('data-active')).toBe('true')
    await expect.poll(() => page.getByTestId('status-model').textContent()).toContain('e2e quick model')
    expect(await page.locator('[data-testid="model-row"][data-active="true"]').count()).toBe(1)
    // The drawing pad now answers with the new model.
    await openView(page, 'draw')
    await drawStroke(page, SEVEN)
    await expect.poll(() => predictedDigit(page), { timeout: 30_000 }).not.toBe('')
    await openView(page, 'models')
  })

  it('renames a model', async () => {
    const { page } = running
    await row(trainedId).getByTestId('model-rename').click()
    await page.getByTestId('rename-input').fill('e2e renamed')
    await page.getByTestId('rename-input').press('Enter')
    await expect.poll(() => row(trainedId).textContent()).toContain('e2e renamed')
    await expect.poll(() => page.getByTestId('status-model').textContent()).toContain('e2e renamed')
    await saveScreenshot(page, 'models')
  })

  it('deletes a model after confirmation (not the active one)', async () => {
    const { page } = running
    const others = page.locator('[data-testid="model-row"][data-active="false"]')
    if ((await others.count()) === 0) return
    // Make another model active, then delete the trained one.
    await others.first().getByTestId('model-activate').click()
    await expect.poll(() => row(trainedId).getAttribute('data-active')).toBe('false')
    await row(trainedId).getByTestId('model-delete').click()
    const dialog = page.getByTestId('confirm-dialog')
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => row(trainedId).count()).toBe(0)
    expect(running.logs.filter((line) => line.startsWith('pageerror'))).toEqual([])
  })
})
