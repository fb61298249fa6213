/**
 * Reading files the user (or anyone with write access to the data folder) can swap under us. Every read here:
 * follows symbolic links, refuses anything that is not a regular file (a FIFO, a device such as /dev/zero, a
 * socket, a folder) with a reason a user can act on, and stops at a size cap the caller derives from what the
 * file should hold. Nothing here can block the event loop: files are opened with O_NONBLOCK (opening a FIFO
 * without it waits for a writer forever, holding a thread-pool thread) and type-checked on the open descriptor
 * before a single byte is read.
 */
import { constants, fstatSync, lstatSync, openSync, closeSync, readSync, type Stats } from 'node:fs'
import { lstat, open, stat, type FileHandle } from 'node:fs/promises'

export type SafeReadCode = 'not-found' | 'not-regular' | 'too-large' | 'wrong-size' | 'unreadable'

/** A file that cannot be read safely; `reason` is the part after the file name, for callers' own errors. */
export class SafeReadError extends Error {
  override readonly name = 'SafeReadError'

  constructor(
    readonly code: SafeReadCode,
    readonly file: string,
    readonly reason: string,
    options?: ErrorOptions
  ) {
    super(`${file}: ${reason}`, options)
  }
}

/** O_NONBLOCK does not exist on Windows, where opening a named pipe does not wait for a writer anyway. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)
const CHUNK_BYTES = 1024 * 1024

/** What a non-regular file is, in words ("a named pipe (FIFO)"). */
export function describeFileType(info: Stats): string {
  if (info.isDirectory()) return 'a folder'
  if (info.isFIFO()) return 'a named pipe (FIFO)'
  if (info.isCharacterDevice()) return 'a character device'
  if (info.isBlockDevice()) return 'a block device'
  if (info.isSocket()) return 'a socket'
  return 'not a regular file'
}

