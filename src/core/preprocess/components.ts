/** 8-connected components of an ink mask, with their boxes and areas (a digit's specks, a page's digits). */
export interface Component {
  id: number
  box: { x: number; y: number; width: number; height: number }
  area: number
}

/** Labels (1..n, 0 = paper) and the components, in label order. */
export function components(
  mask: Uint8Array,
  width: number,
  height: number
): { labels: Int32Array; list: Component[] } {
  const labels = new Int32Array(mask.length)
  const stack = new Int32Array(mask.length)
  const list: Component[] = []
  const around = new Int32Array(8)
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue
    const id = list.length + 1
    let top = 0
    let area = 0
    let x0 = width
    let y0 = height
    let x1 = -1
    let y1 = -1
    stack[top++] = start
    labels[start] = id
    while (top > 0) {
      const p = stack[--top]
      area++
      const x = p % width
      const y = (p - x) / width
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
      const n = neighbours8(p, width, height, around)
      for (let k = 0; k < n; k++) {
        const q = around[k]
        if (mask[q] && !labels[q]) {
          labels[q] = id
          stack[top++] = q
        }
      }
    }
    list.push({ id, area, box: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } })
  }
  return { labels, list }
}

/** Writes the 8-connected neighbours of pixel `p` into `into` and returns how many it has (fewer at the edges). */
export function neighbours8(p: number, width: number, height: number, into: Int32Array): number {
  const x = p % width
  const y = (p - x) / width
  let n = 0
  for (let dy = -1; dy <= 1; dy++) {
    const ny = y + dy
    if (ny < 0 || ny >= height) continue
    for (let dx = -1; dx <= 1; dx++) {
      const nx = x + dx
      if ((dx === 0 && dy === 0) || nx < 0 || nx >= width) continue
      into[n++] = ny * width + nx
    }
  }
  return n
}
