import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasMnist } from '../../support/paths'
import { padWindow } from '../../../src/core/segmentation'
import { rasterise, writeNumber } from '../../support/reading-ink'
import { buildPage, mnistDigits, type BuiltPage } from '../../support/reading-pages'
import { startServices, type RunningServices } from '../../support/services'
import type { CallName, CallRequest, CallResponse } from '../../../src/shared/contract'

const root = mkdtempSync(path.join(tmpdir(), 'digit-reading-service-'))
let running: RunningServices
let page: BuiltPage
const pageFile = path.join(root, 'page.png')
const missing = !hasMnist()

beforeAll(async () => {
  running = await startServices(path.join(root, 'data'))
  if (missing) return
  const digits = mnistDigits(100, 3000)
  const sorted = [0, 1, 2].flatMap((label) => digits.filter((d) => d.label === label).slice(0, 5))
  page = await buildPage({ layout: 'ruled', lines: [5, 5, 5], format: 'png', seed: 4 }, sorted)
  writeFileSync(pageFile, page.file)
})
afterAll(async () => {
  await running?.services.dispose()
  rmSync(root, { recursive: true, force: true })
})

/** A call that must succeed, typed by the contract. */
async function ok<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResponse<N>> {
  const result = await running.call(name, request)
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as CallResponse<N>
}

describe('read.pad', () => {
  it('reads several digits as lines, and one digit exactly as predict.image', async () => {
    const strokes = writeNumber(['two', 'zero', 'two', 'six'], 20, 40, 25)
    const ink = rasterise(strokes, 480, 180, 10)
    const pixels = Buffer.from(ink.data).toString('base64')
    const many = await ok('read.pad', { width: 480, height: 180, pixels, strokes })
    expect(many.lines).toHaveLength(1)
    expect(many.lines[0].digits).toHaveLength(4)
    expect(many.single).toBeNull()

    const one = writeNumber(['seven'], 200, 40, 0)
    const oneInk = rasterise(one, 480, 180, 10)
    const onePixels = Buffer.from(oneInk.data).toString('base64')
    const single = await ok('read.pad', { width: 480, height: 180, pixels: onePixels, strokes: one })
    // The one-digit pad was a square as tall as the pad: the same digit drawn there.
    const window = padWindow(oneInk, single.lines[0].digits[0].box)
    const predicted = await ok('predict.image', {
      width: window.width,
      height: window.height,
      pixels: Buffer.from(window.data).toString('base64')
    })
    expect(single.single?.probabilities).toEqual(predicted.probabilities)
    expect(single.lines[0].digits[0].digit).toBe(predicted.digit)
  })

  it("flags each digit with the settings' not-sure threshold, and the single prediction too", async () => {
    const strokes = writeNumber(['two', 'zero', 'two', 'six'], 20, 40, 25)
    const pixels = Buffer.from(rasterise(strokes, 480, 180, 10).data).toString('base64')
    const flagsAt = async (unsureThreshold: number) => {
      await ok('settings.set', { unsureThreshold })
      const read = await ok('read.pad', { width: 480, height: 180, pixels, strokes })
      return read.lines[0].digits.map((d) => d.flag)
    }
    const strict = await flagsAt(0.99)
    const lenient = await flagsAt(0.3)
    for (const flag of [...strict, ...lenient]) expect(['sure', 'not-sure', 'not-a-digit']).toContain(flag)
    // A lower threshold never flags more digits "not sure"; at 0.99 fewer (or the same) are sure than at 0.3.
    const sure = (flags: typeof strict) => flags.filter((f) => f === 'sure').length
    expect(sure(lenient)).toBeGreaterThanOrEqual(sure(strict))
    expect(sure(lenient)).toBeGreaterThan(0)
    expect(lenient.filter((f) => f === 'not-sure')).toHaveLength(0)

    const one = writeNumber(['seven'], 200, 40, 0)
    const onePixels = Buffer.from(rasterise(one, 480, 180, 10).data).toString('base64')
    const singleAt = async (unsureThreshold: number) => {
      await ok('settings.set', { unsureThreshold })
      const read = await ok('read.pad', { width: 480, height: 180, pixels: onePixels, strokes: one })
      return read.single
    }
    expect((await singleAt(0.3))?.flag).not.toBe('not-sure')
    const strictOne = await singleAt(0.99)
    const confidence = strictOne?.calibratedConfidence ?? 1
    expect(strictOne?.flag).toBe(confidence < 0.3 ? 'not-a-digit' : confidence < 0.99 ? 'not-sure' : 'sure')
    await ok('settings.set', { unsureThreshold: 0.8 })
  })

  it('refuses pixels that do not match the size', async () => {
    const result = await running.call('read.pad', { width: 10, height: 10, pixels: 'AAAA', strokes: [] })
    expect(result.ok).toBe(false)
  })
})

describe.skipIf(missing)('read.page, read.export, read.cut', () => {
  it('reads a page with a preview and exports its lines', async () => {
    const reading = await ok('read.page', { file: pageFile })
    expect(reading.lines.map((l) => l.digits.length)).toEqual([5, 5, 5])
    // Every digit read carries its "not sure" flag, at the settings' threshold.
    for (const d of reading.lines.flatMap((l) => l.digits))
      expect(['sure', 'not-sure', 'not-a-digit']).toContain(d.flag)
    expect(reading.preview.dataUrl).toMatch(/^data:image\/png;base64,/)
    const csv = await ok('read.export', { pages: [reading], format: 'csv' })
    expect(csv.content.split('\r\n')[0]).toBe('\uFEFFfile,line,text,digits,lowest_confidence')
    expect(csv.content.split('\r\n')).toHaveLength(5)
    const json = JSON.parse((await ok('read.export', { pages: [reading], format: 'json' })).content)
    expect(json.files[0].lines).toHaveLength(3)
  })

  it('names an unreadable page', async () => {
    const bad = path.join(root, 'bad.png')
    writeFileSync(bad, 'not an image')
    const result = await running.call('read.page', { file: bad })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toContain('bad.png')
  })

  it('cuts pages into a labelled folder that is imported at once', async () => {
    const out = path.join(root, 'cut')
    const cut = await ok('read.cut', { files: [pageFile], out, rule: { kind: 'rows', digits: '01' } })
    expect(cut.written).toBe(10)
    expect(cut.unassigned).toHaveLength(5)
    expect(readdirSync(out).sort()).toEqual(['0', '1'])
    expect(cut.result?.evaluation?.samples).toBe(10)
    const sample = cut.result?.samples[0].file ?? ''
    const importId = cut.result?.importId ?? ''
    const image = await ok('testset.sampleImage', { importId, file: sample })
    expect(image.dataUrl).toMatch(/^data:image\/png/)
  })
})
