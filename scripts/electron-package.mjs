// The electron npm package (its version, type definitions and, where it downloaded, its binary). Where the binary
// download failed during `npm install`, npm dropped the whole (optional) package; the build and the type checks
// still need it, so reinstall it without the binary.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export function ensureElectronPackage() {
  try {
    require.resolve('electron/package.json')
    return true
  } catch {
    console.log(
      'The electron package is missing (its binary download failed); reinstalling it without the binary.'
    )
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
      stdio: 'inherit',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }
    })
    return result.status === 0
  }
}

/** The path of the Electron binary, or null where this machine has none. */
export function electronBinary() {
  try {
    const binary = require('electron')
    return typeof binary === 'string' && existsSync(binary) ? binary : null
  } catch {
    return null
  }
}
