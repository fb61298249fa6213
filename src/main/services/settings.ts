import { rename } from 'node:fs/promises'
import { readRegularText } from '../../core/fs/safe-read'
import { join } from 'node:path'
import { SettingsSchema, type Settings } from '../../shared/schemas/settings'
import { writeFileAtomically } from './files'

/** settings.json holds a handful of short fields. */
const MAX_SETTINGS_BYTES = 64 * 1024

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
    let damaged = false
    try {
      stored = JSON.parse(await readRegularText(this.file, MAX_SETTINGS_BYTES))
    } catch (error) {
      // Missing or unreadable settings fall back to defaults rather than blocking start-up.
      damaged = (error as { code?: string }).code !== 'not-found'
    }
    const parsed = SettingsSchema.safeParse(stored)
    // A damaged file is kept beside the new one (settings.json.bad), not silently overwritten.
    if (damaged || !parsed.success) await rename(this.file, `${this.file}.bad`).catch(() => undefined)
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
