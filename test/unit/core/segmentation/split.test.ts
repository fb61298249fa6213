import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../../src/core/backend'
import { loadModelFolder, type LoadedModel } from '../../../../src/core/models'
import { components } from '../../../../src/core/preprocess/components'
import type { GrayImage } from '../../../../src/core/preprocess/types'
import {
  groupParts,
  readCrops,
  readPad,
  segmentPad,
  type DigitCrop,
  type GroupOptions,
  type LabelImage
} from '../../../../src/core/segmentation'
import { RESOURCES_DIR } from '../../../support/paths'
import { zeroDetector } from '../../../support/zero-detector'
import { SHAPES, ellipse, place, rasterise, writeNumber, type StrokeList } from '../../../support/reading-ink'
import path from 'node:path'

/** A bright vertical bar on black, the crop of one narrow digit. */
function bar(width = 12, height = 30): GrayImage {
  const data = new Uint8Array(width * height)
  for (let y = 3; y < height - 3; y++) for (let x = 4; x < width - 4; x++) data[y * width + x] = 255
  return { width, height, data }
}

const box = { x: 0, y: 0, width: 24, height: 30 }
const crop = (neck: number): DigitCrop => ({
  box,
  image: bar(24),
  formOptions: { darkInk: false },
  pieces: [
    { box: { ...box, width: 12 }, image: bar(), formOptions: { darkInk: false } },
    { box: { ...box, x: 12, width: 12 }, image: bar(), formOptions: { darkInk: false } }
  ],
  neck
})

/** A classifier answering digit 1 with the given confidence per batch row (whole first, then its pieces). */
function sureOf(confidences: number[]) {
  return {
    async predict(_pixels: Float32Array, count: number) {
      const out = new Float32Array(count * 10)
      for (let i = 0; i < count; i++) {
        const p = confidences[i]
        out.fill((1 - p) / 9, i * 10, i * 10 + 10)
        out[i * 10 + 1] = p
      }
      return out
    }
  }
}

describe('touching digits: whole or pieces', () => {
  it('reads pieces met at a thin join when they are surer than the whole', async () => {
    const [line] = await readCrops([[crop(0.1)]], sureOf([0.8, 0.99, 0.99]))
    expect(line.text).toBe('11')
  })

  it('keeps one digit when the cut crosses thick ink, unless the pieces are far surer', async () => {
    // A flat 2 cut through its base and curl: the halves read surely, the whole fairly surely.
    const [kept] = await readCrops([[crop(0.5)]], sureOf([0.85, 0.99, 0.96]))
    expect(kept.text).toBe('1')
    // Two ovals touching along their sides: a long join, but the whole is no digit at all.
    const [split] = await readCrops([[crop(0.5)]], sureOf([0.1, 0.95, 0.95]))
    expect(split.text).toBe('11')
  })

  it('reads the pieces when the detector says the whole is no digit and each piece is one', async () => {
    // The whole reads surer than its pieces (a CNN often reads two touching digits as one, confidently)…
    const confidences = [0.97, 0.8, 0.8]
    const [withoutDetector] = await readCrops([[crop(0.3)]], sureOf(confidences))
    expect(withoutDetector.text).toBe('1')
    // …but its activations lie off every digit's span (a zero detector scores a non-zero vector 1, zero 0).
    const detector = zeroDetector(1)
    detector.info.threshold = 0.5
    const judged = (wholeOff: boolean, pieceOff: boolean) => ({
      ...sureOf(confidences),
      detector,
      async predictWithFeatures(pixels: Float32Array, count: number) {
        const probabilities = await sureOf(confidences).predict(pixels, count)
        const features = Float32Array.from({ length: count }, (_, i) =>
          (i === 0 ? wholeOff : pieceOff) ? 1 : 0
        )
        return { probabilities, features, featureSize: 1 }
      }
    })
    const [split] = await readCrops([[crop(0.3)]], judged(true, false))
    expect(split.text).toBe('11')
    // A piece that is no digit either, or a whole that is one: the confidences decide, as before.
    expect((await readCrops([[crop(0.3)]], judged(true, true)))[0].text).toBe('1')
    expect((await readCrops([[crop(0.3)]], judged(false, false)))[0].text).toBe('1')
  })

  it("splits a digit only somewhat wide for its line on the detector's word alone, never on confidences", async () => {
    const moderate = { ...crop(0.1), piecesIfNoDigit: true }
    // Pieces far surer than the whole: two touching digits by the confidences, but a wide 3 or 2 reads so too.
    expect((await readCrops([[moderate]], sureOf([0.6, 0.99, 0.99])))[0].text).toBe('1')
    const detector = zeroDetector(1)
    detector.info.threshold = 0.5
    const wholeOff = {
      ...sureOf([0.97, 0.9, 0.9]),
      detector,
      async predictWithFeatures(pixels: Float32Array, count: number) {
        const probabilities = await sureOf([0.97, 0.9, 0.9]).predict(pixels, count)
        return {
          probabilities,
          features: Float32Array.from({ length: count }, (_, i) => (i === 0 ? 1 : 0)),
          featureSize: 1
        }
      }
    }
    expect((await readCrops([[moderate]], wholeOff))[0].text).toBe('11')
  })

  it('keeps one digit when a piece is read unsurely (half a digit reads as some digit)', async () => {
    const [line] = await readCrops([[crop(0.1)]], sureOf([0.5, 0.95, 0.4]))
    expect(line.text).toBe('1')
  })
})

