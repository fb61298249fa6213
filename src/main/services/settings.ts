import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SettingsSchema, type Settings } from '../../shared/contract'
import { writeFileAtomically } from './files'

/** Settings remembered between runs, in settings.json of the data folder (written atomically). */
export class SettingsStore {
  private cached: Settings | null = null
  private readonly file: string
  /** Updates run one after another, so overlapping ones never lose each other's changes. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(dataDir: string) {
    this.file = join(dataDir, 'settings.json')
  }

  async get(): Promise<Settings> {
    if (this.cached) return this.cached
    let stored: unknown = {}
    try {
      stored = JSON.parse(await readFile(this.file, 'utf8'))
    } catch {
      // Missing or unreadable settings fall back to defaults rather than blocking start-up.
    }
    const parsed = SettingsSchema.safeParse(stored)
    this.cached = parsed.success ? parsed.data : SettingsSchema.parse({})
    return this.cached
  }

  update(patch: Partial<Settings>): Promise<Settings> {
    const next = this.queue.then(() => this.write(patch))
    this.queue = next.catch(() => undefined)
    return next
  }

  private async write(patch: Partial<Settings>): Promise<Settings> {
    const next = SettingsSchema.parse({ ...(await this.get()), ...patch })
    await writeFileAtomically(this.file, JSON.stringify(next, null, 2))
    this.cached = next
    return next
  }
}
