/**
 * Files swapped for things that are not regular files (issue 13, items 3, 7, 11 and 14): named pipes (FIFOs)
 * with no writer, links to /dev/zero and /dev/urandom, folders, sparse 8 GB files, link loops, broken links and
 * NaN weights, in every file the app reads (weights.bin, model.json, metadata.json, settings.json, images,
 * MNIST). Each read must end in a clear error naming the file, within a second, without growing the process,
 * and without blocking the event loop; four FIFOs at once must not starve the thread pool. A pipe that would
 * block is unblocked by a side process after 3 s, so a regression fails on time instead of hanging the run.
 * Then HARDENING_HOSTILE_FILES random (file, kind) pairs.
 */
import fc from 'fast-check'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/core/backend'
import { mnistStatus, readIdx } from '../../../src/core/data'
import { ModelStore, writeModelFolder } from '../../../src/core/models'
import { decodeImageFile } from '../../../src/core/preprocess'
import { SettingsStore } from '../../../src/main/services/settings'
import { modelVersion } from './saved-versions'
import { countFromEnv, mib, recordFigures, SEED, tempDir } from './support'

const RUNS = countFromEnv('HARDENING_HOSTILE_FILES', 40)
const linux = process.platform === 'linux'
const root = tempDir('hostile-files')
const unblockers: ChildProcess[] = []

type Kind = 'fifo' | 'dev-zero' | 'dev-urandom' | 'folder' | 'sparse-8g' | 'loop' | 'broken-link'
const KINDS: Kind[] = ['fifo', 'dev-zero', 'dev-urandom', 'folder', 'sparse-8g', 'loop', 'broken-link']

/** Replaces `file` with something hostile of `kind`. */
function plant(file: string, kind: Kind): void {
  rmSync(file, { recursive: true, force: true })
  if (kind === 'fifo') {
    execFileSync('mkfifo', [file])
    // Opens the pipe for writing after 3 s: a reader that blocked on it is released then (and fails the
    // time limit), one that refused it leaves this process waiting until afterAll kills it.
    const child = spawn('sh', ['-c', `sleep 3; exec 3>"$0"; sleep 1`, file], { stdio: 'ignore' })
    child.on('error', () => undefined)
    unblockers.push(child)
  } else if (kind === 'dev-zero') symlinkSync('/dev/zero', file)
  else if (kind === 'dev-urandom') symlinkSync('/dev/urandom', file)
  else if (kind === 'folder') mkdirSync(file)
  else if (kind === 'sparse-8g') {
    writeFileSync(file, '')
    truncateSync(file, 8 * 1024 ** 3)
  } else if (kind === 'loop') symlinkSync(path.basename(file), file)
  else symlinkSync(path.join(root, 'nothing-here'), file)
}

/** Runs `read`, and resolves with its error message, how long it took and the worst event-loop stall. */
async function refused(
  read: () => Promise<unknown>
): Promise<{ message: string; ms: number; stallMs: number }> {
  let last = performance.now()
  let stallMs = 0
  const ticker = setInterval(() => {
    const now = performance.now()
    stallMs = Math.max(stallMs, now - last)
    last = now
  }, 10)
  const started = performance.now()
  const outcome = await read().then(
    () => 'no error',
    (error: Error) => error.message
  )
  const ms = performance.now() - started
  clearInterval(ticker)
  stallMs = Math.max(stallMs, performance.now() - last)
  return { message: outcome, ms, stallMs }
}

let store: ModelStore
const slowest = { ms: 0, stallMs: 0 }
const figures: Record<string, string> = {}

function expectClear(result: { message: string; ms: number; stallMs: number }, file: string): void {
  expect(result.message).not.toBe('no error')
  expect(result.message).toContain(file)
  expect(result.ms).toBeLessThan(1000)
  expect(result.stallMs).toBeLessThan(500)
  slowest.ms = Math.max(slowest.ms, result.ms)
  slowest.stallMs = Math.max(slowest.stallMs, result.stallMs)
}

async function freshModel(id: string): Promise<string> {
  const v = modelVersion(1)
  await store.save(id, v.weights, v.metadata)
  return store.folderOf(id)
}

beforeAll(async () => {
  await selectBackend('cpu')
  store = new ModelStore({ dir: path.join(root, 'models') })
})
afterAll(() => {
  for (const child of unblockers) child.kill('SIGKILL')
  recordFigures('hostile-files', {
    randomCases: RUNS,
    slowestRefusalMs: Math.round(slowest.ms),
    worstEventLoopStallMs: Math.round(slowest.stallMs),
    messages: figures
  })
  rmSync(root, { recursive: true, force: true })
})

