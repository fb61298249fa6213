/**
 * Strokes on the drawing pad, kept as points in pad units (0..PAD_SIZE) so they can be drawn at any resolution:
 * crisp on screen and small (grayscale, ink bright) for the model.
 */
export const PAD_SIZE = 280
/** The pad is three times wider than tall: room for about six digits side by side. */
export const PAD_WIDTH = 3 * PAD_SIZE
/** Height of the grayscale image sent for reading (the contract allows up to 1024; small is fast). */
export const SEND_SIZE = 140
export const SEND_WIDTH = 3 * SEND_SIZE

export interface StrokePoint {
  x: number
  y: number
  /** Line width at this point, in pad units (pen pressure already applied). */
  width: number
}
export type Stroke = StrokePoint[]

/** Pen pressure widens or narrows the line; mouse and touch report no real pressure. */
export function strokeWidth(penWidth: number, pointerType: string, pressure: number): number {
  if (pointerType !== 'pen' || pressure <= 0) return penWidth
  return penWidth * (0.4 + 1.2 * Math.min(1, pressure))
}

export function drawStrokes(
  context: CanvasRenderingContext2D,
  strokes: readonly Stroke[],
  scale: number,
  ink: string
): void {
  context.strokeStyle = ink
  context.fillStyle = ink
  context.lineCap = 'round'
  context.lineJoin = 'round'
  for (const stroke of strokes) {
    if (stroke.length === 1) {
      const [p] = stroke
      context.beginPath()
      context.arc(p.x * scale, p.y * scale, (p.width * scale) / 2, 0, Math.PI * 2)
      context.fill()
      continue
    }
    for (let i = 1; i < stroke.length; i++) {
      const a = stroke[i - 1]
      const b = stroke[i]
      context.lineWidth = ((a.width + b.width) / 2) * scale
      context.beginPath()
      context.moveTo(a.x * scale, a.y * scale)
      context.lineTo(b.x * scale, b.y * scale)
      context.stroke()
    }
  }
}

let offscreen: HTMLCanvasElement | null = null

/**
 * The strokes as SEND_WIDTH×SEND_SIZE 8-bit grayscale, white ink on black (MNIST's polarity), base64-encoded,
 * with the strokes' points in the same pixels (the reading groups ink by stroke).
 */
export function strokesToGray(strokes: readonly Stroke[]): {
  width: number
  height: number
  pixels: string
  strokes: { x: number; y: number }[][]
} {
  offscreen ??= Object.assign(document.createElement('canvas'), { width: SEND_WIDTH, height: SEND_SIZE })
  const context = offscreen.getContext('2d', { willReadFrequently: true })
  if (!context) throw new Error('Canvas 2D is not available')
  const scale = SEND_SIZE / PAD_SIZE
  context.fillStyle = '#000'
  context.fillRect(0, 0, SEND_WIDTH, SEND_SIZE)
  drawStrokes(context, strokes, scale, '#fff')
  const rgba = context.getImageData(0, 0, SEND_WIDTH, SEND_SIZE).data
  const gray = new Uint8Array(SEND_WIDTH * SEND_SIZE)
  for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4]
  return {
    width: SEND_WIDTH,
    height: SEND_SIZE,
    pixels: bytesToBase64(gray),
    strokes: strokes.map((stroke) => stroke.map((p) => ({ x: p.x * scale, y: p.y * scale })))
  }
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}
