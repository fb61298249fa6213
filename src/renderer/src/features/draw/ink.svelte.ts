/**
 * The strokes on a drawing pad, the one in progress included. Reactive, so the pad, its buttons and the
 * prediction follow the pen from the first point; a pad that reads several digits can use the same class.
 */
import type { Stroke, StrokePoint } from './drawing'

export class Ink {
  /** Finished strokes. */
  strokes = $state.raw<Stroke[]>([])
  /** The stroke being drawn (pen down), or null. */
  current = $state.raw<Stroke | null>(null)
  /** Increases on every change, points of the current stroke included. */
  revision = $state(0)

  constructor(private readonly onchange: () => void = () => undefined) {}

  get empty(): boolean {
    return this.strokes.length === 0 && (this.current === null || this.current.length === 0)
  }

  /** Every stroke, the one in progress last. */
  get all(): readonly Stroke[] {
    return this.current ? [...this.strokes, this.current] : this.strokes
  }

  begin(points: StrokePoint[]): void {
    this.current = points
    this.changed()
  }

  extend(points: StrokePoint[]): void {
    if (!this.current) return
    this.current.push(...points)
    this.changed()
  }

  end(): void {
    if (!this.current) return
    if (this.current.length > 0) this.strokes = [...this.strokes, this.current]
    this.current = null
    this.changed()
  }

  /** Drops the stroke in progress, else the last finished one. */
  undo(): void {
    if (this.current) this.current = null
    else if (this.strokes.length > 0) this.strokes = this.strokes.slice(0, -1)
    else return
    this.changed()
  }

  clear(): void {
    this.strokes = []
    this.current = null
    this.changed()
  }

  private changed(): void {
    this.revision++
    this.onchange()
  }
}
