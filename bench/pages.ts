/**
 * Reading numbers and pages (issue 12). Two parts, one JSON document:
 *   - pages: usps-600 and MNIST test digits composed onto plain, ruled and boxed pages, level or skewed ±3°,
 *     with uneven light, noise, JPEG and blue or black ink; share of lines read with the right number of
 *     digits, digit accuracy against the same digits read one by one, seconds per page;
 *   - pad: six-digit numbers "written on the pad" (MNIST test digits, strokes traced from their skeletons,
 *     realistic gaps); digit accuracy against the same digits drawn alone on the pad, and draw → reading
 *     latency (segmentation + preprocessing + model + flag) of a six-digit number's last stroke, p50/p99, on
 *     the app's pad size and on the roomier bench pad.
 * Flags: --quick (fewer pages and numbers). Run alone: `npx tsx bench/pages.ts [--quick]`.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { selectBackend } from '../src/core/backend'
import { assessorFor } from '../src/core/calibration'
import { argmax10 } from '../src/core/evaluation'
import { loadModelFolder, type LoadedModel } from '../src/core/models/store'
import { readPage } from '../src/core/page'
import { decodeImageBuffer } from '../src/core/preprocess'
import { toMnistForm } from '../src/core/preprocess/mnist-form'
import type { GrayImage } from '../src/core/preprocess/types'
import { readPad, warmUpReading } from '../src/core/segmentation'
import { traceStrokes, upscale, type StrokeList } from '../test/support/reading-ink'
import {
  buildPage,
  digitAlone,
  mnistDigits,
  uspsDigits,
  type BuiltPage,
  type InkDigit,
  type Layout,
  type PageSpec
} from '../test/support/reading-pages'
import { percentile } from './stats'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const USPS = path.resolve(root, '..', 'shared', 'data', 'usps-600')
const MODEL = path.join(root, 'resources', 'models', 'default')

/** Reads digits one by one, as an import of single-digit images would. */
async function readAlone(model: LoadedModel, images: GrayImage[]): Promise<(number | null)[]> {
  const forms = images.map((image) => toMnistForm(image))
  const digits = forms.filter((f) => f.kind === 'digit')
  const input = new Float32Array(digits.length * 784)
  digits.forEach((f, i) => f.kind === 'digit' && input.set(f.pixels, i * 784))
  const output = digits.length ? await model.predict(input, digits.length) : new Float32Array(0)
  let next = 0
  return forms.map((f) => (f.kind === 'digit' ? argmax10(output, 10 * next++) : null))
}

interface Tally {
  pages: number
  lines: number
  linesRightCount: number
  digits: number
  correctOnPage: number
  correctAlone: number
  seconds: number[]
}

const emptyTally = (): Tally => ({
  pages: 0,
  lines: 0,
  linesRightCount: 0,
  digits: 0,
  correctOnPage: 0,
  correctAlone: 0,
  seconds: []
})

function summary(t: Tally) {
  const sorted = [...t.seconds].sort((a, b) => a - b)
  return {
    pages: t.pages,
    lines: t.lines,
    digits: t.digits,
    linesWithRightCount: t.linesRightCount / t.lines,
    accuracyOnPage: t.correctOnPage / t.digits,
    accuracyAlone: t.correctAlone / t.digits,
    pointsBelowAlone: (100 * (t.correctAlone - t.correctOnPage)) / t.digits,
    secondsPerPage: {
      mean: t.seconds.reduce((a, b) => a + b, 0) / t.seconds.length,
      max: sorted[sorted.length - 1]
    }
  }
}

/** Reads a built page as the Read view does (with the flags) and adds its lines to the tallies. */
async function readAndTally(model: LoadedModel, page: BuiltPage, name: string, tallies: Tally[]) {
  const image = await decodeImageBuffer(page.file, name)
  const started = performance.now()
  const reading = await readPage(image, model, assessorFor(model))
  const seconds = (performance.now() - started) / 1000
  const alone = await readAlone(model, page.digits.flat().map(digitAlone))
  let k = 0
  const lineResults = page.truth.map((truth, l) => {
    const read = reading.lines[l]?.digits ?? []
    const right = read.length === truth.length && reading.lines.length === page.truth.length
    const onPage = right ? truth.filter((label, d) => read[d].digit === label).length : 0
    const byOne = truth.filter((label) => alone[k++] === label).length
    return { right, onPage, byOne, count: truth.length }
  })
  for (const t of tallies) {
    t.pages++
    t.seconds.push(seconds)
    for (const r of lineResults) {
      t.lines++
      t.digits += r.count
      if (r.right) t.linesRightCount++
      t.correctOnPage += r.onPage
      t.correctAlone += r.byOne
    }
  }
}

