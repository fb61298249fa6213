import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = join(import.meta.dirname, '..', '..', '..')
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
  string,
  Record<string, string>
>

describe('packaging (electron-builder.yml)', () => {
  it('sets the security fuses of the packaged app', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true
    })
  })

  it('builds the four installers and ships the model beside the asar', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb'])
    expect((config.win as { target: string[] }).target).toEqual(['nsis'])
    expect((config.mac as { target: string[] }).target).toEqual(['dmg'])
    expect(config.extraResources).toContainEqual({ from: 'resources/models', to: 'models' })
  })

  it('unpacks native code from the asar and pins the Electron it was written for', () => {
    expect(config.asarUnpack).toContain('**/node_modules/@tensorflow/tfjs-node/**')
    expect(config.electronVersion).toBe(pkg.optionalDependencies.electron.replace(/^[~^]/, ''))
    // A supported major (December 2026: 43, 44, 45). It ships Node 24, where tfjs-node 4.22 needs the util shim
    // (test/unit/core/backend/node-shim.test.ts, test/integration/hardening/node24.test.ts).
    expect(Number(String(config.electronVersion).split('.')[0])).toBeGreaterThanOrEqual(43)
    expect(pkg.optionalDependencies['@tensorflow/tfjs-node']).toBeDefined()
  })
})
