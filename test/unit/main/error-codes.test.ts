import { describe, expect, it } from 'vitest'
import { DataFileError } from '../../../src/core/data'
import { ExportError } from '../../../src/core/export'
import { ImportError } from '../../../src/core/import'
import { ModelError } from '../../../src/core/models'
import { RelativePathError } from '../../../src/core/paths'
import { PersonalError } from '../../../src/core/personal/store'
import { ImageDecodeError } from '../../../src/core/preprocess'
import { CORE_ERRORS, SYSTEM_ERRORS, contractCode } from '../../../src/main/ipc/error-codes'
import { toCallError } from '../../../src/main/ipc/router'
import { ERROR_CODES } from '../../../src/shared/names'

/** One real instance of every core error class, for each of its codes. */
const makers: Record<string, (code: string) => Error> = {
  DataFileError: (code) => new DataFileError(code as never, 'train.gz', 'reason'),
  ModelError: (code) => new ModelError(code as never, 'model', 'reason'),
  ImageDecodeError: (code) => new ImageDecodeError(code as never, 'a.png', 'reason'),
  ImportError: (code) => new ImportError(code as never, '/scans', 'reason'),
  ExportError: (code) => new ExportError(code as never, 'x.csv', 'reason'),
  RelativePathError: () => new RelativePathError('scans'),
  PersonalError: (code) => new PersonalError(code as never, 'sample.json', 'reason')
}

describe('one error vocabulary', () => {
  it('has a maker for every core error class in the table', () => {
    expect(Object.keys(makers).sort()).toEqual(Object.keys(CORE_ERRORS).sort())
  })

  for (const [name, { codes, map }] of Object.entries(CORE_ERRORS)) {
    it(`maps every ${name} code explicitly to a contract code`, () => {
      expect(codes.length).toBeGreaterThan(0)
      for (const code of codes) {
        expect(Object.keys(map)).toContain(code)
        const error = makers[name](code)
        expect(error.name).toBe(name)
        const mapped = contractCode(error)
        expect(ERROR_CODES).toContain(mapped)
        // A core module's verdict is never reported as a bug.
        expect(mapped, `${name}.${code}`).not.toBe('internal')
        expect(mapped).toBe(map[code])
      }
    })
  }

  it('separates disk and permission problems (io) from unavailable services', () => {
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EEXIST', 'EISDIR'])
      expect(contractCode(Object.assign(new Error(code), { code }))).toBe('io')
    expect(contractCode(Object.assign(new Error('gone'), { code: 'ENOENT' }))).toBe('not-found')
    expect(contractCode(new ModelError('io', 'm', 'disk full'))).toBe('io')
    expect(contractCode(new DataFileError('download-failed', 'x', 'offline'))).toBe('unavailable')
    expect(Object.values(SYSTEM_ERRORS).every((code) => ERROR_CODES.includes(code))).toBe(true)
  })

  it('reports an unknown coded error as internal rather than guessing that the input was bad', () => {
    expect(contractCode(Object.assign(new Error('?'), { code: 'weird' }))).toBe('internal')
    expect(contractCode(new Error('plain'))).toBe('internal')
  })

  it('carries the translated message key of core errors that have one', () => {
    expect(toCallError(new RelativePathError('scans'))).toMatchObject({
      code: 'bad-input',
      key: 'relativePath',
      params: { path: 'scans' }
    })
  })
})
