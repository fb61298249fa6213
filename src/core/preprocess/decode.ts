/**
 * Decoding image files into grey pixels: PNG, JPEG, WebP, TIFF and GIF through sharp (libvips), BMP through the
 * small reader in bmp.ts (libvips has no BMP loader). The format is recognised by its signature, not by the file
 * name, so a text file called `x.png` is reported as "not an image". A pixel limit guards against decompression
 * bombs (checked from the header, before any pixel is decoded).
 */
import { readRegularFile, readRegularHeadSync, SafeReadError } from '../fs/safe-read'
import type { GrayImage } from './types'
import { decodeBmp } from './bmp'
import { ImageDecodeError } from './errors'
import { toGrayImage } from './gray'

/** 40 megapixels: a 600 dpi A4 page fits, an absurd 50 000 × 50 000 "bomb" does not. */
export const DEFAULT_MAX_PIXELS = 40_000_000
/** Files up to this size are read synchronously in one go (see readImageFile). */
const SMALL_FILE_BYTES = 1024 * 1024
/** Files larger than this are not read at all. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'tiff' | 'gif' | 'bmp'
export const SUPPORTED_FORMATS_TEXT = 'PNG, JPEG, WebP, TIFF, GIF or BMP'

export interface DecodeOptions {
  maxPixels?: number
  maxFileBytes?: number
}

/** Recognises a supported image format from the first bytes of a file. */
export function detectImageFormat(head: Uint8Array): ImageFormat | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b)
  const ascii = (at: number, text: string) => [...text].every((c, i) => head[at + i] === c.charCodeAt(0))
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png'
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg'
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp'
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff'
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif'
  if (ascii(0, 'BM') && head.length >= 18) return 'bmp'
  return null
}

/** Reads and decodes an image file to grey pixels; throws ImageDecodeError naming the file and the reason. */
export async function decodeImageFile(path: string, opts: DecodeOptions = {}): Promise<GrayImage> {
  let buf: Buffer
  try {
    buf = await readImageFile(path, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES)
  } catch (error) {
    throw asDecodeError(error, path)
  }
  return decodeImageBuffer(buf, path, opts)
}

/**
 * Reads a file after checking its type, size and signature. Small files are read synchronously: a few system
 * calls cost microseconds, while promise-based file handles cost ~0.4 ms of main-thread time per file, as much
 * as preprocessing the image. The synchronous open uses O_NONBLOCK and the type is checked on the descriptor,
 * so a file swapped for a FIFO is refused at once instead of blocking the event loop. Large files are read
 * asynchronously, and only once their first bytes say "image".
 */
async function readImageFile(path: string, maxFileBytes: number): Promise<Buffer> {
  let head: Buffer
  let size: number
  try {
    ;({ head, size } = readRegularHeadSync(path, SMALL_FILE_BYTES, maxFileBytes))
  } catch (error) {
    throw asReadError(error, path)
  }
  if (size === 0) throw new ImageDecodeError('empty-file', path, 'the file is empty (0 bytes)')
  if (detectImageFormat(head.subarray(0, 32)) === null) throw notAnImage(path)
  if (size <= SMALL_FILE_BYTES) return head
  try {
    return await readRegularFile(path, { maxBytes: maxFileBytes })
  } catch (error) {
    throw asReadError(error, path)
  }
}

/** A refused read as the decoder's error: too large, or unreadable with the safe reader's reason. */
function asReadError(error: unknown, path: string): unknown {
  if (!(error instanceof SafeReadError)) return error
  if (error.code === 'too-large') return new ImageDecodeError('file-too-large', path, error.reason)
  // A plain missing file keeps the decoder's own wording ("deleted or moved?"); a broken link says so.
  if (error.code === 'not-found' && error.cause && !/symbolic link/.test(error.reason)) return error.cause
  if (error.code === 'not-found') return new ImageDecodeError('not-found', path, error.reason)
  return new ImageDecodeError('unreadable', path, error.reason)
}

/** Decodes an image held in memory; `name` is used in error messages. */
export async function decodeImageBuffer(
  buf: Uint8Array,
  name: string,
  opts: DecodeOptions = {}
): Promise<GrayImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS
  if (buf.length === 0) throw new ImageDecodeError('empty-file', name, 'the file is empty (0 bytes)')
  const format = detectImageFormat(buf.subarray(0, 32))
  if (format === null) throw notAnImage(name)
  if (format === 'bmp') return toGrayImage(decodeBmp(buf, name, maxPixels))

  const sharp = await loadSharp()
  try {
    // One libvips pipeline per file (its set-up cost dominates for small scans): EXIF orientation applied,
    // 8 bits per channel, native channels kept (grey, grey+alpha, RGB, RGBA; CMYK and 16-bit come out as
    // 8-bit sRGB); toGrayImage does luma and transparency. failOn 'warning': a truncated or damaged file is
    // reported, not silently decoded as half an image.
    const { data, info } = await sharp(buf, {
      limitInputPixels: maxPixels,
      failOn: 'warning',
      animated: false
    })
      .autoOrient()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    const channels = info.channels as 1 | 2 | 3 | 4
    return toGrayImage({ width: info.width, height: info.height, channels, data: new Uint8Array(data) })
  } catch (error) {
    throw asDecodeError(error, name, maxPixels)
  }
}

type Sharp = typeof import('sharp')
let sharpModule: Promise<Sharp> | null = null
/**
 * sharp is loaded on first use, so importing this module costs nothing where no file is decoded; the promise is
 * kept because a dynamic import() per file costs about as much as decoding a small PNG. libvips' operation cache
 * is turned off: every file is decoded once, and looking each one up cost ~10 % of decoding a folder of small
 * scans (usps-600: 450 → 410 ms).
 */
export function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then((module) => {
    module.default.cache(false)
    return module.default
  })
  return sharpModule
}

function notAnImage(file: string): ImageDecodeError {
  return new ImageDecodeError(
    'unsupported-format',
    file,
    `not a supported image (no ${SUPPORTED_FORMATS_TEXT} signature)`
  )
}

/** Maps file-system and libvips errors to ImageDecodeError with a reason a user can act on. */
function asDecodeError(error: unknown, file: string, maxPixels?: number): ImageDecodeError {
  if (error instanceof ImageDecodeError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'ENOENT') {
    return new ImageDecodeError('not-found', file, 'the file does not exist (deleted or moved?)', {
      cause: error
    })
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ImageDecodeError('unreadable', file, 'permission denied', { cause: error })
  }
  if (code === 'EISDIR') return new ImageDecodeError('unreadable', file, 'is a folder', { cause: error })
  if (/exceeds pixel limit/i.test(message)) {
    return new ImageDecodeError(
      'too-many-pixels',
      file,
      `the image has more than ${maxPixels ?? DEFAULT_MAX_PIXELS} pixels (limit against decompression bombs)`,
      { cause: error }
    )
  }
  if (/unsupported image format/i.test(message)) {
    return new ImageDecodeError('unsupported-format', file, 'unsupported image format', { cause: error })
  }
  return new ImageDecodeError('corrupt', file, corruptReason(message), { cause: error })
}

/**
 * libvips' wording ("VipsJpeg: Premature end of input file", "Warning treated as error due to failOn setting")
 * means nothing to a user: say what is wrong with the file in plain words; the original stays in `cause`.
 */
export function corruptReason(libvipsMessage: string): string {
  if (
    /premature end|unexpected end|truncat|end of (file|stream|data)|read error|short read|EOF/i.test(
      libvipsMessage
    )
  )
    return 'the image is damaged: the file is cut short (an incomplete download or copy?)'
  return 'the image is damaged: its data cannot be decoded'
}
