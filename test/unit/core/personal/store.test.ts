/** The personal sample collection: stored, listed, deleted, kept across restarts, damaged files reported. */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PersonalError, PersonalStore } from '../../../../src/core/personal/store'

const form = (value: number) => Float32Array.from({ length: 784 }, (_, i) => (i % 7 === 0 ? value : 0))
const dataDir = () => mkdtempSync(path.join(os.tmpdir(), 'digit-studio-personal-'))

describe('PersonalStore', () => {
  it('stores corrections with their form and drawing, lists them with per-digit counts, and deletes them', async () => {
    const store = new PersonalStore(dataDir())
    const drawing = { width: 40, height: 30, data: new Uint8Array(1200).fill(200) }
    const a = await store.add({ label: 7, form: form(1), source: 'pad', image: drawing })
    const b = await store.add({ label: 7, form: form(0.5), source: 'import', origin: '7/001.png' })
    await store.add({ label: 2, form: form(0.25), source: 'pad' })
    const list = await store.list()
    expect(list.samples.map((s) => s.label)).toEqual([7, 7, 2])
    expect(list.counts[7]).toBe(2)
    expect(list.counts[2]).toBe(1)
    expect(list.problems).toEqual([])
    expect(list.samples[0]).toMatchObject({ id: a.id, hasImage: true, source: 'pad' })
    expect(list.samples[1]).toMatchObject({ id: b.id, hasImage: false, origin: '7/001.png' })
    // The 28×28 form comes back as bytes.
    const bytes = Buffer.from(list.samples[1].form, 'base64')
    expect(bytes[0]).toBe(128)
    expect(bytes[1]).toBe(0)
    expect(await store.image(a.id)).toMatch(/^data:image\/png;base64,/)
    expect(await store.image(b.id)).toBeNull()

    await store.delete(a.id)
    const after = await store.list()
    expect(after.samples.map((s) => s.id)).not.toContain(a.id)
    expect(after.counts[7]).toBe(1)
    expect(readdirSync(store.dir).some((f) => f.startsWith(a.id))).toBe(false)
    await expect(store.delete(a.id)).rejects.toMatchObject({ code: 'not-found' })
  })

  it('keeps the collection across a restart (a new store on the same data folder)', async () => {
    const dir = dataDir()
    const first = new PersonalStore(dir)
    const saved = await first.add({ label: 4, form: form(1), source: 'pad' })
    const second = new PersonalStore(dir)
    const list = await second.list()
    expect(list.samples).toHaveLength(1)
    expect(list.samples[0]).toMatchObject({ id: saved.id, label: 4 })
    const { samples } = await second.trainingSamples()
    expect(samples[0].bytes).toHaveLength(784)
    expect(samples[0].label).toBe(4)
  })

  it('reports a damaged sample file by name and still lists the others', async () => {
    const store = new PersonalStore(dataDir())
    await store.add({ label: 1, form: form(1), source: 'pad' })
    await store.add({ label: 3, form: form(1), source: 'pad' })
    const broken = path.join(store.dir, 'zzzzzzzz-broken.json')
    writeFileSync(broken, '{"formatVersion": 1, "label": ')
    const wrongShape = path.join(store.dir, 'zzzzzzzz-short.json')
    writeFileSync(
      wrongShape,
      JSON.stringify({
        formatVersion: 1,
        id: 'zzzzzzzz-short',
        label: 3,
        source: 'pad',
        createdAt: 'x',
        form: 'AAAA'
      })
    )
    const list = await store.list()
    expect(list.samples.map((s) => s.label)).toEqual([1, 3])
    expect(list.problems.map((p) => p.file).sort()).toEqual([broken, wrongShape].sort())
    expect(list.problems.find((p) => p.file === broken)?.reason).toMatch(/unreadable/)
    expect(list.problems.find((p) => p.file === wrongShape)?.reason).toMatch(/784 bytes/)
  })

  it('refuses a label that is not a digit and a form of the wrong size', async () => {
    const store = new PersonalStore(dataDir())
    await expect(store.add({ label: 10, form: form(1), source: 'pad' })).rejects.toBeInstanceOf(PersonalError)
    await expect(store.add({ label: 3, form: new Float32Array(10), source: 'pad' })).rejects.toThrow(/784/)
    await expect(store.delete('../settings')).rejects.toMatchObject({ code: 'not-found' })
  })
})
