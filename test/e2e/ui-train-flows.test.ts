import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebApp, type RunningApp } from './harness'
import { mnistFolder, openView } from './ui-helpers'

const epochRows = (running: RunningApp) => running.page.getByTestId('epochs-table').locator('tbody tr')
const state = (running: RunningApp) => running.page.getByTestId('training-state').getAttribute('data-state')

describe('Train: plain field errors, a confirmed cancel that says what was kept, a reload that loses nothing', () => {
  let running: RunningApp

  beforeAll(async () => {
    running = await startWebApp()
    const { page } = running
    await openView(page, 'train')
    await page.getByTestId('mnist-folder').fill(mnistFolder)
    await page.getByTestId('mnist-check').click()
    await page
      .getByTestId('mnist-message')
      .getByText('All four MNIST files are ready')
      .waitFor({ timeout: 60_000 })
  })
  afterAll(async () => {
    await running?.close()
  })

  it('shows a rejected value at its field, in plain words', async () => {
    const { page } = running
    await page.getByTestId('hp-epochs').fill('0')
    await page.getByTestId('train-start').click()
    await page.getByTestId('hp-epochs-error').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('hp-epochs-error').textContent()).toMatch(/whole number from 1 to 1000/)
    expect(await page.getByTestId('hp-epochs').getAttribute('aria-invalid')).toBe('true')
    const problem = (await page.getByTestId('problem').textContent()) ?? ''
    expect(problem).not.toMatch(/Invalid request|✖|expected/)
    expect(await page.getByTestId('hp-batch-size').getAttribute('aria-invalid')).toBeNull()
  })

  it('resets every field, the image counts too, with "Paper defaults"', async () => {
    const { page } = running
    await page.getByTestId('train-subset').fill('2000')
    await page.getByTestId('test-subset').fill('500')
    await page.getByTestId('hp-learning-rate').fill('0.01')
    await page.getByTestId('hp-defaults').click()
    expect(await page.getByTestId('hp-epochs').inputValue()).toBe('10')
    expect(Number(await page.getByTestId('hp-learning-rate').inputValue())).toBe(0.001)
    expect(await page.getByTestId('train-subset').inputValue()).toBe('')
    expect(await page.getByTestId('test-subset').inputValue()).toBe('')
    expect(await page.getByTestId('hp-epochs-error').count()).toBe(0)
  })

  it('translates the charts’ axis with the interface', async () => {
    const { page } = running
    expect(await page.getByTestId('loss-chart').getAttribute('data-x-title')).toBe('Step')
    await page.getByTestId('locale-select').selectOption('zh-CN')
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-x-title')).not.toBe('Step')
    expect(await page.getByTestId('accuracy-chart').getAttribute('data-x-title')).toMatch(/[\u4e00-\u9fff]/)
    await page.getByTestId('locale-select').selectOption('en')
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-x-title')).toBe('Step')
  })

  it('shows the same run after a reload: epoch total, curves from the start, log, epochs', async () => {
    const { page } = running
    await page.getByTestId('hp-epochs').fill('300')
    await page.getByTestId('hp-report-every').fill('2')
    // Long enough that it is still running when the window reloads and the cancel comes.
    await page.getByTestId('train-subset').fill('5000')
    await page.getByTestId('test-subset').fill('500')
    await page.getByTestId('model-name').fill('e2e cancelled run')
    await page.getByTestId('train-start').click()
    await expect.poll(() => epochRows(running).count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(1)

    await page.reload()
    await openView(page, 'train')
    await expect.poll(() => state(running), { timeout: 30_000 }).toBe('running')
    expect(await page.getByTestId('stat-epoch').textContent()).toMatch(/^\s*\d+ \/ 300\s*$/)
    expect(await epochRows(running).count()).toBeGreaterThanOrEqual(1)
    // The curves start at the first report, not at the reload.
    expect(await page.getByTestId('loss-chart').getAttribute('data-first-x')).toBe('0')
    expect(Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBeGreaterThan(10)
    expect(await page.getByTestId('training-log').textContent()).not.toBe(
      'Lines printed during training appear here.'
    )
    expect(await page.getByTestId('training-progress').getAttribute('aria-valuenow')).not.toBeNull()
  })

  it('asks before cancelling, then names the model kept and after which epoch', async () => {
    const { page } = running
    await page.getByTestId('train-cancel').click()
    const dialog = page.getByTestId('cancel-training-dialog')
    await dialog.waitFor()
    expect(await dialog.isVisible()).toBe(true)
    // Keep training: nothing happens.
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click()
    expect(await state(running)).toBe('running')
    await page.getByTestId('train-cancel').click()
    await dialog.getByRole('button', { name: 'Cancel training' }).click()
    await expect.poll(() => state(running), { timeout: 60_000 }).toBe('cancelled')
    const saved = page.getByTestId('training-saved')
    await saved.waitFor()
    const text = (await saved.textContent()) ?? ''
    const epoch = Number(/after epoch (\d+) of 300/.exec(text)?.[1])
    expect(text).toContain('e2e cancelled run')
    expect(epoch).toBeGreaterThanOrEqual(1)
    expect(await page.getByTestId('training-outcome').getAttribute('role')).toBe('status')
    await page.getByTestId('training-use-model').click()
    await expect.poll(() => page.getByTestId('status-model').textContent()).toContain('e2e cancelled run')
    await page.getByTestId('training-in-use').waitFor()
  })

  it('exports the run’s history as CSV, one row per point of the curves', async () => {
    const { page } = running
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-history').click()
    ])
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/)
    expect(lines[0].split(',').slice(0, 3)).toEqual(['kind', 'step', 'epoch'])
    const batches = lines.filter((line) => line.startsWith('batch,')).length
    const epochs = lines.filter((line) => line.startsWith('epoch,')).length
    expect(epochs).toBe(await epochRows(running).count())
    expect(batches + 2 * epochs).toBe(
      Number(await page.getByTestId('loss-chart').getAttribute('data-points'))
    )
    expect(running.logs.filter((line) => line.startsWith('pageerror'))).toEqual([])
  })
})
