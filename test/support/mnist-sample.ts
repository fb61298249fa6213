/** Reads a few MNIST images straight from the IDX gz files (tests only; the engine has its own loader). */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { MNIST_DIR, hasMnist } from './paths'

export interface MnistSample {
  images: Uint8Array[]
  labels: Uint8Array
}

/**
 * The first `count` images of a split. Without the data folder it returns no images (and the skip reason is
 * printed once), so that files reading samples at load time can still be collected and skip their tests.
 */
export function readMnist(split: 'train' | 't10k', count: number): MnistSample {
  if (!hasMnist()) return { images: [], labels: new Uint8Array(0) }
  const images = gunzipSync(readFileSync(path.join(MNIST_DIR, `${split}-images-idx3-ubyte.gz`)))
  const labels = gunzipSync(readFileSync(path.join(MNIST_DIR, `${split}-labels-idx1-ubyte.gz`)))
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049)
    throw new Error('not MNIST IDX files')
  const n = Math.min(count, images.readUInt32BE(4))
  return {
    images: Array.from(
      { length: n },
      (_, i) => new Uint8Array(images.subarray(16 + i * 784, 16 + (i + 1) * 784))
    ),
    labels: new Uint8Array(labels.subarray(8, 8 + n))
  }
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
