import { describe, expect, it } from 'vitest'
import type { RunningApp } from './harness'
import { mnistFolder, openView, saveScreenshot, webAppAt } from './ui-helpers'
import { hasMnist } from '../support/paths'

const points = async (running: RunningApp, chart: string): Promise<number> =>
  Number(await running.page.getByTestId(chart).getAttribute('data-points'))

describe.skipIf(!hasMnist())('Train: a short run on an MNIST subset draws live curves', () => {
  const running = webAppAt('train')

  it('shows the paper’s hyperparameters as defaults', async () => {
    const { page } = running
    expect(await page.getByTestId('hp-epochs').inputValue()).toBe('10')
    expect(await page.getByTestId('hp-batch-size').inputValue()).toBe('100')
    expect(Number(await page.getByTestId('hp-learning-rate').inputValue())).toBe(0.001)
    expect(await page.getByTestId('hp-hidden-1').inputValue()).toBe('100')
    expect(await page.getByTestId('hp-report-every').inputValue()).toBe('100')
  })

  it('checks the MNIST folder and lists the four files', async () => {
    const { page } = running
    await page.getByTestId('mnist-folder').fill(mnistFolder)
    await page.getByTestId('mnist-check').click()
    await expect
      .poll(() => page.getByTestId('mnist-message').textContent(), { timeout: 60_000 })
      .toContain('All four MNIST files are ready')
    expect(await page.getByTestId('mnist-files').locator('li').count()).toBe(4)
  })

  it('trains, keeps going while the user draws, and plots batch and epoch points', async () => {
    const { page } = running
    await page.getByTestId('hp-epochs').fill('2')
    await page.getByTestId('hp-report-every').fill('2')
    await page.getByTestId('train-subset').fill('2000')
    await page.getByTestId('test-subset').fill('500')
    await page.getByTestId('model-name').fill('e2e curves')
    // The advanced choice of training step reaches the run, and the run panel says which step ran.
    await page.getByTestId('training-step').selectOption('lean')
    await page.getByTestId('train-start').click()

    // The run goes on while another view is open: the status bar shows it, and no event is lost.
    await openView(page, 'draw')
    await expect
      .poll(() => page.getByTestId('training-state').getAttribute('data-state'), { timeout: 120_000 })
      .toBe('done')
    await openView(page, 'train')
    expect(await points(running, 'accuracy-chart')).toBe(await points(running, 'loss-chart'))
    // The curves start with the untrained model, at step 0.
    expect(await page.getByTestId('loss-chart').getAttribute('data-first-x')).toBe('0')
    expect(await page.getByTestId('accuracy-chart').getAttribute('data-first-x')).toBe('0')

    // 2,000 images, batch 100, a report every 2 batches: about 10 batch points per epoch, 2 epochs.
    expect(await points(running, 'loss-chart')).toBeGreaterThanOrEqual(10)
    expect(await page.getByTestId('epochs-table').locator('tbody tr').count()).toBe(2)
    expect(await page.getByTestId('stat-training-step').getAttribute('data-step')).toBe('lean')
    const accuracy = (await page.getByTestId('stat-test-accuracy').textContent()) ?? ''
    expect(Number.parseFloat(accuracy)).toBeGreaterThan(50)
    expect(await page.getByTestId('training-saved').textContent()).toMatch(
      /Saved as model “e2e curves” after epoch 2/
    )
    // "Use this model" after the run: the status bar follows.
    await page.getByTestId('training-use-model').click()
    await expect.poll(() => page.getByTestId('status-model').textContent()).toContain('e2e curves')
    await page.getByTestId('view-train').evaluate((element) => element.closest('main')?.scrollTo({ top: 0 }))
    await saveScreenshot(page, 'train')
    expect(running.logs.filter((line) => line.startsWith('pageerror'))).toEqual([])
  })
})
