import { mkdtempSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  RelativePathError,
  appRoot,
  checkUserPath,
  defaultMnist,
  expandHome,
  resolveUserPath
} from '../../../src/core/paths'

const saved = process.env.DIGIT_STUDIO_MNIST
afterEach(() => {
  if (saved === undefined) delete process.env.DIGIT_STUDIO_MNIST
  else process.env.DIGIT_STUDIO_MNIST = saved
})

describe('user paths', () => {
  it('expands ~ and ~/x to the home folder, leaves other paths alone', () => {
    expect(expandHome('~')).toBe(homedir())
    expect(expandHome('~/scans')).toBe(path.join(homedir(), 'scans'))
    expect(expandHome('/data/~x')).toBe('/data/~x')
    expect(expandHome('~other/x')).toBe('~other/x')
  })

  it('accepts absolute and ~ paths from the UI, refuses relative ones with the full path meant', () => {
    expect(checkUserPath('~/mnist')).toBe(path.join(homedir(), 'mnist'))
    expect(checkUserPath('/srv/data/../mnist')).toBe('/srv/mnist')
    for (const relative of ['mnist', './mnist', '../shared/data/mnist']) {
      const error = (() => {
        try {
          checkUserPath(relative)
          return null
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(RelativePathError)
      expect((error as Error).message).toContain('relative path')
      expect((error as Error).message).toContain(path.join(homedir(), relative))
    }
  })

  it('resolves command-line paths like a shell (against the current folder), ~ expanded', () => {
    expect(resolveUserPath('x')).toBe(path.resolve('x'))
    expect(resolveUserPath('~/x')).toBe(path.join(homedir(), 'x'))
  })
})

describe('the one MNIST default', () => {
  it('is DIGIT_STUDIO_MNIST first (with ~ expanded)', () => {
    process.env.DIGIT_STUDIO_MNIST = '~/my-mnist'
    expect(defaultMnist('/data')).toEqual({ folder: path.join(homedir(), 'my-mnist'), source: 'env' })
  })

  it('else ../shared/data/mnist beside the checkout when it exists, else the cache in the data folder', () => {
    delete process.env.DIGIT_STUDIO_MNIST
    const dataDir = mkdtempSync(path.join(tmpdir(), 'digit-paths-'))
    const result = defaultMnist(dataDir)
    const checkout = path.resolve(appRoot(), '..', 'shared', 'data', 'mnist')
    if (result.source === 'checkout') expect(result.folder).toBe(checkout)
    else expect(result).toEqual({ folder: path.join(dataDir, 'mnist'), source: 'cache' })
  })

  it('is the same in the CLI', async () => {
    process.env.DIGIT_STUDIO_MNIST = '/somewhere/mnist'
    const { defaultMnistDir } = await import('../../../src/cli/defaults')
    expect(defaultMnistDir()).toBe(defaultMnist().folder)
  })
})