/** Label image and parts of an ink mask drawn by `draw` (page-style: parts are connected components). */
function page(
  width: number,
  height: number,
  draw: (set: (x: number, y: number) => void) => void,
  options: GroupOptions = {}
) {
  const mask = new Uint8Array(width * height)
  draw((x, y) => {
    mask[y * width + x] = 1
  })
  const { labels, list } = components(mask, width, height)
  const ink: LabelImage = { width, height, labels }
  return groupParts(list, ink, options)
}

describe('narrow touching digits on a page', () => {
  const rect = (set: (x: number, y: number) => void, x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) set(x, y)
  }

  it('offers "11" joined by a thin bridge as two digits, cut between the strokes', () => {
    const lines = page(200, 100, (set) => {
      rect(set, 40, 20, 46, 80)
      rect(set, 58, 20, 64, 80)
      rect(set, 46, 22, 58, 25) // the bridge: the second 1's flag touching the first
      rect(set, 120, 20, 150, 80) // a neighbour, so the line has a digit height
    })
    expect(lines).toHaveLength(1)
    const [ones] = lines[0]
    expect(ones.pieces).toHaveLength(2)
    const [a, b] = ones.pieces ?? []
    expect(a.box.x + a.box.width).toBeLessThanOrEqual(58)
    expect(b.box.x).toBeGreaterThanOrEqual(46)
    expect(ones.neck).toBeLessThan(0.1)
  })

  it("offers a digit somewhat wider than its line's digits as pieces for the detector, where asked", () => {
    const draw = (set: (x: number, y: number) => void) => {
      rect(set, 20, 20, 74, 80) // 54 wide where the line's digits are 60 tall: 0.9 of the height
      rect(set, 120, 20, 190, 80) // 70 wide: 1.17
      rect(set, 230, 20, 250, 80)
    }
    const [narrower, wider] = page(300, 100, draw, { maybeTouchingAspect: 1 })[0]
    expect(narrower.pieces).toBeUndefined()
    expect(wider.pieces).toHaveLength(2)
    expect(wider.piecesIfNoDigit).toBe(true)
    // Not by default (the pad, whose strokes say more): one wide digit, as before.
    expect(page(300, 100, draw)[0][1].pieces).toBeUndefined()
  })

  it('does not offer a 0, an open 4 or a 1 with a base as two digits', () => {
    const lines = page(400, 100, (set) => {
      // 0: a ring (columns inside cross it twice).
      rect(set, 20, 20, 50, 24)
      rect(set, 20, 76, 50, 80)
      rect(set, 20, 20, 24, 80)
      rect(set, 46, 20, 50, 80)
      // open 4: a short left stroke down to the bar, the bar, a full stem.
      rect(set, 120, 20, 124, 56)
      rect(set, 120, 52, 156, 56)
      rect(set, 146, 20, 150, 80)
      // 1 with a base.
      rect(set, 230, 20, 234, 80)
      rect(set, 218, 76, 246, 80)
    })
    expect(lines[0]).toHaveLength(3)
    for (const digit of lines[0]) expect(digit.pieces).toBeUndefined()
  })
})

