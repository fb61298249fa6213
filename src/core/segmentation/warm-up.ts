/**
 * Reading, warmed up before the user's first stroke. The first time anything runs it is slow: the JavaScript
 * engine has not yet compiled segmentation and preprocessing (a six-digit pad's first frames took ~30 ms
 * instead of ~4), and the backend prepares the model's kernels for each batch size the first time it sees it
 * (the CNN's first call ~23 ms, each new batch size ~2 ms more). A number drawn here, with the shapes that take
 * every path (a two-stroke 4, touching 0s that may be split, a close "11"), is read stroke by stroke, and
 * every batch size a pad frame uses is run once.
 */
import type { Classifier } from '../import/classifier'
import { classify } from '../import/classifier'
import { drawPolyline, type PenPoint } from '../preprocess/pen'
import { readPad } from './pad'
import type { DigitAssessor } from './read'

/** The pad's image for reading (the renderer's SEND_WIDTH × SEND_SIZE) and its pen's half width there. */
const WIDTH = 420
const HEIGHT = 140
const PEN = 4.5
/** A pad frame reads at most about this many crops at once (six digits and a split's pieces). */
const LARGEST_BATCH = 8
/** Times the number is written. */
const PASSES = 6

function oval(cx: number, cy: number, rx: number, ry: number): PenPoint[] {
  return Array.from({ length: 33 }, (_, i) => {
    const a = (i / 32) * 2 * Math.PI
    return { x: cx + rx * Math.sin(a), y: cy - ry * Math.cos(a) }
  })
}

/** "1", "4" in two strokes, "0", two touching 0s in one stroke, a slanted "11" written close. */
export function warmUpStrokes(): PenPoint[][] {
  return [
    [
      { x: 28, y: 32 },
      { x: 44, y: 22 },
      { x: 44, y: 116 }
    ],
    [
      { x: 98, y: 22 },
      { x: 74, y: 86 },
      { x: 126, y: 86 }
    ],
    [
      { x: 112, y: 46 },
      { x: 112, y: 118 }
    ],
    oval(166, 70, 22, 46),
    [...oval(228, 70, 34, 46), ...oval(294, 70, 34, 46)],
    [
      { x: 358, y: 24 },
      { x: 346, y: 116 }
    ],
    [
      { x: 370, y: 24 },
      { x: 358, y: 116 }
    ]
  ]
}

/** Reads a drawn number stroke by stroke and runs every pad batch size once; resolves when done. */
export async function warmUpReading(
  classifier: Pick<Classifier, 'predict' | 'predictWithFeatures' | 'detector'>,
  assess?: DigitAssessor
): Promise<void> {
  for (let count = 1; count <= LARGEST_BATCH; count++) {
    await classify(classifier, new Float32Array(count * 784), count, assess !== undefined)
  }
  // A few times, moved and with another pen each time: new crops to read, and enough runs for the engine's
  // optimising compiler to take over (one pass left the first real numbers' frames ~2× slower).
  for (let pass = 0; pass < PASSES; pass++) {
    const strokes = warmUpStrokes().map((stroke) =>
      stroke.map((p) => ({ x: p.x + 3 * pass, y: p.y + ((2 * pass) % 7) - 3 }))
    )
    const ink = { width: WIDTH, height: HEIGHT, data: new Uint8Array(WIDTH * HEIGHT) }
    for (let s = 0; s < strokes.length; s++) {
      drawPolyline(ink, strokes[s], PEN + (pass % 3) - 1)
      await readPad({ strokes: strokes.slice(0, s + 1), ink }, classifier, assess)
    }
  }
}