async function benchPageReading(model: LoadedModel, quick: boolean) {
  const sources: [string, InkDigit[]][] = [
    ['usps-600', await uspsDigits(USPS, 60)],
    ['mnist-t10k', mnistDigits(quick ? 1200 : 6000)]
  ]
  const conditions: Omit<PageSpec, 'layout' | 'lines'>[] = [
    { format: 'png' },
    { skewDegrees: 3, unevenLight: true, noise: 6, format: 'jpeg' },
    { skewDegrees: -3, unevenLight: true, noise: 8, format: 'jpeg', ink: 'blue' },
    { skewDegrees: 1.5, noise: 4, format: 'jpeg', ink: 'blue' }
  ]
  const layouts: Layout[] = ['plain', 'ruled', 'boxed']
  const lines = Array(quick ? 6 : 12).fill(quick ? 12 : 25) as number[]
  const perPage = lines.reduce((a, b) => a + b, 0)
  const all = emptyTally()
  const bySource: Record<string, Tally> = {}
  const byLayout: Record<string, Tally> = {}
  let seed = 1
  for (const [name, digits] of sources) {
    let offset = 0
    const pagesOfSource = quick
      ? 1
      : Math.max(1, Math.floor(digits.length / (perPage * layouts.length * conditions.length)))
    for (let repeat = 0; repeat < pagesOfSource; repeat++) {
      for (const layout of layouts) {
        for (const condition of conditions) {
          const page = await buildPage(
            { ...condition, layout, lines, seed: seed++ },
            digits.slice(offset % digits.length)
          )
          offset += perPage
          await readAndTally(model, page, `${name}-${layout}`, [
            all,
            (bySource[name] ??= emptyTally()),
            (byLayout[layout] ??= emptyTally())
          ])
        }
      }
    }
  }
  // Digits written so close that neighbours touch (gaps of −0.05…0.02 digit heights): reported apart, the
  // pages above leave people's usual gaps.
  const touching = emptyTally()
  for (let page = 0; page < (quick ? 2 : 8); page++) {
    const layout: Layout = page % 2 === 0 ? 'plain' : 'ruled'
    const built = await buildPage(
      { layout, lines: [10, 10, 10, 10], seed: 500 + page, gap: { min: -0.05, max: 0.02 } },
      sources[1][1].slice(page * 40)
    )
    await readAndTally(model, built, `touching-${page}`, [touching])
  }
  return {
    digitsPerPage: perPage,
    conditions,
    note: 'A line counts as right when it holds exactly its digits; digits of a wrong line count as wrong on the page.',
    all: summary(all),
    bySource: Object.fromEntries(Object.entries(bySource).map(([k, v]) => [k, summary(v)])),
    byLayout: Object.fromEntries(Object.entries(byLayout).map(([k, v]) => [k, summary(v)])),
    touchingDigits: summary(touching)
  }
}

/** A pad for the bench: the grey image's size and how much MNIST's 28×28 digits are magnified on it. */
export interface PadSize {
  width: number
  height: number
  scale: number
}
/** Where accuracy is measured: a roomy pad, digits 112 pixels tall. */
const BENCH_PAD: PadSize = { width: 600, height: 200, scale: 4 }
/** What the app's pad sends (SEND_WIDTH × SEND_SIZE in src/renderer/src/features/draw/drawing.ts). */
export const APP_PAD: PadSize = { width: 420, height: 140, scale: 3 }

/** Six MNIST digits side by side on the pad: ink (bright on black) and strokes traced from each digit. */
export function padNumber(digits: { image: Uint8Array }[], gaps: number[], size: PadSize = BENCH_PAD) {
  const { width, height, scale } = size
  const ink = new Uint8Array(width * height)
  const strokes: StrokeList = []
  const alone: GrayImage[] = []
  let x = 10
  digits.forEach(({ image }, i) => {
    const big = upscale({ width: 28, height: 28, data: image }, scale)
    // The digit's ink columns only (MNIST's 28×28 field has empty margins).
    let left = big.width
    let right = -1
    for (let p = 0; p < big.data.length; p++)
      if (big.data[p] > 40) {
        left = Math.min(left, p % big.width)
        right = Math.max(right, p % big.width)
      }
    const top = Math.round((height - big.height) / 2)
    const single = new Uint8Array(width * height)
    for (let y = 0; y < big.height; y++)
      for (let c = left; c <= right; c++) {
        const v = big.data[y * big.width + c]
        const p = (top + y) * width + x + c - left
        if (x + c - left >= width) continue
        if (v > ink[p]) ink[p] = v
        single[p] = v
      }
    alone.push({ width, height, data: single })
    for (const stroke of traceStrokes(big))
      strokes.push(stroke.map((p) => ({ x: p.x + x - left, y: p.y + top })))
    x += right - left + 1 + Math.round((gaps[i] * scale) / BENCH_PAD.scale)
  })
  return { ink: { width, height, data: ink }, strokes, alone, fits: x <= width }
}