describe('numbers on the pad, read by the shipped model', () => {
  let model: LoadedModel
  beforeAll(async () => {
    await selectBackend('auto')
    model = await loadModelFolder(path.join(RESOURCES_DIR, 'models', 'default'))
  })
  const read = async (strokes: StrokeList) =>
    (await readPad({ strokes, ink: rasterise(strokes, 900, 320, 10) }, model)).map((l) => l.text)

  it('reads two slanted 1s written close together (their strokes overlap side to side) as "11"', async () => {
    const slanted = (x: number): StrokeList => [
      [
        { x: x + 30, y: 60 },
        { x, y: 160 }
      ]
    ]
    for (const gap of [12, 18, 24])
      expect(await read([...slanted(100), ...slanted(100 + gap)])).toEqual(['11'])
  })

  it('keeps a multi-stroke 4, a crossed 7, a 5 and a 1 with a base as one digit each', async () => {
    for (const [name, digit] of [
      ['four', '4'],
      ['sevenCrossed', '7'],
      ['five', '5'],
      ['oneBase', '1']
    ])
      expect(await read(place(SHAPES[name], 100, 60)), name).toEqual([digit])
    expect(await read(writeNumber(['four', 'sevenCrossed', 'five', 'oneBase'], 60, 60, 25))).toEqual(['4751'])
    // A 0 in two strokes, each half of the oval (both span its height, they touch at the ends).
    const oval = ellipse(130, 110, 26, 45)
    expect(await read([oval.slice(0, 21), oval.slice(20)])).toEqual(['0'])
  })
})

describe('pieces of ink on the pad', () => {
  it('keeps a 2 whose hook was drawn as a short separate stroke on the line, in one digit', () => {
    // The hook lies above the body's band of rows: alone it would be a line of its own.
    const hook: StrokeList = [
      [
        { x: 208, y: 76 },
        { x: 222, y: 70 },
        { x: 236, y: 76 }
      ]
    ]
    const body: StrokeList = [
      [
        { x: 240, y: 95 },
        { x: 228, y: 130 },
        { x: 200, y: 175 },
        { x: 250, y: 175 }
      ]
    ]
    const strokes = [...writeNumber(['one', 'zero'], 40, 80, 30), ...hook, ...body]
    const lines = segmentPad({ strokes, ink: rasterise(strokes, 900, 320, 10) })
    expect(lines.map((l) => l.length)).toEqual([3])
    expect(lines[0][2].box.y).toBeLessThanOrEqual(70)
  })

  it('gives a digit all its ink when the pen was pressed wider than the strokes measure', () => {
    const one = place(SHAPES.one, 60, 60)
    const zero = place(SHAPES.zero, 200, 60)
    const thin = rasterise(one, 900, 320, 4)
    const wide = rasterise(zero, 900, 320, 40)
    const data = thin.data.map((v, p) => Math.max(v, wide.data[p]))
    const [line] = segmentPad({ strokes: [...one, ...zero], ink: { width: 900, height: 320, data } })
    expect(line).toHaveLength(2)
    // The wide zero's ink spans x 200 + 4 - 20 .. 200 + 56 + 20 and y 60 + 5 - 20 .. 60 + 95 + 20.
    const { box } = line[1]
    expect(box.x).toBeLessThanOrEqual(185)
    expect(box.x + box.width).toBeGreaterThanOrEqual(275)
    expect(box.y).toBeLessThanOrEqual(46)
    expect(box.y + box.height).toBeGreaterThanOrEqual(174)
  })

  it('keeps a 1 written close before a short, wide 2 as two digits (not pieces of one)', () => {
    const strokes: StrokeList = [
      [
        { x: 100, y: 20 },
        { x: 100, y: 120 }
      ],
      [
        { x: 118, y: 62 },
        { x: 150, y: 55 },
        { x: 190, y: 66 },
        { x: 180, y: 88 },
        { x: 125, y: 115 },
        { x: 205, y: 115 }
      ]
    ]
    const [line] = segmentPad({ strokes, ink: rasterise(strokes, 900, 320, 10) })
    expect(line).toHaveLength(2)
    expect(line[0].box.x + line[0].box.width).toBeLessThan(line[1].box.x)
  })
})
