import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SettingsSchema, type Settings } from '../../shared/schemas/settings'
import { writeFileAtomically } from './files'

/** Settings remembered between runs, in settings.json of the data folder (written atomically). */
export class SettingsStore {
  private cached: Settings | null = null
  private readonly file: string
  /** Updates run one after another, so overlapping ones never lose each other's changes. */
  private queue: Promise<unknown> = Promise.resolve()

  /** Told after every save, with the settings saved (main sends them to every window as settings.changed). */
  private readonly listeners = new Set<(settings: Settings) => void>()

  constructor(dataDir: string) {
    this.file = join(dataDir, 'settings.json')
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
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
    const previous = JSON.stringify(await this.get())
    await writeFileAtomically(this.file, JSON.stringify(next, null, 2))
    this.cached = next
    if (JSON.stringify(next) !== previous) for (const listener of this.listeners) listener(next)
    return next
  }
}
