/**
 * The request → response function behind the app:// protocol handler and web mode's static files: the built
 * renderer with its CSP, and a plain answer (never an exception) for malformed, hostile or foreign URLs.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { rendererResponse, serveRendererFile } from '../../../src/main/app/renderer-files'
import { APP_INDEX_URL, CONTENT_SECURITY_POLICY, isAppUrl } from '../../../src/main/app/security'

const root = mkdtempSync(path.join(tmpdir(), 'digit-studio-renderer-files-'))
const dir = path.join(root, 'renderer')
mkdirSync(path.join(dir, 'assets'), { recursive: true })
writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="app"></div>')
writeFileSync(path.join(dir, 'assets', 'index.js'), 'export {}')
writeFileSync(path.join(root, 'secret.txt'), 'not for pages')
symlinkSync(path.join(root, 'secret.txt'), path.join(dir, 'assets', 'link.js'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('the renderer file handler', () => {
  it('serves index.html and assets on app://renderer with the CSP', async () => {
    const page = await rendererResponse(dir, new Request(APP_INDEX_URL))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(await page.text()).toContain('id="app"')
    const script = await rendererResponse(dir, new Request('app://renderer/assets/index.js'))
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect((await rendererResponse(dir, new Request('app://renderer/'))).status).toBe(200)
  })

  it('answers malformed and hostile URLs plainly', async () => {
    const status = async (url: string, method = 'GET') => (await serveRendererFile(dir, url, method)).status
    expect(await status('app://renderer/%')).toBe(400)
    expect(await status('/%c0%ae%c0%ae/secret.txt')).toBe(400)
    expect(await status('//[')).toBe(400)
    expect(await status('/%00')).toBe(400)
    expect(await status('/../secret.txt')).toBe(404)
    expect(await status('/..%2fsecret.txt')).toBe(404)
    expect(await status('/missing.js')).toBe(404)
    expect(await status('/assets/link.js')).toBe(404)
    expect(await status('/assets')).toBe(404)
    expect(await status('/index.html', 'POST')).toBe(405)
    expect((await serveRendererFile(dir, '/index.html', 'HEAD')).body).toBeNull()
  })

  it('accepts only app://renderer and the dev server as the app', () => {
    expect(isAppUrl('app://renderer/index.html', undefined)).toBe(true)
    expect(isAppUrl('file:///x/out/renderer/index.html', undefined)).toBe(false)
    expect(isAppUrl('app://evil/index.html', undefined)).toBe(false)
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true)
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
    expect(isAppUrl('not a url', undefined)).toBe(false)
  })
})
