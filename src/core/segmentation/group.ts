/**
 * From parts to digits, shared by the drawing pad (parts = strokes) and page reading (parts = connected
 * components of ink):
 *   1. parts whose vertical extents overlap form a line; lines are ordered top to bottom;
 *   2. in a line, parts whose horizontal extents overlap form one digit (a 4 or 5 in two strokes, a crossed 7,
 *      a 1 with a base, a digit broken by a removed ruled line), ordered left to right;
 *   3. a digit far wider than the line's digits are tall is touching digits: it is cut at the valleys of its
 *      ink's vertical projection, near where equal-width digits would meet; one somewhat wider than tall may be
 *      touching digits that overlap, cut the same way, its pieces read only on the detector's word (read.ts).
 * The ink is a label image: each pixel holds the id of the part it belongs to (0 = paper), so cuts and crops
 * see only their own digit's ink, never a neighbour's stroke that reaches into the box.
 */
import { bottom, median, overlap, right, unionBox, type Box } from './box'

export interface Part {
  /** Label of the part's pixels in the label image (≥ 1). */
  id: number
  box: Box
}

/** One digit found: its box, the parts it is made of and the columns [from, to) of their ink that are its own. */
export interface DigitSegment {
  box: Box
  parts: number[]
  from: number
  to: number
  /**
   * When the digit is one part far wider than its line's digits are tall: the touching digits it may be, cut
   * where the ink says. Whether it is one wide digit or these is left to recognition (read.ts).
   */
  pieces?: DigitSegment[]
  /**
   * With pieces: the digit is only somewhat wide for its line, as one wide digit often is; the pieces are read
   * only if the model's detector says the whole is no digit (read.ts).
   */
  piecesIfNoDigit?: boolean
  /**
   * With pieces: the most ink any cut between them crosses (or, for two strokes, where they touch), as a share
   * of the digit's height; 0 when the pieces' ink is apart.
   */
  neck?: number
}

export interface LabelImage {
  width: number
  height: number
  /** Part id per pixel, 0 = paper. */
  labels: Int32Array
}

export interface GroupOptions {
  /** Parts overlapping vertically by this share of the shorter one are on one line. */
  lineOverlap?: number
  /** Parts overlapping horizontally by this share of the narrower one are one digit. */
  digitOverlap?: number
  /** A digit wider than this many times the line's digit height holds touching digits. */
  touchingAspect?: number
  /**
   * A digit wider than this may hold touching digits that overlap (the detector decides: piecesIfNoDigit). Off
   * by default: on the pad two digits are rarely one stroke, and a wide digit was split more often than a pair
   * found (bench/pages: 0.1 point lost); pages, where touching digits are one component, set it.
   */
  maybeTouchingAspect?: number
  /** Width of one digit, as a share of the line's digit height, when touching digits are cut. */
  digitAspect?: number
}

const DEFAULTS: Required<GroupOptions> = {
  lineOverlap: 0.4,
  digitOverlap: 0.4,
  touchingAspect: 1.35,
  maybeTouchingAspect: Infinity,
  digitAspect: 0.72
}

/** Lines (top to bottom) of digits (left to right) made of the given parts. */
export function groupParts(
  parts: readonly Part[],
  ink: LabelImage,
  options: GroupOptions = {}
): DigitSegment[][] {
  const o = { ...DEFAULTS, ...options }
  const boxes = new Map(parts.map((p) => [p.id, p.box]))
  return groupLines(parts, o.lineOverlap).map((line) => {
    const overlapping = groupDigits(line, o.digitOverlap)
    const lineHeight = median(overlapping.map((d) => d.box.height))
    // Only a single wide part is touching digits: parts merged because they overlap or nearly touch are not,
    // unless they are two narrow digits side by side (splitNarrow).
    return mergeFragments(attachSmall(overlapping, lineHeight), lineHeight, ink).map((digit) => {
      const widest = Math.max(...digit.parts.map((id) => boxes.get(id)?.width ?? 0))
      const wide = widest > o.touchingAspect * lineHeight
      const split = wide
        ? splitTouching(digit, ink, lineHeight, o)
        : (splitParts(digit, boxes, ink) ?? splitNarrow(digit, ink, lineHeight))
      if (split && split.pieces.length > 1) return { ...digit, ...split }
      // A wide digit was cut above already; one only somewhat wide is cut here, for the detector to judge.
      const maybe =
        !wide && widest > o.maybeTouchingAspect * lineHeight ? splitTouching(digit, ink, lineHeight, o) : null
      return maybe && maybe.pieces.length > 1 ? { ...digit, ...maybe, piecesIfNoDigit: true } : digit
    })
  })
}

