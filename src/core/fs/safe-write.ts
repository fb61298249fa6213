/**
 * Writing files at paths the user typed or picked. A write goes to a temporary file created exclusively
 * (O_CREAT | O_EXCL | O_NOFOLLOW) under an unpredictable name beside the target, is synced, then renamed over
 * the target: a link planted at a guessable temporary name cannot redirect it, and a failed write leaves the old
 * file whole. Only a regular file is ever replaced, and only when the caller says so (the user confirmed, or
 * the CLI got --force); links, devices and FIFOs are refused. Folders are created level by level with a bound,
 * because Node's recursive mkdir never returns on some kernel file systems (/proc/self/x/…).
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { SYSTEM_REASONS } from '../system-errors'
import { describeFileType } from './safe-read'

export type SafeWriteCode = 'exists' | 'not-regular' | 'not-a-folder' | 'too-deep'

export class SafeWriteError extends Error {
  override readonly name = 'SafeWriteError'

  constructor(
    readonly code: SafeWriteCode,
    readonly file: string,
    readonly reason: string
  ) {
    super(`${file}: ${reason}`)
  }
}

/** The reason a write failed, in words, with the system's code: "the folder is read-only (EROFS)". */
export function writeFailureReason(error: unknown): string {
  if (error instanceof SafeWriteError) return error.reason
  const code = (error as { code?: string }).code ?? ''
  const reason = SYSTEM_REASONS[code] ?? (error instanceof Error ? error.message : String(error))
  return `${reason} (${code || 'error'})`
}

/** No folder the app writes into is this deep; a path that is, is refused rather than created. */
const MAX_NEW_FOLDERS = 64

/** Creates `dir` and any missing parents, one level at a time (never Node's recursive mkdir). */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = []
  let current = path.resolve(dir)
  for (;;) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw error
    })
    if (info?.isDirectory()) break
    if (info) throw new SafeWriteError('not-a-folder', current, 'part of that path is a file, not a folder')
    missing.unshift(current)
    if (missing.length > MAX_NEW_FOLDERS)
      throw new SafeWriteError('too-deep', dir, `more than ${MAX_NEW_FOLDERS} new folders`)
    const parent = path.dirname(current)
    if (parent === current) break
    current = parent
  }
  for (const folder of missing) {
    await mkdir(folder).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST' || !(await stat(folder)).isDirectory()) throw error
    })
  }
}

/** What is at `file` now: nothing, a regular file, or something that must not be written over. */
export async function checkWriteTarget(file: string, replace: boolean): Promise<void> {
  const info = await lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw error
  })
  if (info === null) return
  if (info.isSymbolicLink())
    throw new SafeWriteError('not-regular', file, 'is a symbolic link; the app does not write through links')
  if (!info.isFile())
    throw new SafeWriteError('not-regular', file, `is ${describeFileType(info)}; only files are written`)
  if (!replace) throw new SafeWriteError('exists', file, 'already exists')
}

/** An unpredictable hidden name beside `file`. */
export const temporaryName = (file: string): string =>
  path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(9).toString('base64url')}.tmp`)

const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0)

/** Test hook: called once the temporary file is open, so tests can make the write fail (a full disk). */
export const safeWriteHooks: { beforeWrite?: (temp: string) => void } = {}

export interface SafeWriteOptions {
  /** Replace an existing regular file (the user confirmed, or --force); otherwise 'exists' is thrown. */
  replace: boolean
}

/** Writes `content` to `file` through an exclusive temporary file; see the module comment. */
export async function writeFileSafely(
  file: string,
  content: string | Uint8Array,
  options: SafeWriteOptions
): Promise<void> {
  const target = path.resolve(file)
  await makeFolders(path.dirname(target))
  await checkWriteTarget(target, options.replace)
  const temp = temporaryName(target)
  const handle = await open(temp, EXCLUSIVE, 0o644)
  try {
    try {
      safeWriteHooks.beforeWrite?.(temp)
      await handle.writeFile(content)
      await handle.sync()
    } finally {
      await handle.close()
    }
    // Checked again just before the rename: a link or device planted meanwhile is still refused.
    await checkWriteTarget(target, options.replace)
    await rename(temp, target)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
}
