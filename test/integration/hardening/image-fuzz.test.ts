/**
 * The image pipeline (decode + MNIST form) under mutated files of every supported format: truncated,
 * bit-flipped, overwritten, zero-size, or declaring huge dimensions in a header that is otherwise valid (the PNG
 * one with a correct CRC, so the pixel limit is what stops it). Every file ends in a valid 28×28 form (or a
 * "no digit" verdict) or an ImageDecodeError with a code naming the file, within bounded time and memory; the
 * file and in-memory entry points agree.
 */
import fc from 'fast-check'
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  decodeImageBuffer,
  decodeImageFile,
  ImageDecodeError,
  toMnistForm,
  type ImageErrorCode
} from '../../../src/core/preprocess'
import type { GrayImage } from '../../../src/core/preprocess/types'
import { writeBmp } from '../../support/bmp-writer'
import { readMnist } from '../../support/mnist-sample'
import { mutate, mutation, tally, type DimensionWriter } from './mutations'
import { SEED, countFromEnv, peakRssMiB, recordFigures, tempDir } from './support'
import { hasMnist } from '../../support/paths'

const RUNS = countFromEnv('HARDENING_PARSER_RUNS', 300)
const CASE_BUDGET_MS = 2000
/** The decoder may allocate up to its pixel limit (40 MP) for a header that claims it; never more. */
const RSS_BUDGET_MIB = 512
const CODES: ImageErrorCode[] = [
  'not-found',
  'empty-file',
  'file-too-large',
  'too-many-pixels',
  'unsupported-format',
  'corrupt',
  'unreadable'
]

type Format = 'png' | 'png-rgba' | 'jpeg' | 'webp' | 'tiff' | 'gif' | 'bmp24' | 'bmp8' | 'bmp1'
const FORMATS: Format[] = ['png', 'png-rgba', 'jpeg', 'webp', 'tiff', 'gif', 'bmp24', 'bmp8', 'bmp1']
const seeds = new Map<Format, Buffer>()

/** PNG: IHDR width or height, with the chunk's CRC recomputed so only the size is wrong. */
const writePngDimension: DimensionWriter = (bytes, value) => {
  if (bytes.length < 33) return null
  bytes.writeUInt32BE(value >>> 0, value % 2 === 0 ? 16 : 20)
  bytes.writeUInt32BE(crc32(bytes.subarray(12, 29)), 29)
  return bytes
}
/** JPEG: the frame header (SOFn) height or width. */
const writeJpegDimension: DimensionWriter = (bytes, value) => {
  for (let i = 2; i + 9 < bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] >= 0xc0 && bytes[i + 1] <= 0xc2) {
      bytes.writeUInt16BE(value & 0xffff, value % 2 === 0 ? i + 5 : i + 7)
      return bytes
    }
  }
  return null
}
/** GIF: the logical screen and first image descriptor sizes. */
const writeGifDimension: DimensionWriter = (bytes, value) => {
  bytes.writeUInt16LE(value & 0xffff, 6)
  bytes.writeUInt16LE((value >>> 16) & 0xffff, 8)
  return bytes
}
/** BMP: the info header's signed width or height. */
const writeBmpDimension: DimensionWriter = (bytes, value) => {
  if (bytes.length < 26) return null
  bytes.writeUInt32LE(value >>> 0, value % 2 === 0 ? 18 : 22)
  return bytes
}
/** WebP and TIFF: any 32-bit field near the start, which is where their sizes live. */
const writeHeaderWord: DimensionWriter = (bytes, value) => {
  if (bytes.length < 32) return null
  bytes.writeUInt32LE(value >>> 0, 4 * (value % 7) + 4)
  return bytes
}
const DIMENSION_WRITERS: Record<Format, DimensionWriter> = {
  png: writePngDimension,
  'png-rgba': writePngDimension,
  jpeg: writeJpegDimension,
  webp: writeHeaderWord,
  tiff: writeHeaderWord,
  gif: writeGifDimension,
  bmp24: writeBmpDimension,
  bmp8: writeBmpDimension,
  bmp1: writeBmpDimension
}

const dir = tempDir('image-fuzz')