/** Gaps people leave between digits: 6 to 30 pixels of the bench's pad, digits being about 80 tall. */
export const gapsOf = (random: () => number) => Array.from({ length: 6 }, () => 6 + Math.round(random() * 24))

/**
 * Draw → reading while writing, as the app reads: the model warmed up as the app's ModelService does when it
 * makes a model active, each stroke's frame read with the "not sure" flag (detector included), and the time of
 * the last stroke's frame kept (the pad then holds six digits; the strokes before it were read, so only the
 * digits the last stroke changed are read again). `frames` numbers, each written stroke by stroke.
 */
async function padLatency(model: LoadedModel, images: Uint8Array[], size: PadSize, frames: number) {
  const assess = assessorFor(model)
  await warmUpReading(model, assess)
  const random = (await import('../test/support/mnist-sample')).seededRandom(7)
  const latency: number[] = []
  for (let start = 0; start + 6 <= images.length && latency.length < frames; start += 6) {
    const six = Array.from({ length: 6 }, (_, i) => ({ image: images[start + i] }))
    const number = padNumber(six, gapsOf(random), size)
    if (!number.fits) continue
    for (let s = 1; s <= number.strokes.length; s++) {
      const started = performance.now()
      await readPad({ strokes: number.strokes.slice(0, s), ink: number.ink }, model, assess)
      if (s === number.strokes.length) latency.push(performance.now() - started)
    }
  }
  const sorted = [...latency].sort((a, b) => a - b)
  return {
    pad: `${size.width}x${size.height}`,
    digitHeight: 28 * size.scale,
    frames: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]
  }
}

async function benchPad(model: LoadedModel, quick: boolean) {
  const { images, labels } = (await import('../test/support/mnist-sample')).readMnist(
    't10k',
    quick ? 600 : 6000
  )
  const random = (await import('../test/support/mnist-sample')).seededRandom(7)
  const assess = assessorFor(model)
  let numbers = 0
  let rightCount = 0
  let digits = 0
  let correct = 0
  let correctAlone = 0
  for (let start = 0; start + 6 <= images.length; start += 6) {
    const six = Array.from({ length: 6 }, (_, i) => ({ image: images[start + i] }))
    const number = padNumber(six, gapsOf(random))
    if (!number.fits) continue
    numbers++
    const truth = Array.from(labels.subarray(start, start + 6))
    // Read from scratch, as the app reads (with the flags): a classifier of its own, nothing remembered.
    const scratch = {
      predict: (pixels: Float32Array, count: number) => model.predict(pixels, count),
      predictWithFeatures: (pixels: Float32Array, count: number) => model.predictWithFeatures(pixels, count),
      detector: model.detector
    }
    const [line] = await readPad({ strokes: number.strokes, ink: number.ink }, scratch, assess)
    const alone = await readAlone(model, number.alone)
    digits += 6
    correctAlone += truth.filter((label, i) => alone[i] === label).length
    if (line && line.digits.length === 6) {
      rightCount++
      correct += truth.filter((label, i) => line.digits[i].digit === label).length
    }
  }
  const frames = quick ? 20 : 100
  return {
    pad: `${BENCH_PAD.width}x${BENCH_PAD.height}`,
    numbers,
    digits,
    numbersWithSixDigits: rightCount / numbers,
    accuracyInNumbers: correct / digits,
    accuracyAlone: correctAlone / digits,
    pointsBelowAlone: (100 * (correctAlone - correct)) / digits,
    // The app's pad first (what users get), then the roomier one accuracy is measured on.
    readingSixDigitsMs: {
      appPad: await padLatency(model, images, APP_PAD, frames),
      benchPad: await padLatency(model, images, BENCH_PAD, frames)
    },
    note: 'Latency: segmentation + preprocessing + model + "not sure" flag for the whole six-digit pad when its last stroke is drawn, after the strokes before it were read (as the pad reads while writing: digits the stroke did not change are remembered), model warmed up as the app does, in-process (no IPC).'
  }
}

export async function benchPages(quick = false): Promise<Record<string, unknown>> {
  const backend = await selectBackend('auto')
  const model = await loadModelFolder(MODEL)
  try {
    // BENCH_PAGES_ONLY=pages or pad runs one half (for a quick look at one).
    const only = process.env.BENCH_PAGES_ONLY
    return {
      backend: backend.name,
      pages: only === 'pad' ? null : await benchPageReading(model, quick),
      pad: only === 'pages' ? null : await benchPad(model, quick)
    }
  } finally {
    model.dispose()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchPages(process.argv.includes('--quick')), null, 2))
}
