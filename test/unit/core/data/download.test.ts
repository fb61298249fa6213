import { createServer, type Server } from 'node:http'
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DataFileError,
  MNIST_FILES,
  downloadMnist,
  mnistStatus,
  sha256File,
  MNIST_SHA256
} from '../../../../src/core/data'
import { MNIST_DIR, tempDir } from '../../../support/engine'
import { hasMnist } from '../../../support/paths'

/** A local mirror on 127.0.0.1: serves the real MNIST files, or tampered / failing responses per path prefix. */
let server: Server
let base = ''
const hits: string[] = []
let flaky = 0

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = request.url ?? ''
    hits.push(url)
    const name = path.basename(url)
    if (url.startsWith('/down/')) {
      response.writeHead(503).end()
      return
    }
    if (url.startsWith('/flaky/') && flaky-- > 0) {
      response.writeHead(500).end()
      return
    }
    const file = path.join(MNIST_DIR, name)
    if (!existsSync(file)) {
      response.writeHead(404).end()
      return
    }
    let body: Buffer = readFileSync(file)
    if (url.startsWith('/tampered/')) {
      body = Buffer.from(body)
      body[body.length - 1] ^= 0xff
    }
    response.writeHead(200, { 'content-length': body.length })
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe.skipIf(!hasMnist())('downloadMnist', () => {
  it('falls back across mirrors, retries, verifies SHA-256 and reports progress', async () => {
    const cacheDir = tempDir()
    const progress: string[] = []
    flaky = 1
    const status = await downloadMnist({
      cacheDir,
      mirrors: [`${base}/down/`, `${base}/flaky/`],
      retryDelayMs: 1,
      onProgress: (p) => progress.push(p.file)
    })
    expect(status.available).toBe(true)
    expect(status.files.every((f) => f.present && f.verified)).toBe(true)
    expect(new Set(progress)).toEqual(new Set(Object.values(MNIST_FILES)))
    expect(hits.some((h) => h.startsWith('/down/'))).toBe(true)
    for (const name of Object.values(MNIST_FILES)) {
      expect(await sha256File(path.join(cacheDir, name))).toBe(MNIST_SHA256[name])
    }
    // Nothing is fetched again when the cache is good.
    const before = hits.length
    await downloadMnist({ cacheDir, mirrors: [`${base}/flaky/`] })
    expect(hits.length).toBe(before)
    expect(readdirSync(cacheDir).filter((f) => f.includes('.part-'))).toEqual([])
  })

  it('never replaces a cached file with a tampered or failed download', async () => {
    const cacheDir = tempDir()
    const name = MNIST_FILES.trainLabels
    // A damaged cached file is re-fetched, but only a verified copy may replace it.
    writeFileSync(path.join(cacheDir, name), 'damaged')
    const error = await downloadMnist({ cacheDir, mirrors: [`${base}/tampered/`], retryDelayMs: 1 }).then(
      () => null,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(DataFileError)
    expect((error as DataFileError).code).toBe('download-failed')
    expect((error as DataFileError).message).toMatch(/SHA-256/)
    expect(readdirSync(cacheDir).filter((f) => f.includes('.part-'))).toEqual([])
    const status = await mnistStatus(cacheDir)
    expect(status.available).toBe(false)
    expect(status.message).toMatch(/Missing|mismatch/)
  })
})

describe.skipIf(!hasMnist())('mnistStatus', () => {
  it('verifies the shared MNIST copy against the shipped checksums', async () => {
    const status = await mnistStatus(MNIST_DIR)
    expect(status.available).toBe(true)
    expect(status.files.map((f) => f.verified)).toEqual([true, true, true, true])
    expect((await mnistStatus(tempDir())).files.every((f) => !f.present)).toBe(true)
  })
})
