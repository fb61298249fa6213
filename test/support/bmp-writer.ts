/** Writes small BMP files for tests: 24-bit, 8-bit palette (grey ramp) or 32-bit with an alpha mask (V4 header). */
export function writeBmp(
  grey: Uint8Array,
  width: number,
  height: number,
  kind: '24' | '8' | '32-alpha' | '1',
  options: { topDown?: boolean; alpha?: Uint8Array } = {}
): Buffer {
  const bits = kind === '24' ? 24 : kind === '8' ? 8 : kind === '1' ? 1 : 32
  const headerSize = kind === '32-alpha' ? 108 : 40
  const paletteEntries = bits === 8 ? 256 : bits === 1 ? 2 : 0
  const stride = Math.floor((bits * width + 31) / 32) * 4
  const dataOffset = 14 + headerSize + paletteEntries * 4
  const buf = Buffer.alloc(dataOffset + stride * height)
  buf.write('BM', 0, 'ascii')
  buf.writeUInt32LE(buf.length, 2)
  buf.writeUInt32LE(dataOffset, 10)
  buf.writeUInt32LE(headerSize, 14)
  buf.writeInt32LE(width, 18)
  buf.writeInt32LE(options.topDown ? -height : height, 22)
  buf.writeUInt16LE(1, 26)
  buf.writeUInt16LE(bits, 28)
  buf.writeUInt32LE(kind === '32-alpha' ? 3 : 0, 30)
  if (kind === '32-alpha') {
    buf.writeUInt32LE(0x00ff0000, 54)
    buf.writeUInt32LE(0x0000ff00, 58)
    buf.writeUInt32LE(0x000000ff, 62)
    buf.writeUInt32LE(0xff000000, 66)
  }
  for (let i = 0; i < paletteEntries; i++) {
    const v = bits === 1 ? i * 255 : i
    buf.writeUInt8(v, 14 + headerSize + i * 4)
    buf.writeUInt8(v, 14 + headerSize + i * 4 + 1)
    buf.writeUInt8(v, 14 + headerSize + i * 4 + 2)
  }
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (options.topDown ? y : height - 1 - y) * stride
    for (let x = 0; x < width; x++) {
      const v = grey[y * width + x]
      if (bits === 24) buf.fill(v, row + x * 3, row + x * 3 + 3)
      else if (bits === 8) buf[row + x] = v
      else if (bits === 1) {
        if (v >= 128) buf[row + (x >> 3)] |= 0x80 >> (x & 7)
      } else {
        buf.fill(v, row + x * 4, row + x * 4 + 3)
        buf[row + x * 4 + 3] = options.alpha ? options.alpha[y * width + x] : 255
      }
    }
  }
  return buf
}
