import { resolve } from 'node:path'
import { SafeWriteError, writeFailureReason, writeFileSafely } from '../../core/fs/safe-write'
import { ServiceError } from '../ipc/router'

export function writeError(path: string, error: unknown): ServiceError {
  if (error instanceof SafeWriteError && error.code === 'exists')
    return new ServiceError('conflict', `Cannot save ${path}: ${error.reason}. Choose another name.`)
  const reason = writeFailureReason(error)
  return new ServiceError('io', `Cannot save ${path}: ${reason}. Choose another place.`, 'diskRefused', {
    path,
    reason
  })
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
