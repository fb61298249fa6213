import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sharedData, startWebApp, type RunningApp } from './harness'
import { openView } from './ui-helpers'

const usps = join(sharedData, 'usps-600')

/** 3 labelled images (folder 3/), 4 unlabelled scans and 2 blank pages. */
async function mixedFolder(root: string): Promise<string> {
  const folder = join(root, 'mixed')
  mkdirSync(join(folder, '3'), { recursive: true })
  for (let i = 0; i < 3; i++) copyFileSync(join(usps, '3', `0${i}.png`), join(folder, '3', `0${i}.png`))
  for (const [i, digit] of [7, 1, 0, 4].entries()) {
    copyFileSync(join(usps, String(digit), '05.png'), join(folder, `scan-${'abcd'[i]}.png`))
  }
  const blank = await sharp(Buffer.alloc(28 * 28, 255), { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toBuffer()
  writeFileSync(join(folder, 'blank-a.png'), blank)
  writeFileSync(join(folder, 'blank-b.png'), blank)
  return folder
}

describe('Test sets: every image is accounted for, and what is on screen is always clear', () => {
  let running: RunningApp
  let root = ''

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'digit-studio-e2e-folders-'))
    running = await startWebApp()
    await openView(running.page, 'testsets')
  })
  afterAll(async () => {
    await running?.close()
    rmSync(root, { recursive: true, force: true })
  })

  const importFolder = async (folder: string, how: 'click' | 'dblclick' = 'click') => {
    const { page } = running
    await page.getByTestId('testset-folder').fill(folder)
    await page.getByTestId('testset-import')[how]()
  }

  it('shows predictions for unlabelled images and lists the images with no digit', async () => {
    const { page } = running
    const folder = await mixedFolder(root)
    await importFolder(folder)
    await page.getByTestId('result-summary').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('sample-count').textContent()).toBe('9')
    expect(await page.getByTestId('sample-breakdown').textContent()).toMatch(
      /3 labelled.*4 unlabelled.*2 no digit/
    )
    const rows = page.getByTestId('unlabelled-table').locator('tbody tr')
    expect(await rows.count()).toBe(4)
    for (let i = 0; i < 4; i++) {
      expect(await rows.nth(i).locator('[data-col="predicted"]').textContent()).toMatch(/^\s*\d\s*$/)
    }
    expect(await page.getByTestId('no-digit-list').locator('li').allTextContents()).toEqual([
      'blank-a.png',
      'blank-b.png'
    ])
    // The results say where they come from: folder, the model's full name and the time.
    const origin = (await page.getByTestId('result-origin').textContent()) ?? ''
    expect(origin).toContain(folder)
    const model = (await page.getByTestId('status-model').locator('strong').textContent()) ?? ''
    expect(origin).toContain(model)
    expect(await page.getByTestId('result-model').textContent()).toBe(model)
    await page.getByTestId('show-unlabelled').click()
    expect(await page.getByTestId('gallery').getByTestId('sample-card').count()).toBe(4)
  })

  it('says "no images found" for an empty folder', async () => {
    const { page } = running
    const empty = join(root, 'empty')
    mkdirSync(empty)
    await importFolder(empty)
    await expect
      .poll(() => page.getByTestId('view-testsets').textContent(), { timeout: 30_000 })
      .toMatch(/No images found/)
    expect(await page.getByTestId('view-testsets').textContent()).not.toMatch(/No sample had a label/)
  })

  it('treats a double-click as one import, with Cancel away from the start button', async () => {
    const { page } = running
    await importFolder(usps, 'dblclick')
    await page.getByTestId('testset-cancel').waitFor({ timeout: 30_000 })
    const start = (await page.getByTestId('testset-import').boundingBox())!
    const cancel = (await page.getByTestId('testset-cancel').boundingBox())!
    const overlaps =
      cancel.x < start.x + start.width &&
      start.x < cancel.x + cancel.width &&
      cancel.y < start.y + start.height &&
      start.y < cancel.y + cancel.height
    expect(overlaps).toBe(false)
    await page.getByTestId('per-digit-table').waitFor({ timeout: 120_000 })
    expect(await page.getByTestId('sample-count').textContent()).toBe('600')
    expect(await page.getByTestId('testsets-notice').count()).toBe(0)
    expect(await page.getByTestId('problem').count()).toBe(0)
  })

  it('opens one gallery with every mistake', async () => {
    const { page } = running
    let wrong = 0
    for (let digit = 0; digit < 10; digit++) {
      const row = page.getByTestId(`digit-row-${digit}`)
      const samples = Number(await row.locator('[data-col="samples"]').textContent())
      wrong += samples - Number(await row.locator('[data-col="correct"]').textContent())
    }
    await page.getByTestId('show-mistakes').click()
    const gallery = page.getByTestId('gallery')
    expect(await gallery.getAttribute('data-kind')).toBe('mistakes')
    expect(await gallery.getByTestId('sample-card').count()).toBe(Math.min(wrong, 60))
    expect(await gallery.locator('h2').textContent()).toContain(String(wrong))
  })

  it('marks the old results while a new import runs, and announces a cancel', async () => {
    const { page } = running
    // 3,000 images, so the import is still running when Cancel is pressed.
    const big = join(root, 'big')
    for (let copy = 0; copy < 5; copy++) cpSync(usps, join(big, `copy-${copy}`), { recursive: true })
    await importFolder(big)
    await page.getByTestId('testset-cancel').waitFor()
    expect(await page.getByTestId('results-stale').textContent()).toMatch(/still the earlier ones/)
    await page.getByTestId('testset-cancel').click()
    await expect
      .poll(() => page.getByTestId('testsets-notice').textContent(), { timeout: 60_000 })
      .toMatch(/cancelled/)
    expect(await page.getByTestId('testsets-notice').getAttribute('role')).toBe('status')
    expect(await page.getByTestId('results-stale').textContent()).toMatch(/earlier ones/)
    expect(await page.getByTestId('results-stale').textContent()).toContain(usps)
  })

  it('keeps a running import visible and cancellable across a reload, and shows its result', async () => {
    const { page } = running
    const big = join(root, 'big')
    await importFolder(big)
    await page.getByTestId('import-progress').waitFor()
    await page.reload()
    await openView(page, 'testsets')
    // The reloaded window follows the import that is still running: its progress, its folder, its Cancel.
    await page.getByTestId('import-progress').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('testset-folder').inputValue()).toBe(big)
    expect(await page.getByTestId('testset-cancel').isEnabled()).toBe(true)
    expect(await page.getByTestId('testset-import').isDisabled()).toBe(true)
    await expect
      .poll(() => page.getByTestId('sample-count').textContent(), { timeout: 180_000 })
      .toBe('3,000')
    expect(await page.getByTestId('result-origin').textContent()).toContain(big)
    expect(await page.getByTestId('import-progress').count()).toBe(0)
    expect(await page.getByTestId('results-stale').count()).toBe(0)
  })

  it('marks the old results after a failed import', async () => {
    const { page } = running
    if (await page.getByTestId('testsets-notice').count()) {
      await page.getByTestId('testsets-notice').getByRole('button').click()
    }
    await importFolder(join(root, 'does-not-exist'))
    await page.getByTestId('problem').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('results-stale').textContent()).toMatch(/did not finish/)
    expect(running.logs.filter((line) => line.startsWith('pageerror'))).toEqual([])
  })
})