beforeAll(async () => {
  if (!hasMnist()) return
  // A real hand-written digit, dark ink on white and 64×64 like a scan.
  const digit = readMnist('t10k', 1).images[0].map((v) => 255 - v)
  const grey = await sharp(Buffer.from(digit), { raw: { width: 28, height: 28, channels: 1 } })
    .resize(64, 64)
    .toColourspace('b-w')
    .raw()
    .toBuffer()
  const input = () => sharp(grey, { raw: { width: 64, height: 64, channels: 1 } })
  seeds.set('png', await input().png().toBuffer())
  seeds.set('png-rgba', await input().ensureAlpha().png().toBuffer())
  seeds.set('jpeg', await input().jpeg({ quality: 80 }).toBuffer())
  seeds.set('webp', await input().webp().toBuffer())
  seeds.set('tiff', await input().tiff().toBuffer())
  seeds.set('gif', await input().gif().toBuffer())
  seeds.set('bmp24', writeBmp(new Uint8Array(grey), 64, 64, '24'))
  seeds.set('bmp8', writeBmp(new Uint8Array(grey), 64, 64, '8'))
  seeds.set('bmp1', writeBmp(new Uint8Array(grey), 64, 64, '1'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Decodes and forms; returns 'digit', 'no-digit' or the error code (after checking the error is clear). */
async function outcome(decode: () => Promise<GrayImage>, file: string): Promise<string> {
  let image: GrayImage
  try {
    image = await decode()
  } catch (error) {
    expect(error).toBeInstanceOf(ImageDecodeError)
    const e = error as ImageDecodeError
    expect(CODES).toContain(e.code)
    expect(e.file).toBe(file)
    expect(e.message).toContain(file)
    expect(e.reason.length).toBeGreaterThan(5)
    return e.code
  }
  expect(image.data.length).toBe(image.width * image.height)
  const form = toMnistForm(image)
  if (form.kind === 'no-digit') {
    expect(form.reason.length).toBeGreaterThan(5)
    return 'no-digit'
  }
  expect(form.pixels.length).toBe(784)
  expect(form.pixels.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true)
  return 'digit'
}

describe.skipIf(!hasMnist())('image pipeline under mutated files', () => {
  it('decodes every unmutated seed to a digit', async () => {
    for (const format of FORMATS) {
      const name = `seed.${format}`
      expect(await outcome(() => decodeImageBuffer(seeds.get(format) as Buffer, name), name)).toBe('digit')
    }
  })

  it(`${RUNS} mutated files each end in a valid form or a clear error, fast and in bounded memory`, async () => {
    const outcomes: Record<string, number> = {}
    const byFormat: Record<string, number> = {}
    let slowest = 0
    let n = 0
    const peakBefore = peakRssMiB()
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FORMATS), mutation, async (format, m) => {
        const bytes = mutate(seeds.get(format) as Buffer, m, DIMENSION_WRITERS[format])
        const file = path.join(dir, `case-${n++}.${format}`)
        writeFileSync(file, bytes)
        const started = performance.now()
        const fromFile = await outcome(() => decodeImageFile(file), file)
        const fromBuffer = await outcome(() => decodeImageBuffer(bytes, file), file)
        const ms = performance.now() - started
        expect(fromBuffer).toBe(fromFile)
        tally(outcomes, fromFile)
        tally(byFormat, format)
        slowest = Math.max(slowest, ms)
        expect(ms).toBeLessThan(CASE_BUDGET_MS)
      }),
      { numRuns: RUNS, seed: SEED }
    )
    const peakGrowth = Math.round((peakRssMiB() - peakBefore) * 10) / 10
    recordFigures('image-fuzz', {
      filesMutated: RUNS,
      outcomes,
      byFormat,
      slowestCaseMs: Math.round(slowest),
      peakRssGrowthMiB: peakGrowth
    })
    expect(peakGrowth).toBeLessThan(RSS_BUDGET_MIB)
  })

  it('a PNG declaring 100,000 × 100,000 pixels is refused from its header', async () => {
    const bytes = writePngDimension(Buffer.from(seeds.get('png') as Buffer), 100_000) as Buffer
    writePngDimension(bytes, 100_001)
    const file = path.join(dir, 'bomb.png')
    writeFileSync(file, bytes)
    const peakBefore = peakRssMiB()
    await expect(decodeImageFile(file)).rejects.toMatchObject({ code: 'too-many-pixels', file })
    expect(peakRssMiB() - peakBefore).toBeLessThan(64)
  })
})
