/**
 * `npm run bench`: one JSON document with, per backend that loads, seconds per MNIST epoch and
 * samples/s (slow backends time a fraction of an epoch and extrapolate, marked `extrapolated`), test
 * accuracy, single-sample inference latency p50/p99 and peak RSS; PyTorch's same MLP on the same files in
 * the same run, and the ratios; model.fit on tfjs-node as the baseline the lean trainer replaces.
 * `tensorflow` trains with the graph step (many batches per native call), `tensorflow-lean` with the lean
 * step. `training` splits each backend's epoch into data preparation, compute and overhead against the
 * arithmetic floor; `load` says whether other work ran during each measurement (then ratios are not final).
 * The CNN per backend next to PyTorch's same CNN (bench/pytorch_cnn.py), accuracy per shipped model with the
 * "not sure" figures (bench/models.ts), writing styles MNIST lacks (bench/styles.ts), and teaching each shipped
 * model one half of usps-600 and reading the other half and the rest of the USPS test split, both ways, with the
 * nearest taught digits of each error and the same writers on both sides (bench/tuning.ts).
 * Flags: --quick, --epochs N, --backends a,b, --no-pytorch, --no-fit, --no-cnn, --no-models, --mnist DIR.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { loadSince, sample, type LoadReport } from './load'
import { trainingSummary } from './training-report'

const run = promisify(execFile)
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    epochs: { type: 'string' },
    backends: { type: 'string', default: 'tensorflow,tensorflow-lean,wasm,cpu' },
    'no-pytorch': { type: 'boolean', default: false },
    'no-fit': { type: 'boolean', default: false },
    'no-cnn': { type: 'boolean', default: false },
    'no-models': { type: 'boolean', default: false },
    mnist: { type: 'string', default: path.resolve(root, '..', 'shared', 'data', 'mnist') }
  }
})
const quick = values.quick
const epochs = Number(values.epochs ?? (quick ? 2 : 3))
/** Share of an epoch timed per backend (the rest is extrapolated). */
const FRACTION: Record<string, number> = { tensorflow: 1, wasm: quick ? 0.1 : 0.25, cpu: quick ? 0.02 : 0.05 }
const EPOCHS: Record<string, number> = { tensorflow: epochs, wasm: 2, cpu: 2 }
/** The CNN costs ~20× the MLP per image: a smaller share of an epoch is timed (2 epochs each, the second counts). */
const CNN_FRACTION: Record<string, number> = {
  tensorflow: quick ? 0.05 : 0.2,
  wasm: quick ? 0.01 : 0.03,
  cpu: 0.005
}

async function backendNumbers(
  name: string,
  fraction?: number,
  epochCount?: number
): Promise<Record<string, unknown>> {
  try {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(here, 'engine.ts'),
        name,
        String(fraction ?? FRACTION[name.replace(/-lean$/, '')] ?? 1),
        String(epochCount ?? EPOCHS[name.replace(/-lean$/, '')] ?? 1),
        values.mnist
      ],
      { cwd: root, maxBuffer: 1 << 24, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } }
    )
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}')
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error)
    return { backend: name, loaded: false, reason: stderr.trim().split('\n').pop() }
  }
}

/** model.fit on tfjs-node, timed in the same run: the baseline the lean trainer replaces. */
async function fitBaseline(): Promise<Record<string, unknown> | null> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'fit-baseline.ts'), 'tensorflow', values.mnist],
      { cwd: root, maxBuffer: 1 << 24, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } }
    )
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}')
  } catch (error) {
    return { error: ((error as { stderr?: string }).stderr ?? String(error)).trim().split('\n').pop() }
  }
}

async function pytorch(): Promise<Record<string, unknown>> {
  try {
    const { stdout } = await run(
      '/usr/bin/python3',
      [path.join(here, 'pytorch_mlp.py'), values.mnist, String(epochs)],
      {
        maxBuffer: 1 << 24
      }
    )
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}')
  } catch (error) {
    return { error: ((error as { stderr?: string }).stderr ?? String(error)).trim().split('\n').pop() }
  }
}

/** The same CNN in PyTorch (bench/pytorch_cnn.py), timed on the same fraction of an epoch as tfjs-node's CNN. */
async function pytorchCnn(): Promise<Record<string, unknown>> {
  try {
    const { stdout } = await run(
      '/usr/bin/python3',
      [path.join(here, 'pytorch_cnn.py'), values.mnist, '2', '42', String(CNN_FRACTION.tensorflow)],
      { maxBuffer: 1 << 24 }
    )
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}')
  } catch (error) {
    return { error: ((error as { stderr?: string }).stderr ?? String(error)).trim().split('\n').pop() }
  }
}

