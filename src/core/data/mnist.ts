/** Loads MNIST from a folder and reports whether a folder holds a usable, verified copy. */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { MnistStatus } from '../../shared/contract'
import { MNIST_FILES, MNIST_SHA256, type MnistFileKey } from './checksums'
import { DataFileError } from './errors'
import { SafeReadError, statRegularFile, streamRegularFile } from '../fs/safe-read'
import { MAX_IDX_BYTES, readIdx } from './idx'

export const IMAGE_SIZE = 28
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE

/** Images as bytes 0..255 (count×784, ink bright) and labels 0..9. */
export interface DigitSet {
  count: number
  images: Uint8Array
  labels: Uint8Array
}
export interface Mnist {
  train: DigitSet
  test: DigitSet
  /** SHA-256 of the files read, by canonical file name (null where the raw, unzipped form was read). */
  checksums: Record<string, string>
}
export interface LoadOptions {
  trainLimit?: number
  testLimit?: number
}

/** The path of one MNIST file: the canonical .gz name, or the unzipped name if only that exists. */
export function mnistFilePath(folder: string, key: MnistFileKey): string {
  const gz = path.join(folder, MNIST_FILES[key])
  const raw = gz.slice(0, -'.gz'.length)
  return existsSync(gz) || !existsSync(raw) ? gz : raw
}

/** SHA-256 of a regular file of at most MAX_IDX_BYTES (a FIFO or /dev/zero is refused, never read forever). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  try {
    await streamRegularFile(file, MAX_IDX_BYTES, (chunk) => hash.update(chunk))
  } catch (error) {
    if (!(error instanceof SafeReadError)) throw error
    throw new DataFileError(error.code === 'not-found' ? 'not-found' : 'unreadable', file, error.reason)
  }
  return hash.digest('hex')
}

async function readSet(folder: string, images: MnistFileKey, labels: MnistFileKey, limit?: number) {
  const imageFile = mnistFilePath(folder, images)
  const labelFile = mnistFilePath(folder, labels)
  const [x, y] = await Promise.all([readIdx(imageFile), readIdx(labelFile)])
  if (x.dims.length !== 3 || x.dims[1] !== IMAGE_SIZE || x.dims[2] !== IMAGE_SIZE) {
    throw new DataFileError(
      'bad-dimensions',
      imageFile,
      `expected N×28×28 images, found [${x.dims.join('×')}]`
    )
  }
  if (y.dims.length !== 1) throw new DataFileError('bad-dimensions', labelFile, 'expected a 1-D label file')
  if (y.dims[0] !== x.dims[0]) {
    throw new DataFileError(
      'mismatch',
      labelFile,
      `${y.dims[0]} labels for ${x.dims[0]} images in ${imageFile}`
    )
  }
  const bad = y.data.findIndex((label) => label > 9)
  if (bad >= 0)
    throw new DataFileError('mismatch', labelFile, `label ${y.data[bad]} at index ${bad} is not 0..9`)
  const set = firstDigits({ count: x.dims[0], images: x.data, labels: y.data }, limit)
  return { set, files: [imageFile, labelFile] }
}

/** The first `limit` digits of a set (all of them without a limit), sharing its memory. */
export function firstDigits(set: DigitSet, limit?: number): DigitSet {
  const count = Math.min(set.count, limit ?? Infinity)
  return { count, images: set.images.subarray(0, count * PIXELS), labels: set.labels.subarray(0, count) }
}

/** Only the test set (for evaluation), with its files' checksums. */
export async function loadMnistTest(
  folder: string,
  limit?: number
): Promise<{ test: DigitSet; checksums: Record<string, string> }> {
  const { set, files } = await readSet(folder, 'testImages', 'testLabels', limit)
  const checksums: Record<string, string> = {}
  for (const file of files) if (file.endsWith('.gz')) checksums[path.basename(file)] = await sha256File(file)
  return { test: set, checksums }
}

export async function loadMnist(folder: string, options: LoadOptions = {}): Promise<Mnist> {
  const [train, test] = await Promise.all([
    readSet(folder, 'trainImages', 'trainLabels', options.trainLimit),
    readSet(folder, 'testImages', 'testLabels', options.testLimit)
  ])
  const checksums: Record<string, string> = {}
  for (const file of [...train.files, ...test.files]) {
    if (file.endsWith('.gz')) checksums[path.basename(file)] = await sha256File(file)
  }
  return { train: train.set, test: test.set, checksums }
}

/** Which MNIST files the folder holds and whether the gzip ones match the shipped checksums. */
export async function mnistStatus(folder: string | null): Promise<MnistStatus> {
  if (!folder) return { folder: null, available: false, files: [], message: 'No MNIST folder chosen' }
  const files: MnistStatus['files'] = []
  const unreadable: string[] = []
  for (const key of Object.keys(MNIST_FILES) as MnistFileKey[]) {
    const file = mnistFilePath(folder, key)
    const name = path.basename(file)
    if (!existsSync(file)) {
      files.push({ name: MNIST_FILES[key], present: false, verified: null })
      continue
    }
    // Unzipped copies have no shipped checksum: present, but not verifiable.
    const expected = MNIST_SHA256[name]
    try {
      await statRegularFile(file)
      const verified = expected ? (await sha256File(file)) === expected : null
      files.push({ name, present: true, verified })
    } catch (error) {
      files.push({ name, present: true, verified: false })
      unreadable.push((error as Error).message)
    }
  }
  const missing = files.filter((f) => !f.present).map((f) => f.name)
  const corrupt = files.filter((f) => f.verified === false).map((f) => f.name)
  const available = missing.length === 0 && corrupt.length === 0
  const message = missing.length
    ? `Missing in ${folder}: ${missing.join(', ')}`
    : unreadable.length
      ? `Cannot read ${unreadable.join('; ')}`
      : corrupt.length
        ? `Checksum mismatch in ${folder}: ${corrupt.join(', ')}`
        : null
  return { folder, available, files, message }
}
