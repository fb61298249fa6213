import { resolve } from 'node:path'
import { SafeWriteError, writeFileSafely } from '../../core/fs/safe-write'
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
  if (error instanceof SafeWriteError) {
    return new ServiceError(
      error.code === 'exists' ? 'conflict' : 'unavailable',
      `Cannot save ${path}: ${error.reason}. Choose another place.`
    )
  }
  const code = (error as { code?: string }).code ?? ''
  const reason = WRITE_REASONS[code] ?? (error as Error).message
  return new ServiceError(
    'unavailable',
    `Cannot save ${path}: ${reason} (${code || 'error'}). Choose another place.`
  )
}

/**
 * Paths the user chose in the native save dialog, which itself asks before replacing an existing file. Only
 * these may replace a file; any other existing path is refused ('conflict'), whoever sent it.
 */
const confirmedPaths = new Set<string>()

export function rememberConfirmedPath(path: string | null): string | null {
  if (path !== null) confirmedPaths.add(resolve(path))
  return path
}

/**
 * Writes a file through an exclusive temporary file (see core/fs/safe-write), so a failed write never leaves a
 * half-written file behind and a planted link is never followed. `replace`: 'always' for the app's own files
 * (settings), 'if-confirmed' for files the user picked.
 */
export async function writeFileAtomically(
  file: string,
  content: string,
  replace: 'always' | 'if-confirmed' = 'always'
): Promise<void> {
  try {
    await writeFileSafely(file, content, {
      replace: replace === 'always' || confirmedPaths.has(resolve(file))
    })
  } catch (error) {
    throw writeError(file, error)
  }
}