/** A part of the bench whose failure is reported in the document rather than ending the run. */
async function guarded<T>(job: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await job()
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

const modelsBench = () => guarded(async () => (await import('./models')).benchModels())
const tuningBench = () => guarded(async () => (await import('./tuning')).benchTuning())
const stylesBench = () => guarded(async () => (await import('./styles')).benchStyles())

async function importBench(): Promise<Record<string, unknown> | null> {
  const file = path.join(here, 'import.ts')
  if (!existsSync(file)) return null
  try {
    const module = (await import(pathToFileURL(file).href)) as {
      benchImport?: () => Promise<Record<string, unknown>>
    }
    return module.benchImport ? await module.benchImport() : null
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

const drawBench = () => guarded(async () => (await import('./draw')).benchDraw())
const pagesBench = () => guarded(async () => (await import('./pages')).benchPages(quick))

async function main(): Promise<void> {
  const started = Date.now()
  const backends: Record<string, Record<string, unknown>> = {}
  const load: Record<string, LoadReport> = {}
  const startLoad = os.loadavg()
  process.stderr.write(`bench: load average at start ${startLoad.map((v) => v.toFixed(2)).join(' ')}\n`)
  const measured = async <T>(what: string, job: () => Promise<T>): Promise<T> => {
    const start = sample()
    const result = await job()
    load[what] = loadSince(start, what)
    if (load[what].warning) process.stderr.write(`bench: WARNING ${load[what].warning}\n`)
    return result
  }
  // One heavy job at a time: backends and PyTorch run one after another, never in parallel.
  for (const name of values.backends.split(',')) {
    backends[name] = await measured(name, () => backendNumbers(name))
  }
  const fit = values['no-fit'] ? null : await measured('model.fit', fitBaseline)
  const torch = values['no-pytorch'] ? null : await measured('pytorch', pytorch)
  // The CNN on each backend, and PyTorch's same CNN in the same run.
  const cnn: Record<string, Record<string, unknown>> = {}
  let torchCnn: Record<string, unknown> | null = null
  if (!values['no-cnn']) {
    for (const name of values.backends.split(',')) {
      cnn[name] = await measured(`${name}-cnn`, () =>
        backendNumbers(`${name}-cnn`, CNN_FRACTION[name.replace(/-lean$/, '')] ?? 0.01, 2)
      )
    }
    if (!values['no-pytorch']) torchCnn = await measured('pytorch-cnn', pytorchCnn)
  }
  const torchSeconds = typeof torch?.secondsPerEpoch === 'number' ? torch.secondsPerEpoch : null
  const ratioToPytorch: Record<string, number | null> = {}
  for (const [name, r] of Object.entries(backends)) {
    ratioToPytorch[name] =
      torchSeconds && typeof r.secondsPerEpoch === 'number' ? r.secondsPerEpoch / torchSeconds : null
  }
  const doc = {
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      node: process.version,
      loadAverageAtStart: startLoad,
      loadAverage: os.loadavg()
    },
    load,
    quiet: Object.values(load).every((l) => l.warning === null),
    settings: { quick, epochs, batchSize: 100, fractionTimed: FRACTION, mnist: values.mnist },
    backends,
    pytorch: torch,
    ratioToPytorch,
    training: trainingSummary(backends, torch),
    modelFitBaseline: fit,
    leanSpeedupOverModelFit:
      typeof fit?.secondsPerEpoch === 'number' &&
      typeof backends['tensorflow-lean']?.secondsPerEpoch === 'number'
        ? fit.secondsPerEpoch / backends['tensorflow-lean'].secondsPerEpoch
        : null,
    graphSpeedupOverLean:
      typeof backends.tensorflow?.secondsPerEpoch === 'number' &&
      typeof backends['tensorflow-lean']?.secondsPerEpoch === 'number'
        ? backends['tensorflow-lean'].secondsPerEpoch / backends.tensorflow.secondsPerEpoch
        : null,
    cnn: {
      backends: cnn,
      pytorch: torchCnn,
      graphSpeedupOverLean:
        typeof cnn.tensorflow?.secondsPerEpoch === 'number' &&
        typeof cnn['tensorflow-lean']?.secondsPerEpoch === 'number'
          ? cnn['tensorflow-lean'].secondsPerEpoch / cnn.tensorflow.secondsPerEpoch
          : null,
      ratioToPytorch: Object.fromEntries(
        Object.entries(cnn).map(([name, r]) => [
          name,
          typeof r.secondsPerEpoch === 'number' && typeof torchCnn?.secondsPerEpoch === 'number'
            ? r.secondsPerEpoch / torchCnn.secondsPerEpoch
            : null
        ])
      )
    },
    models: values['no-models'] ? null : await measured('models', modelsBench),
    styles: values['no-models'] ? null : await measured('styles', stylesBench),
    tuning: values['no-models'] ? null : await measured('tuning', tuningBench),
    import: await importBench(),
    draw: await drawBench(),
    reading: await measured('reading', pagesBench),
    seconds: (Date.now() - started) / 1000
  }
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n')
}

void main()
