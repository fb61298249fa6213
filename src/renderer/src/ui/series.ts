/** One line of a LineChart. */
export interface Series {
  label: string
  points: { x: number; y: number }[]
  color: string
  /** Epoch averages are drawn as dots on a dashed line; batch reports as a plain line. */
  dashed?: boolean
}
