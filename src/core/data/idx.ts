/**
 * Reader for the IDX format MNIST ships in (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * (0, 0, type, number of dimensions), one big-endian uint32 per dimension, then the data.
 */
import { createGunzip } from 'node:zlib'
import { readRegularFile, SafeReadError } from '../fs/safe-read'
import { DataFileError } from './errors'

export interface IdxArray {
  dims: number[]
  data: Uint8Array
}

const UNSIGNED_BYTE = 0x08
const GZIP_MAGIC = [0x1f, 0x8b]

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]
}

/** The total length (header + data) an IDX header declares, or null while too few bytes have arrived. */
function declaredLength(head: Uint8Array): number | null {
  if (head.length < 4) return null
  const rank = head[3]
  // Not IDX: stop inflating at once; parseIdx will say what is wrong.
  if (head[0] !== 0 || head[1] !== 0 || rank < 1 || rank > 3) return head.length
  const headerLength = 4 + 4 * rank
  if (head.length < headerLength) return null
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  let data = 1
  for (let i = 0; i < rank; i++) data *= view.getUint32(4 + 4 * i, false)
  return headerLength + data
}

/**
 * Inflates no more than the header declares: a small file that inflates to gigabytes (a "gzip bomb") is
 * refused as soon as it passes that size, instead of being held in memory first.
 */
function gunzip(file: string, bytes: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const inflater = createGunzip()
    const chunks: Buffer[] = []
    let total = 0
    let limit: number | null = null
    inflater.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      total += chunk.length
      limit ??= declaredLength(chunks.length === 1 ? chunk : Buffer.concat(chunks))
      if (limit !== null && limit > MAX_IDX_BYTES) {
        inflater.destroy()
        reject(
          new DataFileError('bad-length', file, `declares ${limit} bytes, over the limit of ${MAX_IDX_BYTES}`)
        )
      } else if (limit !== null && total > limit) {
        inflater.destroy()
        reject(
          new DataFileError(
            'bad-length',
            file,
            `too long: inflates past the ${limit} bytes its header declares`
          )
        )
      }
    })
    inflater.on('end', () => resolve(Buffer.concat(chunks)))
    inflater.on('error', (error) => {
      reject(new DataFileError('bad-gzip', file, `damaged gzip data (${error.message})`))
    })
    inflater.end(bytes)
  })
}

/** Parses IDX bytes (already decompressed); `file` is only used in error messages. */
export function parseIdx(file: string, bytes: Uint8Array): IdxArray {
  if (bytes.length < 4) throw new DataFileError('bad-length', file, `file is only ${bytes.length} bytes long`)
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFileError('bad-magic', file, 'not an IDX file (magic number does not start with 0x0000)')
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new DataFileError(
      'bad-magic',
      file,
      `IDX type 0x${bytes[2].toString(16)} is not unsigned byte (0x08)`
    )
  }
  const rank = bytes[3]
  if (rank < 1 || rank > 3)
    throw new DataFileError('bad-dimensions', file, `IDX rank ${rank} is not 1, 2 or 3`)
  const headerLength = 4 + 4 * rank
  if (bytes.length < headerLength) {
    throw new DataFileError('bad-length', file, `truncated header (${bytes.length} of ${headerLength} bytes)`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false))
  if (dims.some((d) => d === 0))
    throw new DataFileError('bad-dimensions', file, `zero dimension in [${dims}]`)
  const expected = dims.reduce((a, b) => a * b, 1)
  const actual = bytes.length - headerLength
  if (actual !== expected) {
    const what = actual < expected ? 'truncated' : 'too long'
    throw new DataFileError(
      'bad-length',
      file,
      `${what}: dimensions [${dims.join('×')}] need ${expected} data bytes, found ${actual}`
    )
  }
  return { dims, data: bytes.subarray(headerLength) }
}

/**
 * The largest IDX file read: MNIST's biggest (the 60,000 training images, 47 MB unzipped) with room to spare.
 * A gzipped file inflates to at most what its header declares, and no header may declare more than this.
 */
export const MAX_IDX_BYTES = 64 * 1024 * 1024

/** Reads an IDX file, gzipped or raw. A name ending in .gz must really be gzip. */
export async function readIdx(file: string): Promise<IdxArray> {
  let bytes: Uint8Array
  try {
    bytes = await readRegularFile(file, { maxBytes: MAX_IDX_BYTES })
  } catch (error) {
    if (!(error instanceof SafeReadError)) throw error
    throw new DataFileError(error.code === 'not-found' ? 'not-found' : 'unreadable', file, error.reason)
  }
  if (isGzip(bytes)) return parseIdx(file, await gunzip(file, bytes))
  if (file.endsWith('.gz'))
    throw new DataFileError('not-gzip', file, 'name ends in .gz but the file is not gzip')
  return parseIdx(file, bytes)
}
