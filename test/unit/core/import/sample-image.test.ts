import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { renderSampleImage } from '../../../../src/core/import'
import { writeBmp } from '../../../support/bmp-writer'

const dir = mkdtempSync(join(tmpdir(), 'digit-sample-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('renderSampleImage', () => {
  it('returns a PNG data URL of an imported file, BMP included, scaled down to maxSide', async () => {
    const grey = new Uint8Array(300 * 200).fill(200)
    writeFileSync(join(dir, 'a.bmp'), writeBmp(grey, 300, 200, '8'))
    const url = await renderSampleImage(dir, 'a.bmp', { maxSide: 60 })
    expect(url.startsWith('data:image/png;base64,')).toBe(true)
    const meta = await sharp(Buffer.from(url.split(',')[1], 'base64')).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 60, 40])
  })

  it('refuses paths outside the imported folder', async () => {
    for (const file of ['../etc/passwd', '/etc/passwd', '.', 'sub/../../x.png']) {
      await expect(renderSampleImage(dir, file)).rejects.toMatchObject({ code: 'not-found' })
    }
  })
})
