/** The personal.* calls through the real services and router: a pad correction is stored, listed, deleted. */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { PersonalList } from '../../../src/shared/schemas/personal'
import type { Prediction } from '../../../src/shared/schemas/images'
import { startServices, type RunningServices } from '../../support/services'
import { drawSegments, scribble } from '../core/calibration/shapes'

const ok = <T>(result: { ok: true; value: unknown } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

let running: RunningServices | null = null
afterAll(async () => {
  await running?.services.dispose()
})

describe('personal.* calls', () => {
  it('keeps a correction from the pad, lists it with counts, deletes it; the pad flags a scribble', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'digit-studio-personal-main-'))
    running = await startServices(dataDir)
    const seven = drawSegments([
      [60, 50, 220, 50],
      [220, 50, 120, 240]
    ])
    const request = { width: 280, height: 280, pixels: Buffer.from(seven.data).toString('base64') }
    const added = ok<PersonalList>(await running.call('personal.add', { label: 7, ...request }))
    expect(added.counts[7]).toBe(1)
    expect(added.samples[0]).toMatchObject({ label: 7, source: 'pad', hasImage: true })
    const listed = ok<PersonalList>(await running.call('personal.list', {}))
    expect(listed.samples.map((s) => s.id)).toEqual(added.samples.map((s) => s.id))
    const image = ok<{ dataUrl: string | null }>(
      await running.call('personal.image', { id: added.samples[0].id })
    )
    expect(image.dataUrl).toMatch(/^data:image\/png;base64,/)
    const after = ok<PersonalList>(await running.call('personal.delete', { id: added.samples[0].id }))
    expect(after.samples).toEqual([])
    // A label that is not a digit is refused by the contract.
    expect((await running.call('personal.add', { label: 12, ...request })).ok).toBe(false)

    const mess = drawSegments(scribble())
    const flagged = ok<Prediction>(
      await running.call('predict.image', {
        width: 280,
        height: 280,
        pixels: Buffer.from(mess.data).toString('base64')
      })
    )
    expect(flagged.flag).toBe('not-a-digit')
  })
})
