/** Reads a few MNIST images straight from the IDX gz files (tests only; the engine has its own loader). */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

export const MNIST_DIR = new URL('../../../../shared/data/mnist/', import.meta.url)

export interface MnistSample {
  images: Uint8Array[]
  labels: Uint8Array
}

export function readMnist(split: 'train' | 't10k', count: number): MnistSample {
  const images = gunzipSync(readFileSync(new URL(`${split}-images-idx3-ubyte.gz`, MNIST_DIR)))
  const labels = gunzipSync(readFileSync(new URL(`${split}-labels-idx1-ubyte.gz`, MNIST_DIR)))
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
