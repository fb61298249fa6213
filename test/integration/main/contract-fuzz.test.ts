/**
 * Throws random and hostile payloads at every call of the contract through the real router and the real
 * services, and checks that each one ends in a typed answer: no crash, no prototype pollution, no file written
 * outside the app's data folder.
 */
import fc from 'fast-check'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CallErrorSchema,
  ErrorCodeSchema,
  callNames,
  calls,
  type CallName,
  type CallResult
} from '../../../src/shared/contract'
import type { ShellHost } from '../../../src/main/app/shell'
import { EventHub } from '../../../src/main/ipc/events'
import { createRouter, type Router } from '../../../src/main/ipc/router'
import { createServices, type Services } from '../../../src/main/services'
import { createForkTrainingHost } from '../../../src/main/training/fork-host'

const RUNS = Number(process.env.FUZZ_RUNS ?? 60)
// Calls that would reach the network or a folder the user chose on purpose are fuzzed for validation only.
const VALIDATION_ONLY = new Set<CallName>([
  'mnist.download',
  'models.export',
  'testset.export',
  'read.export',
  'read.cut'
])

let root: string
let dataDir: string
let outside: string
let services: Services
let router: Router

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'digit-studio-fuzz-'))
  dataDir = join(root, 'data')
  outside = join(root, 'outside')
  mkdirSync(outside)
  writeFileSync(join(outside, 'precious.txt'), 'keep me')
  const host: ShellHost = {
    shell: 'web',
    dataDir,
    resourcesDir: join(import.meta.dirname, '..', '..', '..', 'resources'),
    nativeDialogs: false,
    pickFolder: async () => null,
    pickFiles: async () => null,
    saveFile: async () => null,
    createTrainingHost: () => createForkTrainingHost()
  }
  services = await createServices({ host, emit: new EventHub().emit, version: 'test' })
  const handlers = { ...services.handlers }
  for (const name of VALIDATION_ONLY) {
    ;(handlers as Record<string, unknown>)[name] = async () => ({ skipped: true })
  }
  router = createRouter(handlers)
})

afterAll(async () => {
  await services?.dispose()
  rmSync(root, { recursive: true, force: true })
})

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '../../../../etc/passwd',
    '..',
    '/etc/shadow',
    'C:\\Windows\\system32',
    '\u0000',
    '__proto__',
    'constructor',
    'default/../../x',
    '%2e%2e%2f',
    'a'.repeat(5000)
  )
)
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 })
  )
})).value
const pollution = fc.constantFrom(
  JSON.parse('{"__proto__": {"polluted": true}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')
)
const payload = fc.oneof(hostileValue, pollution, fc.dictionary(hostileString, hostileValue, { maxKeys: 6 }))

/** Requests of the right shape whose strings are hostile: these get past validation and reach the handlers. */
const pathLike = fc.constantFrom(
  '../outside',
  '../../../../etc',
  '/nonexistent/folder',
  'default',
  '..',
  '.',
  'x\u0000y'
)
const idLike = fc.oneof(
  fc.constantFrom('default', 'nope', 'a-b_c', '__proto__', 'constructor'),
  fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,12}$/)
)
const nearValid: Partial<Record<CallName, fc.Arbitrary<unknown>>> = {
  'models.setActive': fc.record({ id: idLike }),
  'models.delete': fc.record({ id: idLike }),
  'models.rename': fc.record({
    id: idLike,
    name: hostileString.filter((name) => name.trim().length > 0 && name.length <= 120)
  }),
  'models.import': fc.record({ folder: pathLike }),
  'mnist.status': fc.record({ folder: pathLike }),
  'testset.import': fc.record({ folder: pathLike, modelId: fc.option(idLike, { nil: undefined }) }),
  'testset.sampleImage': fc.record({ importId: idLike, file: pathLike }),
  'predict.image': fc.record({
    width: fc.integer({ min: 1, max: 64 }),
    height: fc.integer({ min: 1, max: 64 }),
    pixels: fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes).toString('base64'))
  })
}

/**
 * Every answer is one of the contract's: an error that fits CallErrorSchema, or a value that fits the call's
 * response schema (the stubbed validation-only calls excepted).
 */
function expectContractAnswer(name: CallName, result: CallResult<unknown>): void {
  if (!result.ok) {
    expect(ErrorCodeSchema.options).toContain(result.error.code)
    CallErrorSchema.parse(result.error)
    return
  }
  if (VALIDATION_ONLY.has(name)) return
  const checked = calls[name].response.safeParse(result.value)
  expect(checked.success, `${name} answered outside its response schema`).toBe(true)
}

describe('every call of the contract under hostile payloads', () => {
  it.each(Object.keys(nearValid) as CallName[])('%s handles well-formed hostile requests', async (name) => {
    await fc.assert(
      fc.asyncProperty(nearValid[name] as fc.Arbitrary<unknown>, async (request) => {
        const result = await router.dispatch(name, request, JSON.stringify(request).length)
        expectContractAnswer(name, result)
      }),
      { numRuns: Math.ceil(RUNS / 3), seed: 20261125 }
    )
    expect(readdirSync(outside)).toEqual(['precious.txt'])
  })

  it.each(callNames)('%s answers with a typed result', async (name) => {
    await fc.assert(
      fc.asyncProperty(payload, async (request) => {
        const result = await router.dispatch(name, request, JSON.stringify(request ?? null).length)
        expectContractAnswer(name, result)
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: RUNS, seed: 20261125 }
    )
    expect(readdirSync(outside)).toEqual(['precious.txt'])
  })
})

describe('successful answers', () => {
  it.each(['app.info', 'settings.get', 'models.list', 'training.status', 'jobs.state'] as const)(
    '%s answers a valid request within its response schema',
    async (name) => {
      const result = await router.dispatch(name, {}, 2)
      expect(result.ok).toBe(true)
      expectContractAnswer(name, result)
    }
  )
})
