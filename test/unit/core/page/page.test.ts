import { beforeAll, describe, expect, it } from 'vitest'
import path from 'node:path'
import { selectBackend } from '../../../../src/core/backend'
import { loadModelFolder } from '../../../../src/core/models'
import { readPage, segmentPage } from '../../../../src/core/page'
import { decodeImageBuffer } from '../../../../src/core/preprocess'
import {
  buildPage,
  mnistDigits,
  uspsDigits,
  type InkDigit,
  type PageSpec
} from '../../../support/reading-pages'
import { RESOURCES_DIR, USPS_DIR, hasMnist, hasUsps } from '../../../support/paths'

const missing = !hasUsps() || !hasMnist()

let usps: InkDigit[] = []
let mnist: InkDigit[] = []
beforeAll(async () => {
  if (missing) return
  usps = await uspsDigits(USPS_DIR, 6)
  mnist = mnistDigits(200, 1000)
})

async function layoutOf(spec: PageSpec, digits: InkDigit[]) {
  const page = await buildPage(spec, digits)
  const layout = segmentPage(await decodeImageBuffer(page.file, 'page'))
  return { page, layout, counts: layout.lines.map((line) => line.length) }
}

describe.skipIf(missing)('reading a page', () => {
  const cases: [string, PageSpec][] = [
    ['plain paper, level, PNG', { layout: 'plain', lines: [7, 5, 8], format: 'png' }],
    [
      'plain paper, skewed +3°, uneven light, JPEG, blue ink',
      {
        layout: 'plain',
        lines: [6, 8, 4],
        skewDegrees: 3,
        unevenLight: true,
        noise: 6,
        format: 'jpeg',
        ink: 'blue'
      }
    ],
    [
      'ruled paper, skewed -2.5°, JPEG',
      { layout: 'ruled', lines: [8, 6, 7], skewDegrees: -2.5, noise: 6, format: 'jpeg' }
    ],
    [
      'ruled paper, level, uneven light, blue ink',
      { layout: 'ruled', lines: [5, 9, 6], unevenLight: true, ink: 'blue', format: 'png' }
    ],
    [
      'a form with one box per digit, skewed -3°, uneven light, JPEG',
      { layout: 'boxed', lines: [6, 6, 4], skewDegrees: -3, unevenLight: true, noise: 6, format: 'jpeg' }
    ],
    [
      'a form with one box per digit, skewed +2°, blue ink, JPEG',
      { layout: 'boxed', lines: [5, 7, 3], skewDegrees: 2, ink: 'blue', noise: 4, format: 'jpeg' }
    ]
  ]
  cases.forEach(([name, spec], i) => {
    it(`finds every line and every digit: ${name}`, async () => {
      const { page, counts, layout } = await layoutOf(
        { ...spec, seed: i + 1 },
        i % 2 ? usps : mnist.slice(i * 20)
      )
      expect(counts).toEqual(page.truth.map((line) => line.length))
      expect(Math.abs(layout.skewDegrees - (spec.skewDegrees ?? 0))).toBeLessThan(0.6)
      // Lines top to bottom, digits left to right, boxes within the page.
      for (let l = 1; l < layout.lines.length; l++)
        expect(layout.lines[l][0].box.y).toBeGreaterThan(layout.lines[l - 1][0].box.y)
      for (const line of layout.lines) {
        for (let d = 1; d < line.length; d++) expect(line[d].box.x).toBeGreaterThan(line[d - 1].box.x)
        for (const { box } of line) {
          expect(box.x + box.width).toBeLessThanOrEqual(page.width)
          expect(box.y + box.height).toBeLessThanOrEqual(page.height)
        }
      }
      if (spec.layout === 'boxed') expect(layout.printedBoxes).toHaveLength(page.truth.flat().length)
    })
  })

  it('finds no digits in printed rules and empty form boxes', async () => {
    for (const layout of ['ruled', 'boxed'] as const) {
      // A page whose "digits" are all blank: only the printed lines are left.
      const blank: InkDigit = { label: 0, width: 10, height: 10, ink: new Float32Array(100), source: 'blank' }
      const { counts } = await layoutOf(
        { layout, lines: [6, 6, 6], skewDegrees: 2, noise: 6, format: 'jpeg', unevenLight: true },
        [blank]
      )
      expect(counts, layout).toEqual([])
    }
  })

  it('keeps a small flat entry written in the middle of a form box', async () => {
    // A flat squiggle (a quickly written 2 or 7), far lower than the page's other digits.
    const width = 30
    const height = 5
    const ink = new Float32Array(width * height)
    for (let x = 0; x < width; x++) ink[Math.round(2 + 2 * Math.sin(x / 3)) * width + x] = 1
    const flat: InkDigit = { label: 2, width, height, ink, source: 'flat' }
    const digits = [usps[0], usps[1], flat, usps[3], usps[4], usps[5], usps[6], usps[7]]
    const { counts } = await layoutOf(
      { layout: 'boxed', lines: [8], noise: 4, format: 'jpeg', seed: 3 },
      digits
    )
    expect(counts).toEqual([8])
  })

  it('reads a wide flat 2 as one digit, not as two touching ones', async () => {
    // usps-600's 2/12 is a flat 2 whose halves each read as a digit (a 5 and a 2).
    const two = (await uspsDigits(USPS_DIR, 13)).filter((d) => d.source.endsWith(path.join('2', '12.png')))
    expect(two).toHaveLength(1)
    const digits = [usps[10], usps[11], two[0], usps[13], usps[14]]
    await selectBackend('auto')
    const model = await loadModelFolder(path.join(RESOURCES_DIR, 'models', 'default'))
    try {
      for (const seed of [1, 2, 3, 4]) {
        const page = await buildPage({ layout: 'plain', lines: [5], format: 'png', seed }, digits)
        const reading = await readPage(await decodeImageBuffer(page.file, 'page'), model)
        expect(reading.lines.map((line) => line.digits.length)).toEqual([5])
      }
    } finally {
      model.dispose()
    }
  })
})
