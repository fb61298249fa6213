import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { DataFileError, loadMnist, readIdx } from '../../../../src/core/data'
import { tempDir } from '../../../support/engine'

function idxBytes(dims: number[], data: Uint8Array, type = 0x08): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length)
  header[2] = type
  header[3] = dims.length
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i))
  return Buffer.concat([header, data])
}

const dir = tempDir()
function file(name: string, bytes: Uint8Array): string {
  const target = path.join(dir, name)
  writeFileSync(target, bytes)
  return target
}

async function failure(promise: Promise<unknown>): Promise<DataFileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(DataFileError)
  return error as DataFileError
}

describe('readIdx', () => {
  const pixels = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 7)

  it('reads raw and gzipped files with their dimensions and data', async () => {
    const raw = await readIdx(file('a-idx3-ubyte', idxBytes([2, 3, 4], pixels)))
    const gz = await readIdx(file('a-idx3-ubyte.gz', gzipSync(idxBytes([2, 3, 4], pixels))))
    for (const parsed of [raw, gz]) {
      expect(parsed.dims).toEqual([2, 3, 4])
      expect(Array.from(parsed.data)).toEqual(Array.from(pixels))
    }
  })

  it('rejects a wrong magic number, naming the file', async () => {
    const bad = file('magic.idx', Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 1, 5]))
    const error = await failure(readIdx(bad))
    expect(error.code).toBe('bad-magic')
    expect(error.file).toBe(bad)
    expect(error.message).toContain(bad)
    const wrongType = await failure(readIdx(file('type.idx', idxBytes([1], Uint8Array.of(1), 0x0d))))
    expect(wrongType.code).toBe('bad-magic')
  })

  it('rejects truncated data and data that is too long', async () => {
    const truncated = await failure(readIdx(file('short.idx', idxBytes([2, 3, 4], pixels.subarray(0, 20)))))
    expect(truncated.code).toBe('bad-length')
    expect(truncated.message).toMatch(/truncated/)
    const long = await failure(
      readIdx(file('long.idx', idxBytes([2, 3, 4], Uint8Array.from([...pixels, 1]))))
    )
    expect(long.code).toBe('bad-length')
    const header = await failure(readIdx(file('header.idx', Uint8Array.of(0, 0, 8, 3, 0, 0))))
    expect(header.code).toBe('bad-length')
  })

  it('rejects a .gz file that is not gzip, and damaged gzip data', async () => {
    const notGzip = await failure(readIdx(file('plain.gz', idxBytes([1], Uint8Array.of(3)))))
    expect(notGzip.code).toBe('not-gzip')
    const gz = gzipSync(idxBytes([2, 3, 4], pixels))
    const damaged = await failure(readIdx(file('cut.gz', gz.subarray(0, gz.length - 6))))
    expect(damaged.code).toBe('bad-gzip')
  })

  it('reports a missing file as not-found', async () => {
    const error = await failure(readIdx(path.join(dir, 'nope.gz')))
    expect(error.code).toBe('not-found')
  })
})

describe('loadMnist', () => {
  it('checks that images are 28×28 and that labels match the images', async () => {
    const folder = tempDir()
    const write = (name: string, bytes: Uint8Array) => writeFileSync(path.join(folder, name), gzipSync(bytes))
    write('train-images-idx3-ubyte.gz', idxBytes([2, 28, 28], new Uint8Array(2 * 784)))
    write('train-labels-idx1-ubyte.gz', idxBytes([2], Uint8Array.of(3, 7)))
    write('t10k-images-idx3-ubyte.gz', idxBytes([1, 28, 28], new Uint8Array(784)))
    write('t10k-labels-idx1-ubyte.gz', idxBytes([2], Uint8Array.of(1, 2)))
    const mismatch = await failure(loadMnist(folder))
    expect(mismatch.code).toBe('mismatch')
    expect(mismatch.file).toContain('t10k-labels')
    write('t10k-labels-idx1-ubyte.gz', idxBytes([1], Uint8Array.of(1)))
    const data = await loadMnist(folder)
    expect(data.train.count).toBe(2)
    expect(Array.from(data.train.labels)).toEqual([3, 7])
    expect(Object.keys(data.checksums)).toHaveLength(4)
    write('t10k-images-idx3-ubyte.gz', idxBytes([1, 27, 28], new Uint8Array(27 * 28)))
    expect((await failure(loadMnist(folder))).code).toBe('bad-dimensions')
  })
})