/** Union-find over vertical overlap; lines sorted by their top. */
function groupLines(parts: readonly Part[], minOverlap: number): Part[][] {
  const parent = parts.map((_, i) => i)
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]]
    return i
  }
  const order = parts.map((_, i) => i).sort((a, b) => parts[a].box.y - parts[b].box.y)
  for (let k = 0; k < order.length; k++) {
    const a = parts[order[k]].box
    for (let m = k + 1; m < order.length; m++) {
      const b = parts[order[m]].box
      if (b.y >= bottom(a)) break
      const shared = overlap(a.y, bottom(a), b.y, bottom(b))
      if (shared >= minOverlap * Math.min(a.height, b.height)) parent[find(order[k])] = find(order[m])
    }
  }
  const lines = new Map<number, Part[]>()
  for (let i = 0; i < parts.length; i++) {
    const root = find(i)
    const line = lines.get(root)
    if (line) line.push(parts[i])
    else lines.set(root, [parts[i]])
  }
  const top = (line: Part[]) => Math.min(...line.map((p) => p.box.y))
  return joinSmallLines([...lines.values()]).sort((a, b) => top(a) - top(b))
}

/** A "line" whose parts are all shorter than this share of an overlapping line's tallest part is a piece of it. */
const SMALL_LINE = 0.5

/**
 * Bits of ink that line up with no digit on their own (the hook of a 2 written as a separate stroke, the top of
 * a 5) join the line whose band of rows they lie in; they become part of a digit there (groupDigits,
 * attachSmall) instead of a line of their own.
 */
function joinSmallLines(lines: Part[][]): Part[][] {
  const extent = (line: Part[]) => ({
    top: Math.min(...line.map((p) => p.box.y)),
    end: Math.max(...line.map((p) => bottom(p.box))),
    tallest: Math.max(...line.map((p) => p.box.height))
  })
  const bands = lines.map(extent)
  const kept = lines.map(() => true)
  lines.forEach((line, i) => {
    let target = -1
    let most = 0
    bands.forEach((band, j) => {
      if (j === i || !kept[j] || bands[i].tallest >= SMALL_LINE * band.tallest) return
      const shared = overlap(bands[i].top, bands[i].end, band.top, band.end)
      if (shared > most) [target, most] = [j, shared]
    })
    if (target < 0) return
    lines[target].push(...line)
    kept[i] = false
  })
  return lines.filter((_, i) => kept[i])
}

/** Parts of one line merged into digits by horizontal overlap, left to right. */
function groupDigits(line: Part[], minOverlap: number): DigitSegment[] {
  const sorted = [...line].sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y)
  const digits: DigitSegment[] = []
  for (const part of sorted) {
    // The part may overlap an earlier digit rather than the last one (a crossbar drawn under a wide neighbour).
    let target: DigitSegment | null = null
    for (let i = digits.length - 1; i >= 0 && i >= digits.length - 3; i--) {
      const d = digits[i].box
      const p = part.box
      const shared = overlap(d.x, right(d), p.x, right(p))
      if (shared >= minOverlap * Math.min(d.width, p.width)) {
        target = digits[i]
        break
      }
    }
    if (target) {
      target.box = unionBox(target.box, part.box)
      target.parts.push(part.id)
      target.from = target.box.x
      target.to = right(target.box)
    } else {
      digits.push({ box: { ...part.box }, parts: [part.id], from: part.box.x, to: right(part.box) })
    }
  }
  return digits.sort((a, b) => a.box.x - b.box.x)
}

/** A piece whose longer side is under this share of the line's digit height is a dot or a tick, not a digit. */
const SMALL_SHARE = 0.3
/** A dot joins the nearer neighbour when it is at most this share of the line's digit height away. */
const SMALL_REACH = 0.35

/** Dots and ticks (a short extra stroke, a bit of broken ink) join the nearer neighbouring digit if it is close. */
function attachSmall(digits: DigitSegment[], lineHeight: number): DigitSegment[] {
  const out = [...digits]
  const small = (d: DigitSegment) => Math.max(d.box.width, d.box.height) < SMALL_SHARE * lineHeight
  for (let i = 0; i < out.length; i++) {
    const dot = out[i]
    if (!small(dot)) continue
    const gap = (other: DigitSegment | undefined) =>
      other === undefined || small(other)
        ? Infinity
        : Math.max(other.box.x - right(dot.box), dot.box.x - right(other.box), 0)
    const before = gap(out[i - 1])
    const after = gap(out[i + 1])
    if (Math.min(before, after) > SMALL_REACH * lineHeight) continue
    const target = before <= after ? out[i - 1] : out[i + 1]
    target.box = unionBox(target.box, dot.box)
    target.parts.push(...dot.parts)
    target.from = target.box.x
    target.to = right(target.box)
    out.splice(i--, 1)
  }
  return out
}

