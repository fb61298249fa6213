import { describe, expect, it } from 'vitest'
import { zeroDetector } from '../../../support/zero-detector'
import { drawPolyline } from '../../../../src/core/preprocess/pen'
import { segmentPad, warmUpReading } from '../../../../src/core/segmentation'
import { warmUpStrokes } from '../../../../src/core/segmentation/warm-up'

describe('warming up the reading', () => {
  it('draws a number that takes every segmentation path: several strokes, touching digits, a close pair', () => {
    const strokes = warmUpStrokes()
    const ink = { width: 420, height: 140, data: new Uint8Array(420 * 140) }
    for (const stroke of strokes) drawPolyline(ink, stroke, 4.5)
    const [line, ...others] = segmentPad({ strokes, ink })
    expect(others).toEqual([])
    // 1, 4 (two strokes, one digit), 0, the touching 0s and the "11", each of the last two with its pieces.
    expect(line).toHaveLength(5)
    const split = line.filter((crop) => crop.pieces?.length === 2)
    expect(split).toHaveLength(2)
    expect(split.map((crop) => (crop.neck ?? 0) > 0)).toEqual([true, false])
  })

  it('runs every batch size a pad frame uses and reads each frame, with the features when flags are asked for', async () => {
    const calls: string[] = []
    const answer = (count: number) =>
      Float32Array.from({ length: count * 10 }, (_, i) => (i % 10 === 3 ? 1 : 0))
    const classifier = {
      predict: async (_pixels: Float32Array, count: number) => {
        calls.push(`predict ${count}`)
        return answer(count)
      },
      predictWithFeatures: async (_pixels: Float32Array, count: number) => {
        calls.push(`features ${count}`)
        return { probabilities: answer(count), features: new Float32Array(count), featureSize: 1 }
      },
      detector: zeroDetector(1)
    }
    let assessed = 0
    await warmUpReading(classifier, () => {
      assessed++
      return { flag: 'sure', confidence: 1 }
    })
    for (let n = 1; n <= 8; n++) expect(calls).toContain(`features ${n}`)
    expect(calls.some((call) => call.startsWith('predict'))).toBe(false)
    // Seven strokes, each frame read (digits it did not change are remembered, not read again).
    expect(calls.length).toBeGreaterThan(8 + 1)
    expect(assessed).toBeGreaterThanOrEqual(5)
  })
})
