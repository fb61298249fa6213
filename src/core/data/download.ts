/**
 * Downloads MNIST into a cache folder: every file is streamed to a temporary name, its SHA-256 checked
 * against the shipped checksum, and only then renamed over the cached name. A failed or tampered
 * download therefore never replaces a good cached file.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import type { MnistStatus } from '../../shared/contract'
import { DEFAULT_MNIST_MIRRORS, MNIST_FILES, MNIST_SHA256 } from './checksums'
import { DataFileError } from './errors'
import { mnistStatus, sha256File } from './mnist'

export interface DownloadProgress {
  file: string
  receivedBytes: number
  totalBytes: number | null
}
export interface DownloadOptions {
  cacheDir: string
  mirrors?: string[]
  onProgress?: (progress: DownloadProgress) => void
  fetchImpl?: typeof fetch
  /** Attempts per mirror before moving on to the next. */
  attempts?: number
  retryDelayMs?: number
  signal?: AbortSignal
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function joinUrl(mirror: string, name: string): string {
  return mirror.endsWith('/') ? mirror + name : `${mirror}/${name}`
}

async function fetchToTemp(
  url: string,
  temp: string,
  name: string,
  options: DownloadOptions
): Promise<string> {
  const response = await (options.fetchImpl ?? fetch)(url, { signal: options.signal })
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} from ${url}`)
  const length = Number(response.headers.get('content-length'))
  const totalBytes = Number.isFinite(length) && length > 0 ? length : null
  const hash = createHash('sha256')
  const out = createWriteStream(temp)
  let receivedBytes = 0
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk)
      receivedBytes += chunk.length
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
      options.onProgress?.({ file: name, receivedBytes, totalBytes })
    }
  } finally {
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve()))
    )
  }
  return hash.digest('hex')
}

async function downloadOne(name: string, options: DownloadOptions): Promise<void> {
  const target = path.join(options.cacheDir, name)
  const expected = MNIST_SHA256[name]
  const mirrors = [...new Set(options.mirrors?.length ? options.mirrors : DEFAULT_MNIST_MIRRORS)]
  const attempts = options.attempts ?? 2
  // One line per mirror (its last failure), however many attempts it took.
  const failures = new Map<string, string>()
  for (const mirror of mirrors) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const url = joinUrl(mirror, name)
      const temp = `${target}.part-${randomBytes(6).toString('hex')}`
      try {
        const actual = await fetchToTemp(url, temp, name, options)
        if (actual !== expected) {
          failures.set(mirror, `${url}: the file's SHA-256 does not match MNIST's`)
          await rm(temp, { force: true })
          break // the mirror serves the wrong content: retrying it will not help
        }
        await rename(temp, target)
        return
      } catch (error) {
        await rm(temp, { force: true })
        if (options.signal?.aborted) throw error
        failures.set(mirror, `${url}: ${networkReason(error)}`)
        if (attempt < attempts) await sleep((options.retryDelayMs ?? 500) * attempt)
      }
    }
  }
  throw new DataFileError(
    'download-failed',
    target,
    `download failed from every mirror (it needs an internet connection): ${[...failures.values()].join('; ')}`
  )
}

/** A fetch failure in plain words ("fetch failed" alone says nothing): the cause's code when there is one. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause
  const code = typeof cause?.code === 'string' ? cause.code : null
  const plain: Record<string, string> = {
    ENOTFOUND: 'no connection (the server name could not be resolved)',
    EAI_AGAIN: 'no connection (the server name could not be resolved)',
    ECONNREFUSED: 'the server refused the connection',
    ECONNRESET: 'the connection was interrupted',
    ETIMEDOUT: 'the connection timed out',
    ENETUNREACH: 'no network',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out'
  }
  if (code && plain[code]) return plain[code]
  return error instanceof Error ? error.message : String(error)
}

/** Fetches the files that are missing or damaged in the cache; returns the cache's status afterwards. */
export async function downloadMnist(options: DownloadOptions): Promise<MnistStatus> {
  await mkdir(options.cacheDir, { recursive: true })
  for (const name of Object.values(MNIST_FILES)) {
    const target = path.join(options.cacheDir, name)
    const good = await sha256File(target).then(
      (sum) => sum === MNIST_SHA256[name],
      () => false
    )
    if (!good) await downloadOne(name, options)
  }
  return mnistStatus(options.cacheDir)
}