/** Gap, as a share of the line's digit height, up to which a short piece and its neighbour are one digit. */
const FRAGMENT_GAP = 0.12
/** A piece shorter than this share of the line's digit height may be a fragment of its neighbour. */
const FRAGMENT_HEIGHT = 0.8
/** Merged, they must not be wider than this share of the line's digit height. */
const FRAGMENT_WIDTH = 1.1

/**
 * Digits whose ink broke into side-by-side pieces (a 6 as "(" and "o", a 9 as "o" and "|", a 0 as "(" and ")"):
 * two neighbours that nearly touch, together no wider than a digit, one of them clearly shorter than the line's
 * digits or the two closing a loop together.
 */
function mergeFragments(digits: DigitSegment[], lineHeight: number, ink: LabelImage): DigitSegment[] {
  const out: DigitSegment[] = []
  const loop = (d: DigitSegment, box = d.box, parts = d.parts) => enclosesPaper(ink, ownedBy(parts), box)
  for (const digit of digits) {
    const previous = out[out.length - 1]
    const near =
      previous !== undefined &&
      digit.box.x - right(previous.box) <= FRAGMENT_GAP * lineHeight &&
      Math.max(right(previous.box), right(digit.box)) - previous.box.x <= FRAGMENT_WIDTH * lineHeight
    if (
      near &&
      (Math.min(previous.box.height, digit.box.height) < FRAGMENT_HEIGHT * lineHeight ||
        // Two halves that close a loop neither closes alone (a 0 written as "(" and ")").
        (loop(previous, unionBox(previous.box, digit.box), [...previous.parts, ...digit.parts]) &&
          !loop(previous) &&
          !loop(digit)))
    ) {
      previous.box = unionBox(previous.box, digit.box)
      previous.parts.push(...digit.parts)
      previous.from = previous.box.x
      previous.to = right(previous.box)
    } else out.push(digit)
  }
  return out
}

/** Ink per column of a digit's own parts: pixel count and separate runs (strokes the column crosses). */
interface Projection {
  ink: Float64Array
  runs: Float64Array
  /** First and last row with ink of the columns [from, to). */
  extent(from: number, to: number): [number, number]
}

function project(digit: DigitSegment, ink: LabelImage): Projection {
  const own = ownedBy(digit.parts)
  const { x, y: top, width } = digit.box
  const end = bottom(digit.box)
  const inkCount = new Float64Array(width)
  const runs = new Float64Array(width)
  const first = new Int32Array(width).fill(end)
  const last = new Int32Array(width).fill(-1)
  for (let c = 0; c < width; c++) {
    let inside = false
    for (let y = top; y < end; y++) {
      const on = own(ink.labels[y * ink.width + x + c])
      if (on) {
        inkCount[c]++
        if (y < first[c]) first[c] = y
        last[c] = y
      }
      if (on && !inside) runs[c]++
      inside = on
    }
  }
  return {
    ink: inkCount,
    runs,
    extent(from, to) {
      let a = end
      let b = -1
      for (let c = from; c < to; c++) {
        a = Math.min(a, first[c])
        b = Math.max(b, last[c])
      }
      return [a, b]
    }
  }
}

/** The digit cut at the given columns (relative to its box) into pieces, with the thickest ink a cut crosses. */
function cutAt(
  digit: DigitSegment,
  ink: LabelImage,
  projection: Projection,
  cuts: number[]
): { pieces: DigitSegment[]; neck: number } {
  const own = ownedBy(digit.parts)
  const { x, width, height } = digit.box
  const edges = [0, ...cuts, width]
  const pieces: DigitSegment[] = []
  for (let i = 0; i + 1 < edges.length; i++) {
    const box = inkBox(ink, own, x + edges[i], x + edges[i + 1], digit.box.y, bottom(digit.box))
    if (box) pieces.push({ box, parts: digit.parts, from: x + edges[i], to: x + edges[i + 1] })
  }
  return { pieces, neck: Math.max(...cuts.map((c) => projection.ink[c])) / height }
}

