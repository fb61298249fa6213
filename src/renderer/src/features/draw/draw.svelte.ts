/**
 * The Draw view's state: the ink on the pad and the live reading (one digit or a whole number). The only module of the view that calls the
 * main process. Prediction is throttled: at most one request in flight, and the newest ink goes as soon as the
 * previous answer arrives, so the answer follows the pen from the first points of the first stroke.
 */
import type { Prediction } from '../../../../shared/schemas/images'
import type { ReadLine } from '../../../../shared/schemas/reading'
import { invoke } from '../../lib/api'
import { describeError, type Problem } from '../../ui/errors'
import { strokesToGray } from './drawing'
import { Ink } from './ink.svelte'

export const draw = $state<{
  /** The single-digit answer (probabilities, 28×28 view) when the pad holds one digit, else null. */
  prediction: Prediction | null
  /** The whole reading: lines of digits with their boxes (in the sent image's pixels) and confidences. */
  reading: ReadLine[]
  problem: Problem | null
  roundTrip: number | null
  /** Recent draw→prediction round trips (ms), for the latency read-out and e2e measurements. */
  roundTrips: number[]
}>({ prediction: null, reading: [], problem: null, roundTrip: null, roundTrips: [] })

export const ink = new Ink(() => requestPrediction())

let inFlight = false
let dirty = false
/** Changes with every clear, so an answer to ink that is gone is dropped. */
let generation = 0

export function requestPrediction(): void {
  if (ink.empty) {
    generation++
    draw.prediction = null
    draw.reading = []
    draw.roundTrips = []
    return
  }
  if (inFlight) {
    dirty = true
    return
  }
  inFlight = true
  dirty = false
  const asked = generation
  const started = performance.now()
  invoke('read.pad', strokesToGray(ink.all))
    .then((result) => {
      if (asked !== generation || ink.empty) return
      draw.prediction = result.single
      draw.reading = result.lines
      draw.roundTrip = performance.now() - started
      draw.roundTrips = [...draw.roundTrips.slice(-199), draw.roundTrip]
      draw.problem = null
    })
    .catch((error: unknown) => {
      draw.problem = describeError(error)
    })
    .finally(() => {
      inFlight = false
      if (dirty) requestPrediction()
    })
}

export function dismissProblem(): void {
  draw.problem = null
}