export const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${bytes} bytes`

function notRegular(file: string, info: Stats): SafeReadError {
  return new SafeReadError('not-regular', file, `${describeFileType(info)}, not a regular file`)
}

function tooLarge(file: string, size: number | null, maxBytes: number): SafeReadError {
  const what = size === null ? 'more than' : `${formatBytes(size)}, over`
  return new SafeReadError(
    'too-large',
    file,
    `the file is ${what} the limit of ${formatBytes(maxBytes)} for this kind of file`
  )
}

/** An open or read error as a SafeReadError with a reason a user can act on. */
function errnoError(file: string, error: unknown, brokenLink: boolean): SafeReadError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') {
    const reason = brokenLink ? 'broken symbolic link (its target does not exist)' : 'file not found'
    return new SafeReadError('not-found', file, reason, { cause: error })
  }
  if (code === 'EISDIR') return new SafeReadError('not-regular', file, 'a folder, not a regular file')
  if (code === 'EACCES' || code === 'EPERM')
    return new SafeReadError('unreadable', file, 'permission denied', { cause: error })
  if (code === 'ELOOP')
    return new SafeReadError('unreadable', file, 'too many levels of symbolic links', { cause: error })
  const message = error instanceof Error ? error.message : String(error)
  return new SafeReadError('unreadable', file, `cannot read (${code ?? message})`, { cause: error })
}

/** Why a path could not be opened, naming broken links as such (stat and open both say ENOENT for them). */
async function openError(file: string, error: unknown): Promise<SafeReadError> {
  const code = (error as NodeJS.ErrnoException).code
  const link = code === 'ENOENT' ? await lstat(file).catch(() => null) : null
  return errnoError(file, error, link?.isSymbolicLink() ?? false)
}

/** Wraps a non-SafeReadError from a read (EIO, EAGAIN…) with the file's name. */
async function asSafeReadError(file: string, error: unknown): Promise<SafeReadError> {
  return error instanceof SafeReadError ? error : openError(file, error)
}

/** The type of what `file` points to (after following links): a regular file's Stats, or a SafeReadError. */
export async function statRegularFile(file: string): Promise<Stats> {
  let info: Stats
  try {
    info = await stat(file)
  } catch (error) {
    throw await openError(file, error)
  }
  if (!info.isFile()) throw notRegular(file, info)
  return info
}

export interface ReadLimits {
  /** Refuse files larger than this (also files that report a small size and then keep going, like /proc). */
  maxBytes: number
  /** The file must hold exactly this many bytes (e.g. weights whose size follows from the architecture). */
  exactBytes?: number
}

async function readHandle(file: string, handle: FileHandle, limits: ReadLimits): Promise<Buffer> {
  const info = await handle.stat()
  if (!info.isFile()) throw notRegular(file, info)
  const { maxBytes, exactBytes } = limits
  if (info.size > maxBytes) throw tooLarge(file, info.size, maxBytes)
  if (exactBytes !== undefined && info.size !== exactBytes) {
    throw new SafeReadError('wrong-size', file, `holds ${info.size} bytes where ${exactBytes} are expected`)
  }
  // Read one byte past the reported size (or chunk by chunk for files that report 0, such as /proc files),
  // so a file that grows while it is read is caught at the cap rather than read to its end.
  const chunks: Buffer[] = []
  let total = 0
  for (;;) {
    const want = Math.min(Math.max(info.size - total, 0) + 1, CHUNK_BYTES, maxBytes - total + 1)
    const chunk = Buffer.allocUnsafe(want)
    const { bytesRead } = await handle.read(chunk, 0, want, null)
    if (bytesRead === 0) break
    total += bytesRead
    if (total > maxBytes) throw tooLarge(file, null, maxBytes)
    chunks.push(bytesRead === want ? chunk : chunk.subarray(0, bytesRead))
  }
  if (exactBytes !== undefined && total !== exactBytes) {
    throw new SafeReadError('wrong-size', file, `holds ${total} bytes where ${exactBytes} are expected`)
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total)
}

/** Opens `file` for reading, hands the handle to `use` and closes it; every failure as a SafeReadError. */
async function withReadHandle<T>(file: string, use: (handle: FileHandle) => Promise<T>): Promise<T> {
  let handle: FileHandle
  try {
    handle = await open(file, READ_FLAGS)
  } catch (error) {
    throw await openError(file, error)
  }
  try {
    return await use(handle)
  } catch (error) {
    throw await asSafeReadError(file, error)
  } finally {
    await handle.close().catch(() => undefined)
  }
}

/** Reads a whole regular file (links followed) of at most `maxBytes`; throws SafeReadError otherwise. */
export function readRegularFile(file: string, limits: ReadLimits): Promise<Buffer> {
  return withReadHandle(file, (handle) => readHandle(file, handle, limits))
}

/** readRegularFile as UTF-8 text. */
export async function readRegularText(file: string, maxBytes: number): Promise<string> {
  return (await readRegularFile(file, { maxBytes })).toString('utf8')
}

/** Calls `onChunk` for each chunk of a regular file of at most `maxBytes` (e.g. to hash it). */
export async function streamRegularFile(
  file: string,
  maxBytes: number,
  onChunk: (chunk: Buffer) => void
): Promise<number> {
  return withReadHandle(file, async (handle) => {
    const info = await handle.stat()
    if (!info.isFile()) throw notRegular(file, info)
    if (info.size > maxBytes) throw tooLarge(file, info.size, maxBytes)
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
    let total = 0
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null)
      if (bytesRead === 0) return total
      total += bytesRead
      if (total > maxBytes) throw tooLarge(file, null, maxBytes)
      onChunk(chunk.subarray(0, bytesRead))
    }
  })
}

/**
 * The synchronous head of a file for hot loops where promise-based handles cost more than the work (image
 * import): opened with O_NONBLOCK, so a FIFO answers at once, then type- and size-checked on the descriptor.
 * Returns up to `headBytes` bytes and the file's size; the caller reads the rest with readRegularFile.
 */
export function readRegularHeadSync(
  file: string,
  headBytes: number,
  maxBytes: number
): { head: Buffer; size: number } {
  let fd: number
  try {
    fd = openSync(file, READ_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const link = code === 'ENOENT' ? lstatSync(file, { throwIfNoEntry: false }) : undefined
    throw errnoError(file, error, link?.isSymbolicLink() ?? false)
  }
  try {
    const info = fstatSync(fd)
    if (!info.isFile()) throw notRegular(file, info)
    if (info.size > maxBytes) throw tooLarge(file, info.size, maxBytes)
    let head = Buffer.allocUnsafe(Math.min(info.size, headBytes))
    let filled = 0
    while (filled < head.length) {
      const read = readSync(fd, head, filled, head.length - filled, filled)
      if (read === 0) break
      filled += read
    }
    head = head.subarray(0, filled)
    return { head, size: info.size }
  } finally {
    closeSync(fd)
  }
}