/** Cuts a digit that is too wide for its line into touching digits at the valleys of its ink's projection. */
function splitTouching(
  digit: DigitSegment,
  ink: LabelImage,
  lineHeight: number,
  o: Required<GroupOptions>
): { pieces: DigitSegment[]; neck: number } {
  const height = Math.max(lineHeight, digit.box.height)
  const count = Math.max(2, Math.round(digit.box.width / (o.digitAspect * height)))
  const { width } = digit.box
  // Per column: ink pixels and separate runs of ink. Touching digits meet where a column crosses the ink once
  // (two ovals touch side to side: one run, though a long one); inside a digit a column crosses two or three
  // strokes.
  const projection = project(digit, ink)
  const { ink: inkCount, runs } = projection
  // Each cut: the best column within ±30% of a digit's width of where equal digits would meet; a mild pull
  // towards that place breaks ties.
  const step = width / count
  const cuts: number[] = []
  for (let i = 1; i < count; i++) {
    const expected = i * step
    let best = Math.round(expected)
    let bestScore = Infinity
    const last = Math.min(width - 2, expected + 0.3 * step)
    for (let c = Math.max(1, Math.round(expected - 0.3 * step)); c <= last; c++) {
      const score = runs[c] + (0.5 * inkCount[c]) / height + (0.5 * Math.abs(c - expected)) / step
      if (score < bestScore) {
        bestScore = score
        best = c
      }
    }
    cuts.push(best)
  }
  return cutAt(digit, ink, projection, cuts)
}

/** A join between two narrow digits crosses at most this share of the digit's height of ink… */
const NARROW_NECK = 0.15
/** …and the ink on each side of it spans at least this share of the digit's height (two full strokes). */
const NARROW_SPAN = 0.85
/** Narrow touching digits are looked for in digits at least this wide, as a share of the line's digit height. */
const NARROW_MIN_WIDTH = 0.35

/**
 * Two strokes (or components) that each span the digit's height, merged because they overlap side to side: two
 * narrow digits written close ("11", "17" slanted), or one digit in two tall strokes (a 0 as "(" and ")").
 * Each part becomes a piece, and recognition decides (read.ts).
 */
function splitParts(
  digit: DigitSegment,
  boxes: ReadonlyMap<number, Box>,
  ink: LabelImage
): { pieces: DigitSegment[]; neck: number } | null {
  if (digit.parts.length !== 2) return null
  const own = digit.parts.map((id) => boxes.get(id))
  if (own.some((b) => b === undefined || b.height < NARROW_SPAN * digit.box.height)) return null
  // Two strokes that close a loop between them are one digit (a 0 as "(" and ")"), not two side by side.
  if (enclosesPaper(ink, ownedBy(digit.parts), digit.box)) return null
  const pieces = (own as Box[])
    .map((box, i) => ({ box: { ...box }, parts: [digit.parts[i]], from: box.x, to: right(box) }))
    .sort((a, b) => a.box.x + a.box.width / 2 - (b.box.x + b.box.width / 2))
  return { pieces, neck: touch(ink, digit.parts[0], digit.parts[1], digit.box) ? STROKES_NECK : 0 }
}

/**
 * The neck of two strokes whose ink touches: the strokes themselves say where the digits part, so it counts as
 * a thin join (two 1s written close touch all along; a 0 in two strokes touches at its ends).
 */
const STROKES_NECK = 0.1

/** Paper enclosed by ink, as a share of the box's area, from which on the ink closes a loop. */
const LOOP_SHARE = 0.04

/** Whether the parts' ink encloses paper within `box` (paper there that the box's edge cannot reach). */
function enclosesPaper(ink: LabelImage, own: (label: number) => boolean, box: Box): boolean {
  const { x: x0, y: y0, width, height } = box
  const reached = new Uint8Array(width * height)
  const queue = new Int32Array(width * height)
  let tail = 0
  const paper = (i: number) => !own(ink.labels[(y0 + Math.floor(i / width)) * ink.width + x0 + (i % width)])
  let total = 0
  for (let i = 0; i < width * height; i++) {
    if (!paper(i)) continue
    total++
    const x = i % width
    const y = (i - x) / width
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) {
      reached[i] = 1
      queue[tail++] = i
    }
  }
  let outside = tail
  for (let head = 0; head < tail; head++) {
    const i = queue[head]
    const x = i % width
    for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
      if (j < 0 || j >= width * height || reached[j] || !paper(j)) continue
      reached[j] = 1
      queue[tail++] = j
      outside++
    }
  }
  return total - outside >= LOOP_SHARE * width * height
}

