/**
 * The personal sample collection: digits the user corrected on the pad ("It was a …") or taught from an
 * imported folder, kept in `<data folder>/personal/`, one `<id>.json` per sample (label, source, the 28×28
 * form as base64 bytes) and, when known, `<id>.png` with what was drawn or scanned. One file per sample:
 * a damaged file is reported in `problems` and skipped, never fatal; writes go through a temporary file.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { PersonalList, PersonalSample } from '../../shared/schemas/personal'
import { loadSharp } from '../preprocess'
import type { GrayImage } from '../preprocess/types'

const FORM_BYTES = 784
const ID = /^[a-z0-9-]{8,64}$/

const StoredSampleSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string().regex(ID),
  label: z.number().int().min(0).max(9),
  source: z.enum(['pad', 'import']),
  createdAt: z.string(),
  origin: z.string().nullable().default(null),
  form: z.string().refine((s) => Buffer.from(s, 'base64').length === FORM_BYTES, 'form must be 784 bytes')
})

export interface NewSample {
  label: number
  /** The 28×28 form, 784 values in [0,1] (ink = 1). */
  form: Float32Array
  source: 'pad' | 'import'
  origin?: string | null
  /** What was drawn or scanned, kept as a small PNG beside the sample. */
  image?: GrayImage | null
}

/** A labelled sample ready for training: 784 bytes (ink = 255) and its label. */
export interface TrainingSample {
  id: string
  label: number
  bytes: Uint8Array
}

export const PERSONAL_ERROR_CODES = ['not-found', 'bad-sample', 'io'] as const
export type PersonalErrorCode = (typeof PERSONAL_ERROR_CODES)[number]

export class PersonalError extends Error {
  constructor(
    readonly code: PersonalErrorCode,
    readonly file: string,
    reason: string
  ) {
    super(`${file}: ${reason}`)
    this.name = 'PersonalError'
  }
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${randomUUID().slice(0, 8)}.tmp`
  try {
    const handle = await open(temp, 'w')
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw new PersonalError('io', file, `cannot save (${(error as Error).message})`)
  }
}

export class PersonalStore {
  readonly dir: string

  constructor(dataDir: string) {
    this.dir = path.join(path.resolve(dataDir), 'personal')
  }

  private fileOf(id: string, extension: 'json' | 'png'): string {
    if (!ID.test(id)) throw new PersonalError('not-found', id, 'not a sample id')
    return path.join(this.dir, `${id}.${extension}`)
  }

  async add(sample: NewSample): Promise<PersonalSample> {
    if (!Number.isInteger(sample.label) || sample.label < 0 || sample.label > 9)
      throw new PersonalError('bad-sample', String(sample.label), 'the label must be a digit 0-9')
    if (sample.form.length !== FORM_BYTES)
      throw new PersonalError('bad-sample', 'form', `expected 784 values, got ${sample.form.length}`)
    await mkdir(this.dir, { recursive: true })
    const id = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`
    const bytes = Uint8Array.from(sample.form, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255))
    let hasImage = false
    if (sample.image) {
      const sharp = await loadSharp()
      const { width, height, data } = sample.image
      const png = await sharp(data, { raw: { width, height, channels: 1 } })
        .resize(128, 128, { fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer()
      await writeAtomically(this.fileOf(id, 'png'), png)
      hasImage = true
    }
    const stored: z.infer<typeof StoredSampleSchema> = {
      formatVersion: 1,
      id,
      label: sample.label,
      source: sample.source,
      createdAt: new Date().toISOString(),
      origin: sample.origin ?? null,
      form: Buffer.from(bytes).toString('base64')
    }
    await writeAtomically(this.fileOf(id, 'json'), JSON.stringify(stored) + '\n')
    return { ...stored, hasImage }
  }

  /** Every readable sample, oldest first, with per-digit counts; unreadable files are listed as problems. */
  async list(): Promise<PersonalList> {
    const entries = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[]
      throw new PersonalError('io', this.dir, `cannot read the collection (${error.message})`)
    })
    const names = new Set(entries)
    const samples: PersonalSample[] = []
    const problems: { file: string; reason: string }[] = []
    for (const entry of entries.filter((e) => e.endsWith('.json')).sort()) {
      const file = path.join(this.dir, entry)
      try {
        const parsed = StoredSampleSchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
        if (!parsed.success) {
          problems.push({ file, reason: `not a sample: ${parsed.error.issues[0]?.message ?? 'invalid'}` })
          continue
        }
        const { formatVersion: _version, ...sample } = parsed.data
        samples.push({ ...sample, hasImage: names.has(`${sample.id}.png`) })
      } catch (error) {
        problems.push({ file, reason: `unreadable (${(error as Error).message})` })
      }
    }
    samples.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    const counts = new Array<number>(10).fill(0)
    for (const s of samples) counts[s.label]++
    return { folder: this.dir, samples, counts, problems }
  }

  async delete(id: string): Promise<void> {
    const file = this.fileOf(id, 'json')
    try {
      await rm(file)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new PersonalError(
        code === 'ENOENT' ? 'not-found' : 'io',
        file,
        code === 'ENOENT' ? 'no such sample' : String(error)
      )
    }
    await rm(this.fileOf(id, 'png'), { force: true })
  }

  /** The kept drawing or scan of a sample as a PNG data URL, or null when none was kept. */
  async image(id: string): Promise<string | null> {
    try {
      return `data:image/png;base64,${(await readFile(this.fileOf(id, 'png'))).toString('base64')}`
    } catch {
      return null
    }
  }

  /** The collection as training samples. */
  async trainingSamples(): Promise<{ samples: TrainingSample[]; problems: PersonalList['problems'] }> {
    const { samples, problems } = await this.list()
    return {
      samples: samples.map((s) => ({
        id: s.id,
        label: s.label,
        bytes: new Uint8Array(Buffer.from(s.form, 'base64'))
      })),
      problems
    }
  }
}
