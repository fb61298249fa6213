/**
 * A process killed mid-save leaves the previous model loadable. A child process saves version after version of
 * a model into one library slot (save-child.ts) and is killed with SIGKILL at a random moment; a fresh
 * ModelStore then loads the slot, which must hold either the last version the child reported saved or the one
 * it was writing, with exactly that version's weights and predictions.
 */
import { spawn } from 'node:child_process'
import { cpSync, readdirSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/core/backend'
import { ModelStore, runnerModel } from '../../../src/core/models'
import { seededRandom } from '../../support/mnist-sample'
import { modelVersion, SLOT } from './saved-versions'
import { REPO_ROOT, SEED, countFromEnv, recordFigures, tempDir } from './support'
import { paramArrays } from '../../../src/core/model/weights'

const KILLS = countFromEnv('HARDENING_KILLS', 10)
/** Each save takes ~20 ms: a delay up to this lands anywhere in the first few saves of a child. */
const MAX_KILL_DELAY_MS = 150
const CHILD = fileURLToPath(new URL('./save-child.ts', import.meta.url))
/** Each child numbers its versions from its own block, so a version says which child wrote it. */
const BLOCK = 100_000

const dir = tempDir('kill-mid-save')
const random = seededRandom(SEED)
const probe = Float32Array.from({ length: 3 * 784 }, (_, i) => ((i * 7919) % 256) / 255)

beforeAll(async () => {
  await selectBackend('cpu')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface SavingChild {
  ready: Promise<void>
  /** Lets the child save, kills it `delayMs` later; resolves with the versions it reported saved. */
  runAndKill(delayMs: number): Promise<number[]>
}

/** Starts a saving child that loads and warms up, then waits (so the next one can load during a check). */
function startSavingChild(first: number): SavingChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(first)], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const saved: number[] = []
  let buffered = ''
  let stderr = ''
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => (markReady = resolve))
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      if (line === 'ready') markReady()
      else if (line.startsWith('saved ')) saved.push(Number(line.slice(6)))
    }
  })
  const exited = new Promise<number[]>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(saved)
      else reject(new Error(`save child ended with code ${code}, signal ${signal}: ${stderr}`))
    })
  })
  return {
    ready,
    async runAndKill(delayMs) {
      await ready
      child.stdin.write('go\n')
      setTimeout(() => child.kill('SIGKILL'), delayMs)
      return exited
    }
  }
}

const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

async function predictions(weights: Parameters<typeof runnerModel>[2]): Promise<Float32Array> {
  const model = runnerModel('probe', modelVersion(0).metadata, weights)
  try {
    return await model.predict(probe, 3)
  } finally {
    model.dispose()
  }
}

describe('a process killed mid-save', () => {
  it(`${KILLS} SIGKILLs at random moments each leave the old or the new model, loadable and exact`, async () => {
    const initial = modelVersion(0)
    await new ModelStore({ dir }).save(SLOT, initial.weights, initial.metadata)
    let current = 0
    const outcomes = { old: 0, new: 0, savesCompleted: 0 }
    let leftovers = 0
    let next = startSavingChild(BLOCK)
    for (let kill = 1; kill <= KILLS; kill++) {
      const first = kill * BLOCK
      const saved = await next.runAndKill(Math.floor(random() * MAX_KILL_DELAY_MS))
      if (kill < KILLS) next = startSavingChild((kill + 1) * BLOCK)
      outcomes.savesCompleted += saved.length
      const lastSaved = saved.length ? saved[saved.length - 1] : current
      const inProgress = saved.length ? lastSaved + 1 : first

      const store = new ModelStore({ dir })
      const { metadata, weights } = await store.read(SLOT)
      const version = metadata.epochsCompleted
      expect([lastSaved, inProgress], `after kill ${kill}`).toContain(version)
      outcomes[version === lastSaved ? 'old' : 'new']++
      const expected = modelVersion(version)
      const expectedParams = paramArrays(expected.weights)
      paramArrays(weights).forEach((param, i) => {
        expect(bytesOf(param.values).equals(bytesOf(expectedParams[i].values))).toBe(true)
      })
      const loaded = await store.load(SLOT)
      expect(Array.from(await loaded.predict(probe, 3))).toEqual(
        Array.from(await predictions(expected.weights))
      )
      loaded.dispose()
      expect((await store.list()).map((m) => m.id)).toContain(SLOT)
      current = version
      leftovers = readdirSync(dir).filter((name) => name.startsWith('.')).length
    }
    recordFigures('kill-mid-save', { killsSurvived: KILLS, ...outcomes, leftoverHiddenFolders: leftovers })
  })

  // Bug (src/core/models/format.ts, engine-owned): a kill after the new folder is renamed into place but before
  // the old one is removed leaves `.<id>.old-<tag>`; a kill inside the writing leaves `.<id>.tmp-<tag>`. Nothing
  // ever removes them (disk leak), and a stale `.old-` is worse: if a later save is killed between its two
  // renames, recoverModelFolder restores the *first* `.old-` readdir returns, which may be that stale, older
  // version instead of the one just replaced. Fix: after a successful save, remove every `.<id>.old-*` and
  // `.<id>.tmp-*`; in recovery, restore the newest `.old-` (by mtime). Flip to `it` once fixed.
  it('a save after an interrupted one cleans up the leftovers of the interrupted one', async () => {
    const library = tempDir('kill-leftovers')
    const store = new ModelStore({ dir: library })
    const v1 = modelVersion(1)
    const v2 = modelVersion(2)
    await store.save(SLOT, v1.weights, v1.metadata)
    // What a SIGKILL leaves at the two points: between the final renames and rm(old), and while writing.
    cpSync(path.join(library, SLOT), path.join(library, `.${SLOT}.old-000000000000`), { recursive: true })
    cpSync(path.join(library, SLOT), path.join(library, `.${SLOT}.tmp-000000000000`), { recursive: true })
    await store.save(SLOT, v2.weights, v2.metadata)
    // Then a kill between the two renames of a third save: the slot is missing and v2 sits in an .old- folder.
    renameSync(path.join(library, SLOT), path.join(library, `.${SLOT}.old-ffffffffffff`))
    try {
      expect(readdirSync(library).filter((name) => name.startsWith(`.${SLOT}.tmp-`))).toEqual([])
      expect((await store.read(SLOT)).metadata.epochsCompleted).toBe(2)
    } finally {
      rmSync(library, { recursive: true, force: true })
    }
  })
})