/** Whether a pixel of part `a` touches (8-connected) a pixel of part `b` within `box`. */
function touch(ink: LabelImage, a: number, b: number, box: Box): boolean {
  for (let y = Math.max(1, box.y); y < Math.min(ink.height - 1, bottom(box)); y++) {
    for (let x = Math.max(1, box.x); x < Math.min(ink.width - 1, right(box)); x++) {
      const p = y * ink.width + x
      if (ink.labels[p] !== a) continue
      const near =
        ink.labels[p - 1] === b ||
        ink.labels[p + 1] === b ||
        ink.labels[p - ink.width] === b ||
        ink.labels[p + ink.width] === b ||
        ink.labels[p - ink.width - 1] === b ||
        ink.labels[p - ink.width + 1] === b ||
        ink.labels[p + ink.width - 1] === b ||
        ink.labels[p + ink.width + 1] === b
      if (near) return true
    }
  }
  return false
}

/**
 * Narrow digits that touch ("11", "17", "71"): a digit no wider than one digit, but whose ink is two strokes
 * each spanning its height, joined (or nearly) by a thin bit of ink that a column crosses once. Such a digit
 * may be those two (recognition decides, read.ts); a 4 or a 1 with a base, whose parts do not both span the
 * height, is not.
 */
function splitNarrow(
  digit: DigitSegment,
  ink: LabelImage,
  lineHeight: number
): { pieces: DigitSegment[]; neck: number } | null {
  const { width, height } = digit.box
  if (width < NARROW_MIN_WIDTH * lineHeight || width < 4) return null
  const projection = project(digit, ink)
  let best = -1
  for (let c = Math.round(0.2 * width); c <= Math.round(0.8 * width) && c < width - 1; c++) {
    if (projection.runs[c] > 1 || projection.ink[c] > NARROW_NECK * height) continue
    if (best < 0 || projection.ink[c] < projection.ink[best]) best = c
  }
  if (best < 1) return null
  const [leftTop, leftBottom] = projection.extent(0, best)
  const [rightTop, rightBottom] = projection.extent(best + 1, width)
  if (leftBottom - leftTop + 1 < NARROW_SPAN * height || rightBottom - rightTop + 1 < NARROW_SPAN * height)
    return null
  return cutAt(digit, ink, projection, [best])
}

/** Whether a label is one of `parts` (a digit has one to a few: a comparison beats a set lookup per pixel). */
export function ownedBy(parts: readonly number[]): (label: number) => boolean {
  if (parts.length === 1) {
    const [id] = parts
    return (label) => label === id
  }
  const list = [...parts]
  return (label) => label !== 0 && list.includes(label)
}

/** Bounding box of the pixels of the given parts within columns [from, to) and rows [top, end). */
export function inkBox(
  ink: LabelImage,
  own: (label: number) => boolean,
  from: number,
  to: number,
  top: number,
  end: number
): Box | null {
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -1
  let y1 = -1
  for (let y = top; y < end; y++) {
    const row = y * ink.width
    for (let x = from; x < to; x++) {
      if (!own(ink.labels[row + x])) continue
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }
}

/**
 * The digit alone as an image in MNIST's polarity (ink bright on 0): `level` gives each pixel's ink strength
 * 0..255; only the digit's own parts (and the soft edge pixels touching them) within its columns are kept.
 * `margin` pixels of paper surround it.
 */
export function digitImage(
  digit: DigitSegment,
  ink: LabelImage,
  level: Uint8Array,
  margin = 2
): { width: number; height: number; data: Uint8Array } {
  const own = ownedBy(digit.parts)
  const { box } = digit
  const width = box.width + 2 * margin
  const height = box.height + 2 * margin
  const data = new Uint8Array(width * height)
  const x0 = box.x - margin
  const y0 = box.y - margin
  const mine = (x: number, y: number) =>
    x >= digit.from && x < digit.to && y >= 0 && y < ink.height && own(ink.labels[y * ink.width + x])
  for (let y = Math.max(0, y0); y < Math.min(ink.height, y0 + height); y++) {
    for (let x = Math.max(0, x0, digit.from - 1); x < Math.min(ink.width, x0 + width, digit.to + 1); x++) {
      const p = y * ink.width + x
      if (level[p] === 0) continue
      const label = ink.labels[p]
      const keep =
        label !== 0 ? mine(x, y) : mine(x - 1, y) || mine(x + 1, y) || mine(x, y - 1) || mine(x, y + 1)
      if (keep) data[(y - y0) * width + x - x0] = level[p]
    }
  }
  return { width, height, data }
}
