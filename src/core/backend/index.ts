/**
 * Picks the tfjs backend the engine runs on: tfjs-node (native TensorFlow) where its binding loads,
 * else WebAssembly, else plain JavaScript. All engine code imports tfjs through this module's `tf`.
 */
import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { BackendName } from '../../shared/schemas/models'
import { installNodeUtilShim } from './node-compat'
import { registerWasmConv2DFilterGrad } from './wasm-conv-grad'

export { tf }
export type BackendPreference = 'auto' | BackendName
export interface BackendChoice {
  name: BackendName
  detail: string
}

export const BACKEND_ENV = 'DIGIT_STUDIO_BACKEND'
const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu']
const requireHere = createRequire(import.meta.url)

/** Why each backend could not be registered, kept so later choices can explain themselves. */
const failures = new Map<BackendName, string>()
const registered = new Map<BackendName, string>()
let current: { preference: BackendPreference; choice: BackendChoice } | null = null

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]
}

/**
 * One TensorFlow intra-op thread unless the user chose otherwise. The paper's MLP runs many small ops per
 * batch, and handing each to a thread pool costs more than it saves: measured here, 2.1 s per MNIST epoch
 * with one thread against 3.3 s with the default pool (2 cores). TensorFlow reads the variable when
 * tfjs-node creates its context, so it must be set before the import.
 */
function limitTensorflowThreads(): void {
  process.env.TF_NUM_INTRAOP_THREADS ??= '1'
  // Quieten TensorFlow's start-up banner (CPU feature notes) unless asked for.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2'
}

async function registerTensorflow(): Promise<string> {
  installNodeUtilShim()
  limitTensorflowThreads()
  // Dynamic import: tfjs-node is an optional (native, CommonJS) dependency and may be missing.
  const moduleName = '@tensorflow/tfjs-node'
  const node = (await import(moduleName)) as { version?: Record<string, string> }
  const version = node.version?.['tfjs-node'] ?? tf.version_core
  await tf.setBackend('tensorflow')
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding
  return `tfjs-node ${version} (TensorFlow ${binding?.TF_Version ?? '?'} native)`
}

function wasmDistDir(): string {
  const main = requireHere.resolve('@tensorflow/tfjs-backend-wasm')
  return path.join(path.dirname(main), path.sep)
}

async function registerWasm(): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  // In Node the .wasm files are read from disk: point the loader at the package's dist folder.
  wasm.setWasmPaths(wasmDistDir())
  await tf.setBackend('wasm')
  registerWasmConv2DFilterGrad()
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')
  return `wasm (tfjs-backend-wasm ${wasm.version_wasm}, SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})`
}

async function register(name: BackendName): Promise<string> {
  const known = registered.get(name)
  if (known) return known
  const failed = failures.get(name)
  if (failed) throw new Error(failed)
  try {
    const detail =
      name === 'tensorflow'
        ? await registerTensorflow()
        : name === 'wasm'
          ? await registerWasm()
          : 'cpu (JavaScript)'
    if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`)
    await tf.ready()
    registered.set(name, detail)
    return detail
  } catch (error) {
    const reason = errorText(error)
    failures.set(name, reason)
    throw new Error(reason)
  }
}

function parsePreference(value: string | undefined): BackendPreference | undefined {
  if (value === 'auto' || value === 'tensorflow' || value === 'wasm' || value === 'cpu') return value
  return undefined
}

/**
 * Selects and activates a backend. The env var DIGIT_STUDIO_BACKEND overrides the preference.
 * A named backend that fails falls through to the next one in the order tensorflow → wasm → cpu,
 * and `detail` says why. Calling again with the same preference returns the same choice.
 */
export async function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendChoice> {
  const effective = parsePreference(process.env[BACKEND_ENV]) ?? preference
  if (current && current.preference === effective && tf.getBackend() === current.choice.name) {
    return current.choice
  }
  const start = effective === 'auto' ? 0 : ORDER.indexOf(effective)
  const reasons: string[] = []
  for (const name of ORDER.slice(start)) {
    try {
      const detail = await register(name)
      const why = reasons.length ? `${detail}; ${reasons.join('; ')}` : detail
      const choice = { name, detail: why }
      current = { preference: effective, choice }
      return choice
    } catch (error) {
      reasons.push(`${name} failed to load: ${errorText(error)}`)
    }
  }
  throw new Error(`No tfjs backend could be loaded: ${reasons.join('; ')}`)
}

/** Activates exactly this backend (no fallback); throws with the reason when it cannot load. */
export async function useBackend(name: BackendName): Promise<BackendChoice> {
  const detail = await register(name)
  if (tf.getBackend() !== name) await tf.setBackend(name)
  const choice = { name, detail }
  current = { preference: name, choice }
  return choice
}

/** The reason a backend failed to load, or null if it loaded (or was never tried). */
export function backendFailure(name: BackendName): string | null {
  return failures.get(name) ?? null
}

export function activeBackend(): BackendName {
  const name = tf.getBackend()
  if (name === 'tensorflow' || name === 'wasm' || name === 'cpu') return name
  throw new Error(`Unexpected active tfjs backend '${name}'`)
}
