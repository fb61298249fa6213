import { describe, expect, it } from 'vitest'
import { MAX_REQUEST_BYTES, callNames } from '../../../src/shared/contract'
import { createRouter, ServiceError, type Handlers } from '../../../src/main/ipc/router'
import { DataFileError } from '../../../src/core/data'
import { ImportError } from '../../../src/core/import'

/** Handlers that record what reached them; a router must only ever pass them validated requests. */
function recordingHandlers(): { handlers: Handlers; seen: unknown[] } {
  const seen: unknown[] = []
  const handlers = Object.fromEntries(
    callNames.map((name) => [
      name,
      async (request: unknown) => {
        seen.push(request)
        if (name === 'models.delete') throw new ServiceError('not-found', 'No such model.')
        if (name === 'models.rename') throw new Error('boom')
        return { echoed: request }
      }
    ])
  ) as unknown as Handlers
  return { handlers, seen }
}

describe('router', () => {
  it('rejects requests of the wrong types with a typed bad-request error and field issues', async () => {
    const { handlers, seen } = recordingHandlers()
    const router = createRouter(handlers)
    const result = await router.dispatch('predict.image', { width: 'wide', height: -1, pixels: 7 }, 50)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('bad-request')
    expect(result.error.fields?.map((field) => field.path).sort()).toEqual(['height', 'pixels', 'width'])
    // Plain words, never zod's dump.
    expect(result.error.message).not.toMatch(/Invalid input|expected/)
    expect(result.error.fields?.find((f) => f.path === 'height')).toMatchObject({
      rule: 'too-small',
      limit: 1
    })
    expect(seen).toEqual([])
  })

  it('epochs = 0 comes back as one field problem in plain words, not a zod dump', async () => {
    const router = createRouter(recordingHandlers().handlers)
    const result = await router.dispatch('training.start', { hyperparameters: { epochs: 0 } }, 40)
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'bad-request',
        key: 'invalidFields',
        fields: [
          { path: 'hyperparameters.epochs', rule: 'too-small', limit: 1, message: 'must be at least 1' }
        ]
      }
    })
    if (!result.ok)
      expect(result.error.message).toBe(
        'Some values are not valid: hyperparameters.epochs must be at least 1.'
      )
  })

  it('passes the training step choice through and rejects a step it does not know, naming the field', async () => {
    const { handlers, seen } = recordingHandlers()
    const router = createRouter(handlers)
    const ok = await router.dispatch('training.start', { hyperparameters: {}, step: 'lean' }, 41)
    expect(ok).toMatchObject({ ok: true })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ step: 'lean' })
    const bad = await router.dispatch('training.start', { hyperparameters: {}, step: 'fastest' }, 42)
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request', fields: [{ path: 'step' }] } })
    expect(seen).toHaveLength(1)
  })

  it('rejects unknown calls, including prototype keys', async () => {
    const router = createRouter(recordingHandlers().handlers)
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await router.dispatch(name, {}, 2)
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-call' } })
    }
  })

  it('rejects oversized payloads before parsing them', async () => {
    const { handlers, seen } = recordingHandlers()
    const result = await createRouter(handlers).dispatch('app.info', {}, MAX_REQUEST_BYTES + 1)
    expect(result).toMatchObject({ ok: false, error: { code: 'payload-too-large' } })
    expect(seen).toEqual([])
  })

  it('rejects extra keys and ids that could name a path', async () => {
    const router = createRouter(recordingHandlers().handlers)
    expect(await router.dispatch('app.info', { extra: 1 }, 12)).toMatchObject({
      ok: false,
      error: { code: 'bad-request' }
    })
    for (const id of ['../x', '/etc/passwd', '..', 'a/b', 'a\\b', '.hidden', '']) {
      expect(await router.dispatch('models.setActive', { id }, 20)).toMatchObject({
        ok: false,
        error: { code: 'bad-request' }
      })
    }
  })

  it('passes valid requests through and maps handler failures to typed errors', async () => {
    const { handlers, seen } = recordingHandlers()
    const router = createRouter(handlers)
    expect(await router.dispatch('models.setActive', { id: 'model-1' }, 20)).toEqual({
      ok: true,
      value: { echoed: { id: 'model-1' } }
    })
    expect(await router.dispatch('models.delete', { id: 'gone' }, 20)).toMatchObject({
      ok: false,
      error: { code: 'not-found' }
    })
    expect(await router.dispatch('models.rename', { id: 'a', name: 'b' }, 20)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'boom' }
    })
    expect(seen).toHaveLength(3)
  })

  it('maps coded errors of core modules and of the system to contract codes', async () => {
    const thrown: Record<string, unknown> = {
      'models.list': new ImportError('cancelled', '/scans', '/scans: import cancelled'),
      'settings.get': Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
      'app.info': new DataFileError('bad-magic', 'x.gz', 'wrong magic number')
    }
    const handlers = Object.fromEntries(
      callNames.map((name) => [
        name,
        async () => {
          throw thrown[name]
        }
      ])
    ) as unknown as Handlers
    const router = createRouter(handlers)
    expect(await router.dispatch('models.list', {}, 2)).toMatchObject({
      ok: false,
      error: { code: 'cancelled' }
    })
    expect(await router.dispatch('settings.get', {}, 2)).toMatchObject({
      ok: false,
      error: { code: 'io' }
    })
    expect(await router.dispatch('app.info', {}, 2)).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: 'x.gz: wrong magic number' }
    })
  })
})
