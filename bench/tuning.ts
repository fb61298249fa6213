/**
 * Teaching a model someone's handwriting (issue 11's tuning target): usps-600 split by file order within each
 * digit, the first 30 of each digit taught with `tuneModel` (what `digit-studio tune` and "Teach" run), the last
 * 30 measured before → after, with MNIST's test set, per shipped model and seed.
 * `npm run bench` includes it; alone: `npx tsx bench/tuning.ts [--seeds 1,2,3] [MODEL_DIR…]` → one JSON document.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { selectBackend } from '../src/core/backend'
import { loadMnist } from '../src/core/data/mnist'
import { readModelFolder } from '../src/core/models'
import { labelledForms, type LabelledForm } from '../src/core/personal/folder'
import { accuracyOf, asDigitSet, tuneModel } from '../src/core/personal/tune'
import type { Hyperparameters } from '../src/shared/schemas/training'
import { shippedModelDirs } from './models'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const USPS = path.resolve(root, '..', 'shared', 'data', 'usps-600')
const MNIST = path.resolve(root, '..', 'shared', 'data', 'mnist')

/** The first `half` forms of each digit in file order, and the rest. */
export function splitByFileOrder(
  forms: LabelledForm[],
  half: number
): { first: LabelledForm[]; last: LabelledForm[] } {
  const byDigit = new Map<number, LabelledForm[]>()
  for (const form of forms) byDigit.set(form.label, [...(byDigit.get(form.label) ?? []), form])
  const first: LabelledForm[] = []
  const last: LabelledForm[] = []
  for (const digit of [...byDigit.keys()].sort()) {
    const sorted = (byDigit.get(digit) ?? []).sort((a, b) =>
      a.file.localeCompare(b.file, 'en', { numeric: true })
    )
    first.push(...sorted.slice(0, half))
    last.push(...sorted.slice(half))
  }
  return { first, last }
}

const asBytes = (pixels: Float32Array) => Uint8Array.from(pixels, (v) => Math.round(v * 255))
const asSamples = (forms: LabelledForm[]) =>
  forms.map((f, i) => ({ id: String(i), label: f.label, bytes: asBytes(f.pixels) }))

export async function benchTuning(
  dirs = shippedModelDirs(),
  seeds = [1],
  hyperparameters: Partial<Hyperparameters> = {}
): Promise<Record<string, unknown>[]> {
  const backend = await selectBackend('auto')
  const mnist = await loadMnist(MNIST)
  const { forms } = await labelledForms(USPS)
  const { first, last } = splitByFileOrder(forms, 30)
  const lastSet = asDigitSet(asSamples(last))
  const samples = asSamples(first)
  const out: Record<string, unknown>[] = []
  for (const dir of dirs) {
    const base = await readModelFolder(dir)
    const lastBefore = accuracyOf(base.weights, lastSet)
    for (const seed of seeds) {
      const folder = mkdtempSync(path.join(tmpdir(), 'digit-studio-tune-'))
      try {
        const started = performance.now()
        const { report } = await tuneModel({
          base: { id: base.metadata.id, ...base },
          samples,
          mnist,
          seed,
          hyperparameters,
          outFolder: path.join(folder, 'tuned'),
          backend: backend.name
        })
        const tuned = await readModelFolder(path.join(folder, 'tuned'))
        out.push({
          model: base.metadata.id,
          seed,
          taught: `usps-600 first 30 of each digit (${report.trainSamples} taught, ${report.heldOutSamples} held out)`,
          measured: `usps-600 last 30 of each digit (${last.length})`,
          lastHalf: { before: lastBefore, after: accuracyOf(tuned.weights, lastSet) },
          heldOutOfFirstHalf: { before: report.before.heldOut, after: report.after.heldOut },
          mnistTest: { before: report.before.mnistTest, after: report.after.mnistTest },
          epochs: report.epochs,
          seconds: (performance.now() - started) / 1000
        })
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    }
  }
  return out
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { seeds: { type: 'string', default: '1' } }
  })
  const seeds = values.seeds.split(',').map(Number)
  const dirs = positionals.length > 0 ? positionals.map((d) => path.resolve(d)) : undefined
  benchTuning(dirs, seeds)
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
      process.exitCode = 1
    })
}
