/**
 * One error vocabulary: every kind of error a core module (or the operating system) throws maps explicitly to one
 * contract code. The tables are complete by type (a new core code is a compile error here until it is mapped), and
 * test/unit/main/error-codes.test.ts checks every entry at run time.
 */
import { DATA_ERROR_CODES, type DataErrorCode } from '../../core/data/errors'
import { IMAGE_ERROR_CODES, type ImageErrorCode } from '../../core/preprocess/errors'
import { IMPORT_ERROR_CODES, type ImportErrorCode } from '../../core/import/errors'
import { MODEL_ERROR_CODES, type ModelErrorCode } from '../../core/models/errors'
import { PERSONAL_ERROR_CODES, type PersonalErrorCode } from '../../core/personal/store'
import type { ErrorCode, MessageKey } from '../../shared/names'

export const DATA_ERRORS: Record<DataErrorCode, ErrorCode> = {
  'not-found': 'not-found',
  unreadable: 'io',
  'not-gzip': 'bad-input',
  'bad-gzip': 'bad-input',
  'bad-magic': 'bad-input',
  'bad-dimensions': 'bad-input',
  'bad-length': 'bad-input',
  mismatch: 'bad-input',
  checksum: 'bad-input',
  'download-failed': 'unavailable'
}

export const MODEL_ERRORS: Record<ModelErrorCode, ErrorCode> = {
  'not-found': 'not-found',
  'bad-model': 'bad-input',
  'read-only': 'conflict',
  'bad-id': 'bad-request',
  conflict: 'conflict',
  io: 'io',
  'not-a-model': 'bad-input'
}

export const IMAGE_ERRORS: Record<ImageErrorCode, ErrorCode> = {
  'not-found': 'not-found',
  'empty-file': 'bad-input',
  'file-too-large': 'bad-input',
  'too-many-pixels': 'bad-input',
  'unsupported-format': 'bad-input',
  corrupt: 'bad-input',
  unreadable: 'io'
}

export const IMPORT_ERRORS: Record<ImportErrorCode, ErrorCode> = {
  'not-found': 'not-found',
  'not-a-folder': 'bad-input',
  unreadable: 'io',
  'too-many-files': 'bad-input',
  cancelled: 'cancelled'
}

export const PERSONAL_ERRORS: Record<PersonalErrorCode, ErrorCode> = {
  'not-found': 'not-found',
  'bad-sample': 'bad-request',
  io: 'io'
}

export const EXPORT_ERRORS: Record<'no-labels', ErrorCode> = { 'no-labels': 'bad-input' }

export const PATH_ERRORS: Record<'relative-path', ErrorCode> = { 'relative-path': 'bad-input' }

/** Core error classes by their `name`, with their codes (all of them, for the test) and their mapping. */
export const CORE_ERRORS: Record<string, { codes: readonly string[]; map: Record<string, ErrorCode> }> = {
  DataFileError: { codes: DATA_ERROR_CODES, map: DATA_ERRORS },
  ModelError: { codes: MODEL_ERROR_CODES, map: MODEL_ERRORS },
  ImageDecodeError: { codes: IMAGE_ERROR_CODES, map: IMAGE_ERRORS },
  ImportError: { codes: IMPORT_ERROR_CODES, map: IMPORT_ERRORS },
  ExportError: { codes: Object.keys(EXPORT_ERRORS), map: EXPORT_ERRORS },
  RelativePathError: { codes: Object.keys(PATH_ERRORS), map: PATH_ERRORS },
  PersonalError: { codes: PERSONAL_ERROR_CODES, map: PERSONAL_ERRORS }
}

/** Core errors that have a translated message of their own, by class and code; `file` is the parameter. */
const MESSAGE_KEYS_BY_ERROR: Record<string, Record<string, { key: MessageKey; param: string }>> = {
  ModelError: { 'not-a-model': { key: 'notAModel', param: 'folder' } },
  ImportError: { 'not-found': { key: 'folderNotFound', param: 'folder' } }
}

/** The translated message of a core error, when it has one. */
export function messageKeyOf(error: unknown): { key: MessageKey; params: Record<string, string> } | null {
  const { name, code, file } = (error ?? {}) as { name?: unknown; code?: unknown; file?: unknown }
  if (typeof name !== 'string' || typeof code !== 'string') return null
  const entry = MESSAGE_KEYS_BY_ERROR[name]?.[code]
  if (!entry) return null
  return { key: entry.key, params: { [entry.param]: typeof file === 'string' ? file : '' } }
}

/** Node's system error codes: a missing path is not-found; the disk or permissions refusing is io. */
export const SYSTEM_ERRORS: Record<string, ErrorCode> = {
  ENOENT: 'not-found',
  EACCES: 'io',
  EPERM: 'io',
  EROFS: 'io',
  ENOSPC: 'io',
  EDQUOT: 'io',
  ENOTDIR: 'io',
  EEXIST: 'io',
  EISDIR: 'io',
  EBUSY: 'io',
  EMFILE: 'io',
  ENFILE: 'io',
  EIO: 'io',
  ENOTEMPTY: 'io',
  EXDEV: 'io',
  ENAMETOOLONG: 'io',
  ELOOP: 'io',
  ENOTFOUND: 'unavailable',
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ETIMEDOUT: 'unavailable',
  EAI_AGAIN: 'unavailable'
}

/** The contract code of any thrown value: a core error by class, a system error by errno code, else internal. */
export function contractCode(error: unknown): ErrorCode {
  const known = error as { code?: unknown; name?: unknown } | null
  const code = typeof known?.code === 'string' ? known.code : null
  const name = typeof known?.name === 'string' ? known.name : ''
  if (name === 'AbortError') return 'cancelled'
  const core = CORE_ERRORS[name]
  if (core && code !== null && Object.prototype.hasOwnProperty.call(core.map, code)) return core.map[code]
  if (code !== null && Object.prototype.hasOwnProperty.call(SYSTEM_ERRORS, code)) return SYSTEM_ERRORS[code]
  return 'internal'
}
