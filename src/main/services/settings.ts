import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { SettingsSchema, type Settings } from '../../shared/contract'

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
    await mkdir(dirname(this.file), { recursive: true })
    const temp = `${this.file}.${process.pid}.tmp`
    await writeFile(temp, JSON.stringify(next, null, 2))
    await rename(temp, this.file)
    this.cached = next
    return next
  }
}