describe.runIf(linux)('model files that are not regular files', () => {
  it.each(['fifo', 'dev-zero', 'sparse-8g'] as Kind[])(
    'weights.bin as %s is refused at once, naming the file',
    async (kind) => {
      const folder = await freshModel(`weights-${kind}`)
      const file = path.join(folder, 'weights.bin')
      plant(file, kind)
      const rss = process.memoryUsage.rss()
      const result = await refused(() => store.load(`weights-${kind}`))
      expectClear(result, file)
      expect(mib(process.memoryUsage.rss() - rss)).toBeLessThan(64)
      figures[`weights.bin as ${kind}`] = result.message
    }
  )

  it('four FIFOs at once do not starve the thread pool: models.list and settings still answer', async () => {
    for (let i = 0; i < 4; i++) plant(path.join(await freshModel(`pipe-${i}`), 'metadata.json'), 'fifo')
    const loads = [0, 1, 2, 3].map((i) => refused(() => store.load(`pipe-${i}`)))
    const listed = await refused(async () => {
      const ids = (await store.list()).map((m) => m.id)
      throw new Error(`${root} listed ${ids.length}`)
    })
    expect(listed.ms).toBeLessThan(1000)
    const settingsFile = path.join(root, 'settings', 'settings.json')
    mkdirSync(path.dirname(settingsFile))
    plant(settingsFile, 'fifo')
    const settings = await refused(async () => {
      const value = await new SettingsStore(path.dirname(settingsFile)).get()
      throw new Error(`${settingsFile}: defaults ${value.theme}`)
    })
    expect(settings.ms).toBeLessThan(1000)
    for (const result of await Promise.all(loads)) expect(result.message).toMatch(/named pipe/)
  })

  it('a 10 MB model name (metadata.json over its cap) is not listed or sent', async () => {
    const folder = await freshModel('huge-name')
    const metadata = JSON.parse(readFileSync(path.join(folder, 'metadata.json'), 'utf8'))
    writeFileSync(path.join(folder, 'metadata.json'), JSON.stringify({ ...metadata, name: 'x'.repeat(10e6) }))
    expect((await store.list()).some((m) => m.id === 'huge-name')).toBe(false)
    await expect(store.load('huge-name')).rejects.toThrow(/over the limit/)
  })

  it('NaN or infinite weights are refused when loading (naming weights.bin) and when saving', async () => {
    const folder = await freshModel('nan')
    const file = path.join(folder, 'weights.bin')
    const bytes = readFileSync(file)
    bytes.writeFloatLE(Number.NaN, 4 * 1000)
    writeFileSync(file, bytes)
    const error = await store.load('nan').catch((e: Error) => e)
    expect(error).toMatchObject({ code: 'bad-model', file })
    expect((error as Error).message).toMatch(/weight 1000 is NaN, not a finite number/)
    figures['NaN weight'] = (error as Error).message
    const v = modelVersion(2)
    v.weights[1].bias[3] = Number.POSITIVE_INFINITY
    await expect(writeModelFolder(path.join(root, 'inf'), v.weights, v.metadata)).rejects.toThrow(
      /NaN or infinite/
    )
  })
})

describe.runIf(linux)('images, settings and MNIST that are not regular files', () => {
  it.each(['fifo', 'dev-zero', 'folder', 'loop'] as Kind[])(
    'an image swapped for %s is refused without blocking the event loop',
    async (kind) => {
      const file = path.join(root, `image-${kind}.png`)
      plant(file, kind)
      const result = await refused(() => decodeImageFile(file))
      expectClear(result, file)
      figures[`image as ${kind}`] = result.message
    }
  )

  it.each(['fifo', 'dev-zero', 'sparse-8g'] as Kind[])('an MNIST file as %s is refused', async (kind) => {
    const file = path.join(root, `idx-${kind}-ubyte`)
    plant(file, kind)
    expectClear(await refused(() => readIdx(file)), file)
  })

  it('mnist.status on a folder of /dev/zero links answers at once', async () => {
    const folder = path.join(root, 'zero-mnist')
    mkdirSync(folder)
    for (const name of [
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz'
    ])
      symlinkSync('/dev/zero', path.join(folder, name))
    const started = performance.now()
    const status = await mnistStatus(folder)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(status.available).toBe(false)
    expect(status.message).toMatch(/character device/)
    figures['mnist.status on /dev/zero links'] = status.message ?? ''
  })
})

describe.runIf(linux)('random hostile files', () => {
  it(`refuses ${RUNS} random (file, kind) pairs clearly and quickly`, async () => {
    const targets = ['weights.bin', 'model.json', 'metadata.json', 'image', 'idx'] as const
    const counts: Record<string, number> = {}
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.constantFrom(...KINDS), async (target, kind) => {
        const id = `random-${n++}`
        let file: string
        let read: () => Promise<unknown>
        if (target === 'image' || target === 'idx') {
          file = path.join(root, `${id}.${target}`)
          read = target === 'image' ? () => decodeImageFile(file) : () => readIdx(file)
        } else {
          file = path.join(await freshModel(id), target)
          read = () => store.load(id)
        }
        plant(file, kind)
        const result = await refused(read)
        expectClear(result, file)
        counts[`${target}/${kind}`] = (counts[`${target}/${kind}`] ?? 0) + 1
      }),
      { numRuns: RUNS, seed: SEED }
    )
    // A regular copy of a good model next to them still loads.
    const good = await freshModel('still-good')
    copyFileSync(path.join(good, 'weights.bin'), path.join(root, 'copy.bin'))
    await expect(store.load('still-good')).resolves.toBeTruthy()
    recordFigures('hostile-files', { randomPairs: counts })
  })
})
