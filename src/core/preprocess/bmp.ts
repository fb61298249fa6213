/**
 * A small BMP reader, because sharp/libvips (0.34 as installed) cannot read BMP. Scope: Windows BMP with a
 * BITMAPCOREHEADER or BITMAPINFOHEADER..V5 header, uncompressed (BI_RGB) or BI_BITFIELDS/BI_ALPHABITFIELDS,
 * 1/4/8-bit palette, 16/24/32-bit colour, bottom-up or top-down rows. RLE-compressed, JPEG/PNG-in-BMP and OS/2
 * variants are rejected with a clear reason. Every size is checked against the buffer before it is read.
 */
import { ImageDecodeError } from './errors'
import type { RawPixels } from './gray'

const BI_RGB = 0
const BI_BITFIELDS = 3
const BI_ALPHABITFIELDS = 6

export function decodeBmp(buf: Uint8Array, file: string, maxPixels: number): RawPixels {
  const corrupt = (why: string) => new ImageDecodeError('corrupt', file, `corrupt BMP: ${why}`)
  if (buf.length < 26 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw corrupt('missing header')
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const dataOffset = view.getUint32(10, true)
  const headerSize = view.getUint32(14, true)
  const core = headerSize === 12
  if (!core && (headerSize < 40 || headerSize > 124)) throw corrupt(`unknown header size ${headerSize}`)
  if (14 + headerSize > buf.length) throw corrupt('truncated header')

  const width = core ? view.getUint16(18, true) : view.getInt32(18, true)
  const rawHeight = core ? view.getInt16(22, true) : view.getInt32(22, true)
  const bitsPerPixel = view.getUint16(core ? 24 : 28, true)
  const compression = core ? BI_RGB : view.getUint32(30, true)
  const topDown = rawHeight < 0
  const height = Math.abs(rawHeight)
  if (width <= 0 || height <= 0) throw corrupt(`invalid size ${width}×${rawHeight}`)
  if (width * height > maxPixels) {
    throw new ImageDecodeError(
      'too-many-pixels',
      file,
      `image is ${width}×${height} = ${width * height} pixels, over the limit of ${maxPixels}`
    )
  }
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    throw new ImageDecodeError(
      'unsupported-format',
      file,
      `compressed BMP (compression type ${compression}) is not supported; save it as uncompressed BMP or PNG`
    )
  }
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw corrupt(`unsupported bit depth ${bitsPerPixel}`)

  // Palette for ≤ 8 bits: 3 bytes per entry (core header) or 4 (BGRx), right after the header.
  const palette: number[][] = []
  if (bitsPerPixel <= 8) {
    const entrySize = core ? 3 : 4
    const used = core ? 0 : view.getUint32(46, true)
    const entries = used > 0 && used <= 1 << bitsPerPixel ? used : 1 << bitsPerPixel
    const at = 14 + headerSize
    if (at + entries * entrySize > buf.length) throw corrupt('truncated palette')
    for (let i = 0; i < entries; i++) {
      const p = at + i * entrySize
      palette.push([buf[p + 2], buf[p + 1], buf[p]])
    }
  }

  // Channel masks for 16/32 bits: defaults, or read from the header (V2+) or just after a 40-byte header.
  let masks = bitsPerPixel === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0x00ff00, 0x0000ff, 0]
  if (compression !== BI_RGB) {
    const at = 54
    const count = compression === BI_ALPHABITFIELDS || headerSize >= 56 ? 4 : 3
    if (at + count * 4 > buf.length) throw corrupt('truncated colour masks')
    masks = [0, 1, 2, 3].map((i) => (i < count ? view.getUint32(at + i * 4, true) : 0))
  }
  const channel = masks.map(maskReader)

  const stride = Math.floor((bitsPerPixel * width + 31) / 32) * 4
  if (dataOffset + stride * (height - 1) + Math.ceil((bitsPerPixel * width) / 8) > buf.length) {
    throw corrupt('pixel data is truncated')
  }
  const data = new Uint8Array(width * height * 4)
  for (let row = 0; row < height; row++) {
    const y = topDown ? row : height - 1 - row
    const rowStart = dataOffset + row * stride
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      let r: number, g: number, b: number
      let a = 255
      if (bitsPerPixel <= 8) {
        const bitOffset = x * bitsPerPixel
        const byte = buf[rowStart + (bitOffset >> 3)]
        const index = (byte >> (8 - bitsPerPixel - (bitOffset & 7))) & ((1 << bitsPerPixel) - 1)
        const colour = palette[index] ?? [0, 0, 0]
        ;[r, g, b] = colour
      } else if (bitsPerPixel === 24) {
        const p = rowStart + x * 3
        b = buf[p]
        g = buf[p + 1]
        r = buf[p + 2]
      } else {
        const p = rowStart + (x * bitsPerPixel) / 8
        const value = bitsPerPixel === 16 ? view.getUint16(p, true) : view.getUint32(p, true)
        r = channel[0](value)
        g = channel[1](value)
        b = channel[2](value)
        // 32-bit BI_RGB leaves the fourth byte unused (often 0): only an explicit alpha mask means alpha.
        if (masks[3] !== 0) a = channel[3](value)
      }
      data[o] = r
      data[o + 1] = g
      data[o + 2] = b
      data[o + 3] = a
    }
  }
  return { width, height, channels: 4, data }
}

/** Extracts a masked channel and scales it to 0..255 (e.g. 5-bit → 8-bit). */
function maskReader(mask: number): (value: number) => number {
  if (mask === 0) return () => 0
  let shift = 0
  while (((mask >>> shift) & 1) === 0) shift++
  const max = mask >>> shift
  return (value) => Math.round((((value & mask) >>> shift) * 255) / max)
}
