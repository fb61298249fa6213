/**
 * Printed lines are not digits. Two kinds are taken out of the (level) ink mask before digits are looked for:
 *   - ruled lines and margins: straight runs of ink far longer than any digit (an eighth of the page);
 *   - form boxes (one per digit, or a comb of boxes sharing their sides): components whose four sides are
 *     straight, thin and almost fully inked; their sides and the dividers spanning them are taken out.
 * Where a handwritten stroke crosses a removed line, the pixels of the line between the stroke's two sides are
 * put back, so a digit written across a rule stays in one piece.
 */
import type { Box } from '../segmentation'
import { components } from './components'

/** Gaps up to this many pixels do not break a printed line (JPEG, a light print). */
const GAP = 2
/** A printed line longer than this share of the page's longer side is a rule. */
const RULE_SHARE = 1 / 8
/** A side of a box is inked along at least this share of its length. */
const SIDE_COVERAGE = 0.8
/** Lines thicker than this many pixels are never put back (they are not printed rules). */
const MAX_LINE_THICKNESS = 8

export interface PrintedLines {
  /** Pixels taken out of the mask. */
  removed: number
  /** The boxes found (in the level page's pixels). */
  boxes: Box[]
}

/**
 * Removes printed rules and form boxes from `mask` in place. `solid` (default: `mask`) is the ink that counts
 * when deciding whether a stroke crosses a line (a fainter mask finds broken rules but holds noise too).
 */
export function removePrintedLines(
  mask: Uint8Array,
  width: number,
  height: number,
  solid: Uint8Array = mask
): PrintedLines {
  const whole: Box = { x: 0, y: 0, width, height }
  const rule = Math.max(40, Math.round(RULE_SHARE * Math.max(width, height)))
  let removed = removeRuns(mask, solid, width, height, whole, rule, rule, () => true)

  const { labels, list } = components(mask, width, height)
  const boxes: Box[] = []
  for (const c of list) {
    const { box } = c
    if (box.width < 12 || box.height < 12 || !isFrame(labels, width, c.id, box)) continue
    boxes.push(box)
    const own = (p: number) => labels[p] === c.id
    removed += removeRuns(
      mask,
      solid,
      width,
      height,
      box,
      Math.round(0.8 * box.width),
      Math.round(0.8 * box.height),
      own
    )
  }
  return { removed, boxes }
}

/** Whether all four sides of the component's box are inked along SIDE_COVERAGE of their length. */
function isFrame(labels: Int32Array, width: number, id: number, box: Box): boolean {
  const band = Math.max(2, Math.round(0.08 * Math.min(box.width, box.height)))
  const rowCover = (y: number) => {
    let n = 0
    for (let x = box.x; x < box.x + box.width; x++) if (labels[y * width + x] === id) n++
    return n / box.width
  }
  const columnCover = (x: number) => {
    let n = 0
    for (let y = box.y; y < box.y + box.height; y++) if (labels[y * width + x] === id) n++
    return n / box.height
  }
  const best = (from: number, step: number, cover: (i: number) => number) => {
    let most = 0
    for (let i = 0; i < band; i++) most = Math.max(most, cover(from + i * step))
    return most
  }
  return (
    best(box.y, 1, rowCover) >= SIDE_COVERAGE &&
    best(box.y + box.height - 1, -1, rowCover) >= SIDE_COVERAGE &&
    best(box.x, 1, columnCover) >= SIDE_COVERAGE &&
    best(box.x + box.width - 1, -1, columnCover) >= SIDE_COVERAGE
  )
}

/**
 * Marks runs of accepted ink at least `horizontal` long in a row (or `vertical` long in a column) within
 * `region`, puts back what a crossing stroke needs, and clears the rest. Returns the pixels cleared.
 */
