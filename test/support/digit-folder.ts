/**
 * Folders of real hand-written digits for import tests: MNIST test images written as PNG scans (dark ink on
 * white, 28×28 as MNIST drew them) into one sub-folder per label, so the import reads the labels from the folder names.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { readMnist } from './mnist-sample'

const MNIST_TEST_IMAGES = 10_000
const WRITERS = 8
const COMPLETE_MARKER = '.complete'

/** File i: `<label>/<i>.png`; beyond 10,000 the images repeat, shifted by a pixel so each file differs. */
export async function writeDigitFolder(folder: string, count: number): Promise<void> {
  const mnist = readMnist('t10k', Math.min(count, MNIST_TEST_IMAGES))
  for (let label = 0; label < 10; label++) mkdirSync(path.join(folder, String(label)), { recursive: true })
  let next = 0
  const writer = async () => {
    while (next < count) {
      const i = next++
      const source = mnist.images[i % mnist.images.length]
      const shift = Math.floor(i / mnist.images.length) % 3
      const scan = Buffer.alloc(28 * 28, 255)
      for (let p = 0; p < 784; p++) {
        const x = (p % 28) + shift
        if (x < 28) scan[p - (p % 28) + x] = 255 - source[p]
      }
      const png = await sharp(scan, { raw: { width: 28, height: 28, channels: 1 } })
        .png({ compressionLevel: 1 })
        .toBuffer()
      writeFileSync(path.join(folder, String(mnist.labels[i % mnist.labels.length]), `${i}.png`), png)
    }
  }
  await Promise.all(Array.from({ length: WRITERS }, writer))
}

/** A digit folder kept between runs (the soak's 60,000 images take minutes to write). */
export async function cachedDigitFolder(folder: string, count: number): Promise<void> {
  const marker = path.join(folder, COMPLETE_MARKER)
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(count)) return
  await writeDigitFolder(folder, count)
  writeFileSync(marker, String(count))
}
