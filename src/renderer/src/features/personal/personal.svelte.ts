/**
 * The personal sample collection ("It was a …" corrections and taught test sets) and "teach": the Collection
 * view's state and its calls. Teaching runs in the training process, so its progress arrives as training
 * events (the Train view's store follows them too); its before → after report comes with the final status.
 */
import type { PersonalList, TuningReport } from '../../../../shared/schemas/personal'
import { api, invoke } from '../../lib/api'
import { describeError, type Problem } from '../../ui/errors'
import { refreshModels, setActive } from '../models/models.svelte'
import { applyStatus, resetRun } from '../train/training.svelte'

export const personal = $state<{
  list: PersonalList | null
  problem: Problem | null
  notice: string | null
  busy: boolean
  /** The last teaching run's before → after figures. */
  report: TuningReport | null
  teaching: boolean
  /** Sample id → its drawing (data URL), loaded on demand. */
  images: Record<string, string | null>
}>({ list: null, problem: null, notice: null, busy: false, report: null, teaching: false, images: {} })

let subscribed = false

/** Picks up the report of a teaching run when its final status arrives. */
export function subscribePersonal(): void {
  if (subscribed) return
  subscribed = true
  api.on('training.event', (event) => {
    if (event.kind !== 'status' || !personal.teaching) return
    if (['done', 'cancelled', 'failed'].includes(event.state)) {
      personal.teaching = false
      if (event.tuning) personal.report = event.tuning
      void refreshModels()
    }
  })
}

async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
  personal.busy = true
  personal.problem = null
  try {
    return await action()
  } catch (error) {
    personal.problem = describeError(error)
    return undefined
  } finally {
    personal.busy = false
  }
}

export async function refreshCollection(): Promise<void> {
  await run(async () => (personal.list = await invoke('personal.list', {})))
}

/** "It was a …": stores the drawing with the digit it really was; resolves true when it was stored. */
export async function addCorrection(
  label: number,
  drawing: { width: number; height: number; pixels: string }
): Promise<boolean> {
  // Only the image: the pad's drawing may carry more (its strokes, for read.pad), which personal.add refuses.
  const { width, height, pixels } = drawing
  const list = await run(() => invoke('personal.add', { label, width, height, pixels }))
  if (list) personal.list = list
  return list !== undefined
}

export async function deleteSample(id: string): Promise<void> {
  const list = await run(() => invoke('personal.delete', { id }))
  if (list) personal.list = list
}

export async function loadImage(id: string): Promise<void> {
  if (id in personal.images) return
  personal.images[id] = null
  const result = await run(() => invoke('personal.image', { id }))
  personal.images[id] = result?.dataUrl ?? null
}

/** "Teach the model with these samples": an import's labelled images into the collection. */
export async function addImport(importId: string): Promise<number | null> {
  const result = await run(() => invoke('personal.addImport', { importId }))
  if (!result) return null
  personal.list = result.list
  return result.added
}

export async function teach(epochs: number): Promise<void> {
  personal.report = null
  resetRun(epochs, 0)
  personal.teaching = true
  const status = await run(() => invoke('personal.teach', { epochs }))
  if (status) applyStatus(status)
  else personal.teaching = false
}

/** "Use the taught model": makes the model a teaching run saved the active one. */
export async function useTaughtModel(id: string): Promise<void> {
  await run(() => setActive(id))
}
