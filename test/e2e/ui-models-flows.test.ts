import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebApp, type RunningApp } from './harness'
import { openView } from './ui-helpers'

describe('Models: import and export say what happened, in plain words', () => {
  let running: RunningApp
  let root = ''
  let exported = ''

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'digit-studio-e2e-models-'))
    running = await startWebApp()
    await openView(running.page, 'models')
  })
  afterAll(async () => {
    await running?.close()
    rmSync(root, { recursive: true, force: true })
  })

  const notice = () => running.page.getByTestId('models-notice')
  const problem = () => running.page.getByTestId('problem')

  async function exportFirstModel(folder: string): Promise<void> {
    const { page } = running
    await page.getByTestId('model-row').first().getByTestId('model-export').click()
    await page.getByTestId('model-export-folder').fill(folder)
    await page.getByTestId('model-export-start').click()
  }

  async function importModel(folder: string): Promise<void> {
    await running.page.getByTestId('model-import-folder').fill(folder)
    await running.page.getByTestId('model-import').click()
  }

  it('exports a model and says where', async () => {
    await exportFirstModel(join(root, 'exports'))
    await notice().waitFor({ timeout: 30_000 })
    exported = /Exported to (\S+)/.exec((await notice().textContent()) ?? '')?.[1] ?? ''
    expect(exported).toContain(join(root, 'exports'))
  })

  it('gives a model imported twice two different names, and says which', async () => {
    const { page } = running
    const names: string[] = []
    for (let i = 0; i < 2; i++) {
      await importModel(exported)
      await expect.poll(() => notice().textContent(), { timeout: 30_000 }).toMatch(/imported as/)
      names.push(/“(.+)”/.exec((await notice().textContent()) ?? '')?.[1] ?? '')
      await page.getByTestId('models-notice').getByRole('button').click()
    }
    expect(names[0]).not.toBe('')
    expect(names[1]).not.toBe(names[0])
    const shown = await page.locator('[data-testid="model-row"] .name').allTextContents()
    expect(shown).toEqual(expect.arrayContaining(names))
  })

  it('says plainly that a folder is not a Digit Studio model', async () => {
    const folder = join(root, 'not-a-model')
    mkdirSync(folder)
    writeFileSync(join(folder, 'notes.txt'), 'hello')
    await importModel(folder)
    await problem().waitFor({ timeout: 30_000 })
    expect(await problem().textContent()).toContain('is not a Digit Studio model')
    expect(await problem().textContent()).not.toContain('metadata.json: file not found')
    await problem().getByRole('button', { name: 'Dismiss' }).click()
  })

  it('names a disk problem as one, not as an unreachable engine', async () => {
    const blocker = join(root, 'a-file')
    writeFileSync(blocker, 'in the way')
    await exportFirstModel(join(blocker, 'inside'))
    await problem().waitFor({ timeout: 30_000 })
    const text = (await problem().textContent()) ?? ''
    expect(text).not.toMatch(/not reachable/)
    expect(text).toMatch(/disk or the system refused|could not be used|does not exist/)
    expect(running.logs.filter((line) => line.startsWith('pageerror'))).toEqual([])
  })
})
