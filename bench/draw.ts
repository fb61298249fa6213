/**
 * Draw → prediction latency, as the drawing pad sees it, timed twice: inside the main process (router +
 * preprocessing + model), and as a full round trip over web mode's WebSocket transport.
 *   - one digit: a stroke drawn step by step on a 140×140 canvas, each frame a 'predict.image' call;
 *   - a six-digit number: MNIST test digits traced into strokes on the pad's 420×140 image (bench/pages.ts),
 *     written stroke by stroke, each frame a 'read.pad' call as the Draw view sends it; the last stroke's frame
 *     of each number is timed (the pad then holds six digits).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { startWebApp } from '../src/main/web/app'
import { readMnist, seededRandom } from '../test/support/mnist-sample'
import { APP_PAD, gapsOf, padNumber } from './pages'
import { percentile } from './stats'

const SIDE = 140
const FRAMES = 400

/** Frames of a "2" drawn with a round pen: each frame adds one more point of the stroke. */
function strokeFrames(): string[] {
  const pixels = new Uint8Array(SIDE * SIDE).fill(255)
  const frames: string[] = []
  for (let i = 0; i < FRAMES; i++) {
    const t = (i % 100) / 100
    if (i % 100 === 0) pixels.fill(255)
    const x = t < 0.5 ? 40 + 60 * Math.sin(Math.PI * t) : 100 - 60 * (t - 0.5) * 2
    const y = t < 0.5 ? 30 + 60 * t : 60 + 50 * (t - 0.5) * 2
    for (let dy = -6; dy <= 6; dy++)
      for (let dx = -6; dx <= 6; dx++) {
        const px = Math.round(x + dx)
        const py = Math.round(y + dy)
        if (dx * dx + dy * dy <= 36 && px >= 0 && py >= 0 && px < SIDE && py < SIDE)
          pixels[py * SIDE + px] = 0
      }
    frames.push(Buffer.from(pixels).toString('base64'))
  }
  return frames
}

/** Numbers timed, each written stroke by stroke. */
const NUMBERS = 100

/** Each six-digit number's 'read.pad' requests, one per stroke (the ink of the whole number, as benchPad). */
function numberFrames(): { width: number; height: number; pixels: string; strokes: unknown[] }[][] {
  const { images } = readMnist('t10k', 6 * NUMBERS * 2)
  const random = seededRandom(7)
  const numbers: { width: number; height: number; pixels: string; strokes: unknown[] }[][] = []
  for (let start = 0; start + 6 <= images.length && numbers.length < NUMBERS; start += 6) {
    const six = Array.from({ length: 6 }, (_, i) => ({ image: images[start + i] }))
    const number = padNumber(six, gapsOf(random), APP_PAD)
    if (!number.fits) continue
    const pixels = Buffer.from(number.ink.data).toString('base64')
    numbers.push(
      number.strokes.map((_, s) => ({
        width: number.ink.width,
        height: number.ink.height,
        pixels,
        strokes: number.strokes.slice(0, s + 1)
      }))
    )
  }
  return numbers
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b)
  return {
    frames: times.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1]
  }
}

export async function benchDraw(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'digit-studio-bench-draw-'))
  const app = await startWebApp({ dataDir, staticDir: dataDir, log: () => undefined })
  try {
    const { host, searchParams } = new URL(app.url)
    const ws = new WebSocket(`ws://${host}/ws?token=${searchParams.get('token')}`)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    let id = 0
    const call = (name: string, request: unknown) =>
      new Promise<{ milliseconds: number }>((resolve) => {
        const mine = ++id
        const onMessage = (data: WebSocket.RawData) => {
          const message = JSON.parse(String(data))
          if (message.id !== mine) return
          ws.off('message', onMessage)
          resolve(message.result.value)
        }
        ws.on('message', onMessage)
        ws.send(JSON.stringify({ type: 'call', id: mine, name, request }))
      })
    const digit = (pixels: string) => call('predict.image', { width: SIDE, height: SIDE, pixels })
    const frames = strokeFrames()
    for (const frame of frames.slice(0, 20)) await digit(frame) // load the model and warm the backend
    const roundTrip: number[] = []
    const inMain: number[] = []
    for (const frame of frames) {
      const started = performance.now()
      const { milliseconds } = await digit(frame)
      roundTrip.push(performance.now() - started)
      inMain.push(milliseconds)
    }
    const numberRoundTrip: number[] = []
    const numberInMain: number[] = []
    for (const number of numberFrames()) {
      for (const [s, frame] of number.entries()) {
        const started = performance.now()
        const { milliseconds } = await call('read.pad', frame)
        if (s < number.length - 1) continue
        numberRoundTrip.push(performance.now() - started)
        numberInMain.push(milliseconds)
      }
    }
    ws.close()
    return {
      canvas: `${SIDE}x${SIDE}`,
      mainProcess: summary(inMain),
      webSocketRoundTrip: summary(roundTrip),
      sixDigitNumber: {
        pad: `${APP_PAD.width}x${APP_PAD.height}`,
        mainProcess: summary(numberInMain),
        webSocketRoundTrip: summary(numberRoundTrip)
      },
      note: 'Electron IPC replaces the WebSocket in the app; no Electron binary here to time it. Six-digit number: the last stroke of each number (read.pad with the "not sure" flag, the model loaded and warmed up at start as the app does).'
    }
  } finally {
    await app.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchDraw(), null, 2))
}
