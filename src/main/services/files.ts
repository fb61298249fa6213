import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { SYSTEM_REASONS } from '../../core/system-errors'
import { ServiceError } from '../ipc/router'

export function writeError(path: string, error: unknown): ServiceError {
  const code = (error as { code?: string }).code ?? ''
  const reason = SYSTEM_REASONS[code] ?? (error as Error).message
  return new ServiceError(
    'io',
    `Cannot save ${path}: ${reason} (${code || 'error'}). Choose another place.`,
    'diskRefused',
    { path, reason }
  )
}

/** Writes a file through a temporary name, so a failed write never leaves a half-written file behind. */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`
  try {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(temp, content)
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw writeError(file, error)
  }
}
