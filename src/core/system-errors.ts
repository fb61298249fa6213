/** Node's file-system errors in plain words (its own messages read "ENOENT: no such file or directory, open …"). */
export const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'it does not exist (or a folder on the way does not)',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the folder is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'part of that path is a file, not a folder',
  EEXIST: 'part of that path is a file, not a folder',
  EISDIR: 'that path is a folder',
  EMFILE: 'too many files are open',
  EBUSY: 'the file is in use'
}

/** "<path>: <reason>" for a system error, else null (not a system error, or one without a known reason). */
export function systemErrorText(error: unknown): string | null {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown }
  if (typeof code !== 'string' || !SYSTEM_REASONS[code]) return null
  return typeof path === 'string' ? `${path}: ${SYSTEM_REASONS[code]}` : SYSTEM_REASONS[code]
}
