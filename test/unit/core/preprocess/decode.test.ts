import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeImageBuffer, decodeImageFile, ImageDecodeError } from '../../../../src/core/preprocess'
import { writeBmp } from '../../../support/bmp-writer'

const width = 7
const height = 5
const grey = Uint8Array.from({ length: width * height }, (_, i) => (i * 37) % 256)
const dir = mkdtempSync(join(tmpdir(), 'digit-decode-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function expectDecodeError(promise: Promise<unknown>, code: string, reason: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ImageDecodeError)
  expect(error).toMatchObject({ code })
  expect((error as ImageDecodeError).reason).toMatch(reason)
  return error as ImageDecodeError
}

describe('decodeImageBuffer', () => {
  it('reads lossless formats through sharp exactly', async () => {
    const raw = sharp(Buffer.from(grey), { raw: { width, height, channels: 1 } })
    for (const encoded of [
      await raw.clone().png().toBuffer(),
      await raw.clone().tiff({ compression: 'lzw' }).toBuffer()
    ]) {
      const image = await decodeImageBuffer(encoded, 'x')
      expect(image).toMatchObject({ width, height })
      expect(Array.from(image.data)).toEqual(Array.from(grey))
    }
  })

  it('reads BMP (which libvips cannot): 24-bit, 8-bit palette, 1-bit, top-down and bottom-up', async () => {
    for (const kind of ['24', '8'] as const) {
      for (const topDown of [false, true]) {
        const image = await decodeImageBuffer(writeBmp(grey, width, height, kind, { topDown }), 'x.bmp')
        expect(Array.from(image.data)).toEqual(Array.from(grey))
      }
    }
    const binary = Uint8Array.from(grey, (v) => (v >= 128 ? 255 : 0))
    const image = await decodeImageBuffer(writeBmp(binary, width, height, '1'), 'x.bmp')
    expect(Array.from(image.data)).toEqual(Array.from(binary))
  })

  it('composites transparent images onto the background that keeps the ink visible', async () => {
    // Black ink, transparent elsewhere (as exported by drawing apps): the ink must stay dark on light.
    const alpha = Uint8Array.from(grey, (_, i) => (i % 3 === 0 ? 255 : 0))
    const black = new Uint8Array(width * height)
    const image = await decodeImageBuffer(writeBmp(black, width, height, '32-alpha', { alpha }), 'x.bmp')
    image.data.forEach((v, i) => expect(v).toBe(alpha[i] ? 0 : 255))
    // White chalk on transparent goes onto black instead.
    const rgba = Buffer.alloc(width * height * 4)
    alpha.forEach((a, i) => rgba.fill(255, i * 4, i * 4 + 3).writeUInt8(a, i * 4 + 3))
    const png = await sharp(rgba, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer()
    const chalk = await decodeImageBuffer(png, 'chalk.png')
    chalk.data.forEach((v, i) => expect(v).toBe(alpha[i] ? 255 : 0))
  })

  it('names the file and the reason for bad input', async () => {
    const png = await sharp(Buffer.from(grey), { raw: { width, height, channels: 1 } })
      .png()
      .toBuffer()
    await expectDecodeError(decodeImageBuffer(Buffer.alloc(0), 'e.png'), 'empty-file', /empty/)
    const text = await expectDecodeError(
      decodeImageBuffer(Buffer.from('hello, not an image'), 'notes.png'),
      'unsupported-format',
      /not a supported image/
    )
    expect(text.message).toContain('notes.png')
    expect(text.file).toBe('notes.png')
    await expectDecodeError(
      decodeImageBuffer(png.subarray(0, png.length - 20), 'cut.png'),
      'corrupt',
      /damaged|truncated/
    )
    await expectDecodeError(decodeImageBuffer(png, 'big.png', { maxPixels: 20 }), 'too-many-pixels', /pixels/)
    await expectDecodeError(
      decodeImageBuffer(writeBmp(grey, width, height, '24'), 'big.bmp', { maxPixels: 20 }),
      'too-many-pixels',
      /over the limit/
    )
    const bmp = writeBmp(grey, width, height, '24')
    await expectDecodeError(
      decodeImageBuffer(bmp.subarray(0, bmp.length - 10), 'cut.bmp'),
      'corrupt',
      /truncated/
    )
    const rle = Buffer.from(bmp)
    rle.writeUInt32LE(1, 30)
    await expectDecodeError(decodeImageBuffer(rle, 'rle.bmp'), 'unsupported-format', /compressed BMP/)
  })

  it('says what is wrong with a damaged file in plain words, never in libvips jargon', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#f00' } })
      .jpeg()
      .toBuffer()
    const png = await sharp(Buffer.from(grey), { raw: { width, height, channels: 1 } })
      .png()
      .toBuffer()
    const flipped = Buffer.from(png)
    flipped.fill(7, 40, 60)
    const jargon = /vips|failOn|Warning treated|pngload|buffer|header/i
    for (const [bytes, name] of [
      [jpeg.subarray(0, jpeg.length >> 1), 'cut.jpg'],
      [png.subarray(0, png.length >> 1), 'cut.png'],
      [flipped, 'flipped.png']
    ] as const) {
      const error = await expectDecodeError(decodeImageBuffer(bytes, name), 'corrupt', /damaged/)
      expect(error.reason).not.toMatch(jargon)
      expect(error.message).toContain(name)
    }
  })
})

describe('decodeImageFile', () => {
  it('reads a file and reports missing, empty and oversized files', async () => {
    const path = join(dir, 'a.bmp')
    writeFileSync(path, writeBmp(grey, width, height, '8'))
    expect((await decodeImageFile(path)).width).toBe(width)
    await expectDecodeError(decodeImageFile(join(dir, 'missing.png')), 'not-found', /does not exist/)
    writeFileSync(join(dir, 'empty.png'), '')
    await expectDecodeError(decodeImageFile(join(dir, 'empty.png')), 'empty-file', /empty/)
    await expectDecodeError(decodeImageFile(path, { maxFileBytes: 10 }), 'file-too-large', /bytes/)
  })
})
