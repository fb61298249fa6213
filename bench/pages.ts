/**
 * Reading numbers and pages (issue 12). Two parts, one JSON document:
 *   - pages: usps-600 and MNIST test digits composed onto plain, ruled and boxed pages, level or skewed ±3°,
 *     with uneven light, noise, JPEG and blue or black ink; share of lines read with the right number of
 *     digits, digit accuracy against the same digits read one by one, seconds per page;
 *   - pad: six-digit numbers "written on the pad" (MNIST test digits, strokes traced from their skeletons,
 *     realistic gaps); digit accuracy against the same digits drawn alone on the pad, and draw → reading
 *     latency (segmentation + preprocessing + model) per stroke for the six-digit number, p50/p99.
 * Flags: --quick (fewer pages and numbers). Run alone: `npx tsx bench/pages.ts [--quick]`.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { selectBackend } from '../src/core/backend'
import { argmax10 } from '../src/core/evaluation'
import { loadModelFolder, type LoadedModel } from '../src/core/models/store'
import { readPage } from '../src/core/page'
import { decodeImageBuffer } from '../src/core/preprocess'
import { toMnistForm } from '../src/core/preprocess/mnist-form'
import type { GrayImage } from '../src/core/preprocess/types'
import { readPad } from '../src/core/segmentation'
import { traceStrokes, upscale, type StrokeList } from '../test/support/reading-ink'
import {
  buildPage,
  digitAlone,
  mnistDigits,
  uspsDigits,
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
          const image = await decodeImageBuffer(page.file, `${name}-${layout}`)
          const started = performance.now()
          const reading = await readPage(image, model)
          const seconds = (performance.now() - started) / 1000
          const alone = await readAlone(model, page.digits.flat().map(digitAlone))
          const tallies = [all, (bySource[name] ??= emptyTally()), (byLayout[layout] ??= emptyTally())]
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
      }
    }
  }
  return {
    digitsPerPage: perPage,
    conditions,
    note: 'A line counts as right when it holds exactly its digits; digits of a wrong line count as wrong on the page.',
    all: summary(all),
    bySource: Object.fromEntries(Object.entries(bySource).map(([k, v]) => [k, summary(v)])),
    byLayout: Object.fromEntries(Object.entries(byLayout).map(([k, v]) => [k, summary(v)]))
  }
}

/** Pad size (the grey image the pad sends) and digit size, in its pixels. */
const PAD_W = 600
const PAD_H = 200
const SCALE = 4

/** Six MNIST digits side by side on the pad: ink (bright on black) and strokes traced from each digit. */
function padNumber(digits: { image: Uint8Array }[], gaps: number[]) {
  const ink = new Uint8Array(PAD_W * PAD_H)
  const strokes: StrokeList = []
  const alone: GrayImage[] = []
  let x = 10
  digits.forEach(({ image }, i) => {
    const big = upscale({ width: 28, height: 28, data: image }, SCALE)
    // The digit's ink columns only (MNIST's 28×28 field has empty margins).
    let left = big.width
    let right = -1
    for (let p = 0; p < big.data.length; p++)
      if (big.data[p] > 40) {
        left = Math.min(left, p % big.width)
        right = Math.max(right, p % big.width)
      }
    const top = Math.round((PAD_H - big.height) / 2)
    const single = new Uint8Array(PAD_W * PAD_H)
    for (let y = 0; y < big.height; y++)
      for (let c = left; c <= right; c++) {
        const v = big.data[y * big.width + c]
        const p = (top + y) * PAD_W + x + c - left
        if (v > ink[p]) ink[p] = v
        single[p] = v
      }
    alone.push({ width: PAD_W, height: PAD_H, data: single })
    for (const stroke of traceStrokes(big))
      strokes.push(stroke.map((p) => ({ x: p.x + x - left, y: p.y + top })))
    x += right - left + 1 + gaps[i]
  })
  return { ink: { width: PAD_W, height: PAD_H, data: ink }, strokes, alone, fits: x <= PAD_W }
}

async function benchPad(model: LoadedModel, quick: boolean) {
  const { images, labels } = (await import('../test/support/mnist-sample')).readMnist(
    't10k',
    quick ? 600 : 6000
  )
  const random = (await import('../test/support/mnist-sample')).seededRandom(7)
  let numbers = 0
  let rightCount = 0
  let digits = 0
  let correct = 0
  let correctAlone = 0
  const latency: number[] = []
  for (let start = 0; start + 6 <= images.length; start += 6) {
    const six = Array.from({ length: 6 }, (_, i) => ({ image: images[start + i] }))
    // Gaps people leave between digits: 6 to 30 pad pixels, digits being about 80 tall.
    const gaps = six.map(() => 6 + Math.round(random() * 24))
    const number = padNumber(six, gaps)
    if (!number.fits) continue
    numbers++
    const truth = Array.from(labels.subarray(start, start + 6))
    // Draw → reading while writing: the reading after each stroke, timed when the last stroke is drawn (the
    // pad then holds six digits; readPad re-reads only the digits the new stroke changed). Done before the
    // number is read for accuracy, so that the last stroke's reading is never one already made.
    if (numbers <= (quick ? 20 : 100)) {
      for (let s = 1; s <= number.strokes.length; s++) {
        const started = performance.now()
        await readPad({ strokes: number.strokes.slice(0, s), ink: number.ink }, model)
        if (s === number.strokes.length) latency.push(performance.now() - started)
      }
    }
    // Read from scratch (a classifier of its own: nothing remembered from the frames above).
    const scratch = { predict: (pixels: Float32Array, count: number) => model.predict(pixels, count) }
    const [line] = await readPad({ strokes: number.strokes, ink: number.ink }, scratch)
    const alone = await readAlone(model, number.alone)
    digits += 6
    correctAlone += truth.filter((label, i) => alone[i] === label).length
    if (line && line.digits.length === 6) {
      rightCount++
      correct += truth.filter((label, i) => line.digits[i].digit === label).length
    }
  }
  const sorted = [...latency].sort((a, b) => a - b)
  return {
    pad: `${PAD_W}x${PAD_H}`,
    numbers,
    digits,
    numbersWithSixDigits: rightCount / numbers,
    accuracyInNumbers: correct / digits,
    accuracyAlone: correctAlone / digits,
    pointsBelowAlone: (100 * (correctAlone - correct)) / digits,
    readingSixDigitsMs: { frames: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
    note: 'Latency: segmentation + preprocessing + model for the whole six-digit pad when its last stroke is drawn, after the strokes before it were read (as the pad reads while writing: digits the stroke did not change are remembered), in-process (no IPC).'
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