function removeRuns(
  mask: Uint8Array,
  solid: Uint8Array,
  width: number,
  height: number,
  region: Box,
  horizontal: number,
  vertical: number,
  accept: (p: number) => boolean
): number {
  const { x: x0, y: y0, width: rw, height: rh } = region
  // Per pixel of the region: 1 = part of a horizontal line, 2 = of a vertical one, 3 = both; 4 = put back.
  const marks = new Uint8Array(rw * rh)
  const on = new Uint8Array(rw * rh)
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) {
      const p = (y0 + y) * width + x0 + x
      on[y * rw + x] = mask[p] === 1 && accept(p) ? 1 : 0
    }
  }
  // Runs along rows (step 1) or columns (step rw), bridging gaps of up to GAP pixels.
  const scan = (
    lines: number,
    along: number,
    lineStep: number,
    step: number,
    length: number,
    bit: number
  ) => {
    for (let l = 0; l < lines; l++) {
      const base = l * lineStep
      let start = -1
      let last = -1
      for (let i = 0; i <= along; i++) {
        const ink = i < along && on[base + i * step] === 1
        if (i < along && !ink) continue
        if (i === along || start < 0 || i - last > GAP + 1) {
          if (start >= 0 && last - start + 1 >= length) {
            for (let k = start; k <= last; k++) if (on[base + k * step]) marks[base + k * step] |= bit
          }
          start = i
        }
        last = i
      }
    }
  }
  scan(rh, rw, rw, 1, horizontal, 1)
  scan(rw, rh, 1, rw, vertical, 2)
  // The soft edges of a printed line are ink too, if faint: a pixel beside a line's pixel across the line joins
  // it, so no thin sliver of the line is left over.
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) {
      const m = marks[y * rw + x]
      if (m & 1)
        for (const dy of [-1, 1])
          if (y + dy >= 0 && y + dy < rh && on[(y + dy) * rw + x]) marks[(y + dy) * rw + x] |= 8
      if (m & 2)
        for (const dx of [-1, 1])
          if (x + dx >= 0 && x + dx < rw && on[y * rw + x + dx]) marks[y * rw + x + dx] |= 16
    }
  }
  for (let p = 0; p < marks.length; p++) marks[p] |= ((marks[p] >> 3) & 1) | ((marks[p] >> 3) & 2)

  // Put back the pixels of a line between the two sides of a stroke that crosses it.
  const ink = (x: number, y: number) => {
    const gx = x0 + x
    const gy = y0 + y
    if (gx < 0 || gy < 0 || gx >= width || gy >= height || solid[gy * width + gx] !== 1) return false
    return x < 0 || y < 0 || x >= rw || y >= rh || (marks[y * rw + x] & 3) === 0
  }
  const across = (x: number, y: number, alongX: boolean) =>
    alongX ? ink(x - 1, y) || ink(x, y) || ink(x + 1, y) : ink(x, y - 1) || ink(x, y) || ink(x, y + 1)
  for (let x = 0; x < rw; x++) {
    for (let y = 0; y < rh; y++) {
      if (!(marks[y * rw + x] & 1)) continue
      let end = y
      while (end + 1 < rh && marks[(end + 1) * rw + x] & 1) end++
      if (end - y < MAX_LINE_THICKNESS && across(x, y - 1, true) && across(x, end + 1, true))
        for (let k = y; k <= end; k++) marks[k * rw + x] |= 4
      y = end
    }
  }
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) {
      if (!(marks[y * rw + x] & 2)) continue
      let end = x
      while (end + 1 < rw && marks[y * rw + end + 1] & 2) end++
      if (end - x < MAX_LINE_THICKNESS && across(x - 1, y, false) && across(end + 1, y, false))
        for (let k = x; k <= end; k++) marks[y * rw + k] |= 4
      x = end
    }
  }
  let removed = 0
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) {
      const m = marks[y * rw + x]
      if (m & 3 && !(m & 4)) {
        mask[(y0 + y) * width + x0 + x] = 0
        removed++
      }
    }
  }
  return removed
}
