/**
 * Recursive listing of an import folder. Every regular file is a candidate (the decoder decides by content
 * whether it is an image, so `scan001` without an extension works and `notes.png` full of text is reported);
 * hidden files and folders (name starting with '.') are system clutter and are left out silently; symbolic
 * links to folders are not followed (they can form loops).
 */
import type { Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { SkippedFile } from '../../shared/schemas/import'
import { describeFileType } from '../fs/safe-read'
import { ImportError } from './errors'

export interface ScannedFolder {
  /** Paths relative to the root, with '/', in natural order (2 before 10). */
  files: string[]
  skipped: SkippedFile[]
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare

export async function scanFolder(
  root: string,
  maxFiles: number,
  signal?: AbortSignal
): Promise<ScannedFolder> {
  const files: string[] = []
  const skipped: SkippedFile[] = []
  const visit = async (relative: string): Promise<void> => {
    if (signal?.aborted) return
    let entries: Dirent[]
    try {
      entries = await readdir(join(root, relative), { withFileTypes: true })
    } catch (error) {
      if (relative === '') throw error
      skipped.push({ file: `${relative}/`, reason: `folder could not be read (${errorText(error)})` })
      return
    }
    entries.sort((a, b) => naturalOrder(a.name, b.name))
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`
      let isDirectory = entry.isDirectory()
      let isFile = entry.isFile()
      if (entry.isSymbolicLink()) {
        const target = await stat(join(root, path)).catch(() => null)
        if (target?.isDirectory()) {
          skipped.push({ file: `${path}/`, reason: 'symbolic link to a folder (not followed)' })
          continue
        }
        isDirectory = false
        isFile = target?.isFile() ?? false
        if (!isFile) {
          const reason = target ? `symbolic link to ${describeFileType(target)}` : 'broken symbolic link'
          skipped.push({ file: path, reason })
          continue
        }
      }
      if (isDirectory) await visit(path)
      else if (isFile) {
        files.push(path)
        if (files.length > maxFiles) {
          throw new ImportError(
            'too-many-files',
            root,
            `${root}: more than ${maxFiles} files; choose a smaller folder`
          )
        }
      } else skipped.push({ file: path, reason: 'not a regular file' })
    }
  }
  try {
    await visit('')
  } catch (error) {
    if (error instanceof ImportError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT')
      throw new ImportError('not-found', root, `${root}: folder not found`, { cause: error })
    if (code === 'ENOTDIR')
      throw new ImportError('not-a-folder', root, `${root}: not a folder`, { cause: error })
    throw new ImportError('unreadable', root, `${root}: cannot read the folder (${errorText(error)})`, {
      cause: error
    })
  }
  return { files, skipped }
}

export function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return 'deleted or moved during the import'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  return error instanceof Error ? error.message : String(error)
}
