/**
 * Shared pieces of the hardening tests: iteration counts (small in `npm test`, large under `npm run soak`,
 * both set by environment variables), the figures each test records for docs/hardening.md, and memory readings.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'

export { MNIST_DIR, REPO_ROOT, RESOURCES_DIR } from '../../support/paths'

/** A positive integer from the environment, else the default (the `npm test` size). */
export function countFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isInteger(value) && value > 0 ? value : fallback
}

/** One fixed seed for every fuzzer, overridable to explore further (`HARDENING_SEED=… npm run soak`). */
export const SEED = countFromEnv('HARDENING_SEED', 20_260_517)

/** Where each test file writes its figures (one JSON file per area); scripts/soak.mjs collects them. */
export const FIGURES_DIR =
  process.env.HARDENING_FIGURES_DIR ?? path.join(os.tmpdir(), 'digit-studio-hardening-figures')

/** Merges `values` into the figures of one area (read-modify-write: each area is written by one file). */
export function recordFigures(area: string, values: Record<string, unknown>): void {
  mkdirSync(FIGURES_DIR, { recursive: true })
  const file = path.join(FIGURES_DIR, `${area}.json`)
  let previous: Record<string, unknown> = {}
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    // First figures of this area in this run.
  }
  writeFileSync(
    file,
    JSON.stringify({ ...previous, ...values, recordedAt: new Date().toISOString() }, null, 2)
  )
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `digit-studio-${prefix}-`))
}

export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10

/** A full garbage collection, so memory readings compare live data rather than collector timing. */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  gc()
}

/** RSS, heap and external memory in MiB after a full garbage collection. */
export function memory(): { rssMiB: number; heapMiB: number; externalMiB: number } {
  collectGarbage()
  const usage = process.memoryUsage()
  return { rssMiB: mib(usage.rss), heapMiB: mib(usage.heapUsed), externalMiB: mib(usage.external) }
}

/** The process's peak RSS so far in MiB (the kernel's high-water mark: catches synchronous spikes too). */
export function peakRssMiB(): number {
  return mib(process.resourceUsage().maxRSS * 1024)
}

/** Samples RSS every `everyMs` until stopped; returns the peak seen (MiB). */
export function rssSampler(everyMs = 20): { stop(): number } {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), everyMs)
  return {
    stop() {
      clearInterval(timer)
      peak = Math.max(peak, process.memoryUsage.rss())
      return mib(peak)
    }
  }
}
