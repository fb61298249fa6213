import { describe, expect, it } from 'vitest'
import { zeroDetector } from '../../../support/zero-detector'
import { padWindow, readPad, segmentPad } from '../../../../src/core/segmentation'
import { toMnistForm } from '../../../../src/core/preprocess/mnist-form'
import { SHAPES, ellipse, place, rasterise, writeNumber, type StrokeList } from '../../../support/reading-ink'

const W = 900
const H = 320

function pad(strokes: StrokeList) {
  return { strokes, ink: rasterise(strokes, W, H, 10) }
}

/** A classifier that records each call's batch size and answers, for each row, digitOf(its pixels, its index). */
function counting(calls: number[], digitOf: (row: Float32Array, i: number) => number) {
  return {
    async predict(pixels: Float32Array, count: number) {
      calls.push(count)
      const out = new Float32Array(count * 10)
      for (let i = 0; i < count; i++) out[i * 10 + digitOf(pixels.subarray(i * 784, i * 784 + 784), i)] = 1
      return out
    }
  }
}

/** Which strokes (by index) each digit of each line took, from the label of its ink. */
function digitCounts(strokes: StrokeList): number[] {
  return segmentPad(pad(strokes)).map((line) => line.length)
}

describe('numbers on the pad', () => {
  it('keeps a digit written in two strokes as one digit: a 4, a crossed 7, a 5, a 1 with a base', () => {
    for (const name of ['four', 'sevenCrossed', 'five', 'oneBase']) {
      expect(digitCounts(place(SHAPES[name], 100, 60)), name).toEqual([1])
    }
    expect(digitCounts(writeNumber(['four', 'sevenCrossed', 'five', 'oneBase'], 60, 60, 25))).toEqual([4])
  })

  it('gives one digit back as the whole pad image, preprocessed exactly as before', () => {
    const input = pad(place(SHAPES.two, 300, 80))
    const lines = segmentPad(input)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toHaveLength(1)
    // The square window the one-digit pad was, around the digit.
    expect(lines[0][0].image).toEqual(padWindow(input.ink, lines[0][0].box))
    expect(lines[0][0].image.width).toBe(H)
    expect(lines[0][0].formOptions).toBeUndefined()
    expect(lines[0][0].box.x).toBeGreaterThanOrEqual(300 - 6)
    expect(lines[0][0].box.x).toBeLessThanOrEqual(308 + 6)
  })

  it('separates a 1 written close beside a 7', () => {
    const strokes = [...place(SHAPES.one, 100, 60), ...place(SHAPES.seven, 100 + 40, 60)]
    const [line] = segmentPad(pad(strokes))
    expect(line).toHaveLength(2)
    expect(line[0].box.x + line[0].box.width).toBeLessThanOrEqual(line[1].box.x + 4)
  })

  it('reads digits in order across wide gaps, and a second line below the first', () => {
    expect(digitCounts(writeNumber(['two', 'zero', 'two', 'six'], 20, 60, 170))).toEqual([4])
    const two = [
      ...writeNumber(['one', 'two'], 40, 10, 30),
      ...writeNumber(['seven', 'zero', 'four'], 60, 200, 30).map((s) =>
        s.map((p) => ({ x: p.x, y: p.y * 1 }))
      )
    ]
    const lines = segmentPad({ strokes: two, ink: rasterise(two, W, 330, 10) })
    expect(lines.map((l) => l.length)).toEqual([2, 3])
    expect(lines[0][0].box.y).toBeLessThan(lines[1][0].box.y)
    for (const line of lines)
      for (let i = 1; i < line.length; i++) expect(line[i].box.x).toBeGreaterThan(line[i - 1].box.x)
  })

  it('cuts touching digits written in one stroke where the ink is thinnest', () => {
    // "00" in a single stroke: two ovals touching side to side, the pen going from one to the other there.
    const left = ellipse(123, 110, 33, 45, 0.25)
    const right = ellipse(189, 110, 33, 45, 0.75)
    const meet = 156 // where the ovals touch
    const [line] = segmentPad(pad([[...left, ...right]]))
    expect(line).toHaveLength(1)
    const pieces = line[0].pieces ?? []
    expect(pieces).toHaveLength(2)
    expect(pieces[0].box.x + pieces[0].box.width).toBeGreaterThan(meet - 12)
    expect(pieces[0].box.x + pieces[0].box.width).toBeLessThan(meet + 12)
    expect(pieces[1].box.x).toBeGreaterThan(meet - 12)
  })

  it('reads touching digits as their pieces when those are recognised more surely than the whole', async () => {
    const left = ellipse(123, 110, 33, 45, 0.25)
    const right = ellipse(189, 110, 33, 45, 0.75)
    const input = pad([[...left, ...right]])
    // A classifier sure of narrow images (the pieces) and unsure of wide ones (the whole).
    const classifier = {
      async predict(pixels: Float32Array, count: number) {
        const out = new Float32Array(count * 10)
        for (let i = 0; i < count; i++) {
          let columns = 0
          for (let x = 0; x < 28; x++) {
            let ink = 0
            for (let y = 0; y < 28; y++) ink += pixels[i * 784 + y * 28 + x]
            if (ink > 0.5) columns++
          }
          out.fill(columns < 16 ? 0.01 : 0.1, i * 10, i * 10 + 10)
          out[i * 10] = columns < 16 ? 0.91 : 0.1
        }
        return out
      }
    }
    const [line] = await readPad(input, classifier)
    expect(line.text).toBe('00')
    expect(line.digits[0].box.x).toBeLessThan(line.digits[1].box.x)
  })

  it('reads every digit in one classifier call, in reading order', async () => {
    const strokes = writeNumber(['two', 'zero', 'two', 'six'], 40, 60, 30)
    const calls: number[] = []
    // Answers digit = position in the batch, so the text shows the order the crops were sent in.
    const classifier = counting(calls, (_row, i) => i % 10)
    const lines = await readPad(pad(strokes), classifier)
    expect(calls).toEqual([4])
    expect(lines.map((l) => l.text)).toEqual(['0123'])
    const boxes = lines[0].digits.map((d) => d.box.x)
    expect([...boxes].sort((a, b) => a - b)).toEqual(boxes)
    // Every crop is a digit the preprocessing accepts.
    for (const crop of segmentPad(pad(strokes))[0])
      expect(toMnistForm(crop.image, crop.formOptions).kind).toBe('digit')
  })

  it('re-reads only the digits a new stroke changed, and gives the same reading', async () => {
    const strokes = writeNumber(['two', 'zero', 'two', 'six'], 40, 60, 30)
    const calls: number[] = []
    // Digit = a function of the pixels, so a digit read again must come back the same.
    const classifier = counting(calls, (row) => Math.round(row.reduce((sum, v) => sum + v, 0)) % 10)
    const three = strokes.slice(0, -1)
    const first = await readPad(pad(three), classifier)
    expect(calls).toEqual([3])
    expect(await readPad(pad(three), classifier)).toEqual(first)
    expect(calls).toEqual([3])
    // The fourth digit's stroke: only it is read.
    const four = await readPad(pad(strokes), classifier)
    expect(calls).toEqual([3, 1])
    expect(four[0].text.slice(0, 3)).toBe(first[0].text)
    // The same pad for a fresh classifier (another model) is read afresh, to the same text.
    calls.length = 0
    const again = await readPad(pad(strokes), { predict: classifier.predict })
    expect(calls).toEqual([4])
    expect(again).toEqual(four)
  })

  it('flags a remembered digit with the detector features it was read with', async () => {
    const strokes = writeNumber(['two', 'zero'], 40, 60, 30)
    const calls: string[] = []
    const plain = counting([], () => 3)
    const classifier = {
      predict: async (pixels: Float32Array, count: number) => {
        calls.push(`predict ${count}`)
        return plain.predict(pixels, count)
      },
      async predictWithFeatures(pixels: Float32Array, count: number) {
        calls.push(`features ${count}`)
        const features = Float32Array.from({ length: count * 2 }, (_, i) => i + 1)
        return { probabilities: await plain.predict(pixels, count), features, featureSize: 2 }
      },
      detector: zeroDetector(2)
    }
    const seen: (number[] | undefined)[] = []
    const assess = (_p: ArrayLike<number>, _x: Float32Array, features?: ArrayLike<number>) => {
      seen.push(features ? Array.from(features) : undefined)
      return { flag: 'sure' as const, confidence: 1 }
    }
    // Read first without flags (no features asked for), then with them: the features are computed then…
    await readPad(pad(strokes), classifier)
    await readPad(pad(strokes), classifier, assess)
    // …and remembered with the reading.
    await readPad(pad(strokes), classifier, assess)
    expect(calls).toEqual(['predict 2', 'features 2'])
    expect(seen).toEqual([
      [1, 2],
      [3, 4],
      [1, 2],
      [3, 4]
    ])
  })

  it("cuts a crop of the latest frame only: an earlier frame's crop says so rather than cut other ink", () => {
    const earlier = segmentPad(pad(writeNumber(['two', 'zero'], 40, 60, 30)))
    const latest = segmentPad(pad(writeNumber(['one', 'six'], 40, 60, 30)))
    expect(() => earlier[0][1].image).toThrow(/segmented again/)
    // The latest frame's crops hold their own digit's ink.
    const six = latest[0][1].image
    expect(six.data.some((v) => v > 0)).toBe(true)
    expect(toMnistForm(six).kind).toBe('digit')
  })

  it('reads nothing from an empty pad', () => {
    expect(segmentPad({ strokes: [], ink: { width: 40, height: 20, data: new Uint8Array(800) } })).toEqual([])
  })
})
