/**
 * Writing a model only ever replaces a Digit Studio model folder (issue 13, items 2 and 8): `train --out` on a
 * folder of other files, on a file, on a symbolic link or on `.` is refused before training starts and touches
 * nothing; `models.export` into a folder of other files writes a new sub-folder; a library id is reserved
 * when it is handed out, so two saves under the same name never replace each other. HARDENING_TARGETS random
 * folder contents are tried against the rule.
 */
import fc from 'fast-check'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/index'
import { selectBackend } from '../../../src/core/backend'
import { ModelStore, readMetadata, writeModelFolder } from '../../../src/core/models'
import { modelVersion } from './saved-versions'
import { countFromEnv, recordFigures, SEED, tempDir } from './support'

const RUNS = countFromEnv('HARDENING_TARGETS', 40)
const root = tempDir('model-targets')

beforeAll(async () => {
  await selectBackend('cpu')
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

function folderWith(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name)
  mkdirSync(dir, { recursive: true })
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content)
  return dir
}

/** The regular files of a folder and their contents. */
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => [entry.name, readFileSync(path.join(dir, entry.name), 'utf8')])
  )

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = ''
  const code = await main(args, {
    stdout: () => undefined,
    stderr: (text) => void (stderr += text),
    isTTY: false
  })
  return { code, stderr }
}

describe('train --out', () => {
  it('refuses a folder of other files before training, and leaves them alone', async () => {
    const dir = folderWith('documents', { 'thesis.tex': 'years of work', 'model.json': '{}' })
    const before = snapshot(dir)
    const { code, stderr } = await cli(['train', '--out', dir, '--mnist', path.join(root, 'no-mnist')])
    expect(code).toBe(1)
    expect(stderr).toContain(dir)
    expect(stderr).toMatch(/not a model's \(thesis\.tex\)/)
    expect(stderr).not.toMatch(/MNIST|no-mnist/)
    expect(snapshot(dir)).toEqual(before)
  })

  it('refuses `.` (the current folder), a file and a symbolic link', async () => {
    const cwd = folderWith('cwd', { 'notes.txt': 'keep me' })
    const previous = process.cwd()
    process.chdir(cwd)
    try {
      expect((await cli(['train', '--out', '.', '--mnist', 'nowhere'])).code).toBe(1)
    } finally {
      process.chdir(previous)
    }
    expect(snapshot(cwd)).toEqual({ 'notes.txt': 'keep me' })
    const file = path.join(root, 'a-file')
    writeFileSync(file, 'data')
    const fileRun = await cli(['train', '--out', file, '--mnist', 'nowhere'])
    expect(fileRun.code).toBe(1)
    expect(fileRun.stderr).toMatch(/a regular file|not a regular file|it is/)
    expect(readFileSync(file, 'utf8')).toBe('data')
    const link = path.join(root, 'a-link')
    symlinkSync(cwd, link)
    expect((await cli(['train', '--out', link, '--mnist', 'nowhere'])).stderr).toMatch(/symbolic link/)
    expect(snapshot(cwd)).toEqual({ 'notes.txt': 'keep me' })
  })

  it.runIf(process.platform === 'linux')('refuses a device', async () => {
    const { code, stderr } = await cli(['train', '--out', '/dev/null', '--mnist', 'nowhere'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/character device/)
  })
})

describe('writeModelFolder', () => {
  it('writes into a new or empty folder and replaces a model folder', async () => {
    const v1 = modelVersion(1)
    const v2 = modelVersion(2)
    const fresh = path.join(root, 'fresh', 'model')
    await writeModelFolder(fresh, v1.weights, v1.metadata)
    expect((await readMetadata(fresh)).name).toBe('version 1')
    await writeModelFolder(fresh, v2.weights, v2.metadata)
    expect((await readMetadata(fresh)).name).toBe('version 2')
    const empty = folderWith('empty', {})
    await writeModelFolder(empty, v1.weights, v1.metadata)
    expect((await readMetadata(empty)).name).toBe('version 1')
  })

  it(`keeps to the rule for ${RUNS} random folder contents`, async () => {
    const v = modelVersion(3)
    const names = fc.constantFrom('model.json', 'weights.bin', 'metadata.json', 'notes.txt', '.hidden', 'a')
    const outcomes = { written: 0, refused: 0 }
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(names, { maxLength: 4 }), fc.boolean(), async (files, validMeta) => {
        const dir = path.join(root, 'random', String(n++))
        mkdirSync(dir, { recursive: true })
        for (const file of files) writeFileSync(path.join(dir, file), 'x')
        if (validMeta && files.includes('metadata.json'))
          writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(modelVersion(9).metadata))
        const before = snapshot(dir)
        const ours =
          files.every((f) => ['model.json', 'weights.bin', 'metadata.json'].includes(f)) &&
          (files.length === 0 || (validMeta && files.includes('metadata.json')))
        const result = await writeModelFolder(dir, v.weights, v.metadata).then(
          () => 'written',
          (e: Error) => e.message
        )
        if (ours) {
          expect(result).toBe('written')
          outcomes.written++
        } else {
          expect(result).toMatch(/will not save a model here/)
          expect(snapshot(dir)).toEqual(before)
          outcomes.refused++
        }
      }),
      { numRuns: RUNS, seed: SEED }
    )
    recordFigures('model-targets', { randomFolders: RUNS, ...outcomes })
  })
})

describe('the model library', () => {
  it('exports into a sub-folder of a folder of other files, and into an existing export in place', async () => {
    const store = new ModelStore({ dir: path.join(root, 'library') })
    const v = modelVersion(4)
    await store.save('four', v.weights, v.metadata)
    const desktop = folderWith('desktop', { 'photo.jpg': 'a photo', 'weights.bin': 'not ours' })
    const before = snapshot(desktop)
    const written = await store.exportFolder('four', desktop)
    expect(written).toBe(path.join(desktop, 'four'))
    expect(snapshot(desktop)).toEqual(before)
    expect((await readMetadata(written)).name).toBe('version 4')
    expect(await store.exportFolder('four', written)).toBe(written)
    expect(existsSync(path.join(written, 'four'))).toBe(false)
  })

  it('reserves an id when it hands it out, so a later save under the same name gets another', async () => {
    const store = new ModelStore({ dir: path.join(root, 'reserve') })
    const training = await store.newId('My model')
    const imported = await store.newId('My model')
    expect(imported).not.toBe(training)
    const v = modelVersion(5)
    await store.save(imported, v.weights, { ...v.metadata, name: 'My model' })
    expect((await store.list()).map((m) => m.id)).toEqual([imported])
    await store.releaseId(training)
    expect(existsSync(store.folderOf(training))).toBe(false)
    expect(existsSync(store.folderOf(imported))).toBe(true)
  })
})
