import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ServiceError } from '../ipc/router'

/** What a failed write means for the user; Node's own messages name no path for write errors. */
const WRITE_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the folder is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'part of that path is a file, not a folder',
  EEXIST: 'part of that path is a file, not a folder',
  EISDIR: 'that path is a folder'
}

export function writeError(path: string, error: unknown): ServiceError {
  const code = (error as { code?: string }).code ?? ''
  const reason = WRITE_REASONS[code] ?? (error as Error).message
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
