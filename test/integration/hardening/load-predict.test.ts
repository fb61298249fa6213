/**
 * Predictions back to back through the contract (router → predict.image → preprocessing → the shipped model),
 * the way the drawing pad sends them, with flat memory: RSS and heap are read after a warm-up and after the run.
 */
import { rmSync } from 'node:fs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Prediction } from '../../../src/shared/schemas/images'
import { readMnist } from '../../support/mnist-sample'
import { startServices, type RunningServices } from '../../support/services'
import { countFromEnv, memory, recordFigures, tempDir } from './support'
import { hasMnist } from '../../support/paths'

const PREDICTIONS = countFromEnv('HARDENING_PREDICTIONS', 2000)
const WARM_UP = 300
/** Growth allowed after warm-up: far below what keeping anything per prediction would cost at 10,000 calls. */
const RSS_GROWTH_MIB = 100
const HEAP_GROWTH_MIB = 20
/** The drawing pad's canvas side. */
const CANVAS = 280

const dataDir = tempDir('load-predict')
let app: RunningServices
const requests: { width: number; height: number; pixels: string; label: number | null }[] = []

beforeAll(async () => {
  if (!hasMnist()) return
  app = await startServices(dataDir)
  const mnist = readMnist('t10k', 20)
  for (let i = 0; i < mnist.images.length; i++) {
    // A drawing: the digit enlarged onto the canvas, dark ink on white like the pad's strokes.
    const canvas = await sharp(Buffer.from(mnist.images[i].map((v) => 255 - v)), {
      raw: { width: 28, height: 28, channels: 1 }
    })
      .resize(CANVAS, CANVAS)
      .toColourspace('b-w')
      .raw()
      .toBuffer()
    requests.push({
      width: CANVAS,
      height: CANVAS,
      pixels: canvas.toString('base64'),
      label: mnist.labels[i]
    })
  }
  // A blank canvas: the "no digit" path.
  requests.push({
    width: CANVAS,
    height: CANVAS,
    pixels: Buffer.alloc(CANVAS * CANVAS, 255).toString('base64'),
    label: null
  })
})
afterAll(async () => {
  await app?.services.dispose()
  rmSync(dataDir, { recursive: true, force: true })
})

async function predictMany(count: number): Promise<number> {
  let correct = 0
  for (let i = 0; i < count; i++) {
    const { label, ...request } = requests[i % requests.length]
    const result = await app.call('predict.image', request)
    if (!result.ok) throw new Error(`prediction ${i}: ${result.error.code} ${result.error.message}`)
    const prediction = result.value as Prediction
    if (label === null) expect(prediction.digit).toBeNull()
    else if (prediction.digit === label) correct++
  }
  return correct
}

describe.skipIf(!hasMnist())('predictions through the contract under load', () => {
  it(`${PREDICTIONS} predictions back to back keep memory flat`, async () => {
    await predictMany(WARM_UP)
    const before = memory()
    const started = performance.now()
    const correct = await predictMany(PREDICTIONS)
    const seconds = (performance.now() - started) / 1000
    const after = memory()
    const labelled = PREDICTIONS - Math.floor(PREDICTIONS / requests.length)
    const figures = {
      predictions: PREDICTIONS,
      seconds: Math.round(seconds * 10) / 10,
      msPerPrediction: Math.round((seconds / PREDICTIONS) * 1000 * 100) / 100,
      accuracy: Math.round((correct / labelled) * 1000) / 1000,
      rssBeforeMiB: before.rssMiB,
      rssAfterMiB: after.rssMiB,
      heapBeforeMiB: before.heapMiB,
      heapAfterMiB: after.heapMiB,
      externalBeforeMiB: before.externalMiB,
      externalAfterMiB: after.externalMiB
    }
    recordFigures('load-predict', figures)
    // The shipped model reads these enlarged MNIST digits: a sanity check that the calls did real work.
    expect(figures.accuracy).toBeGreaterThan(0.8)
    expect(after.rssMiB - before.rssMiB).toBeLessThan(RSS_GROWTH_MIB)
    expect(after.heapMiB - before.heapMiB).toBeLessThan(HEAP_GROWTH_MIB)
  })
})
