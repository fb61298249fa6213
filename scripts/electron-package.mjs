// The electron npm package (its version, type definitions and, where it downloaded, its binary). Where the binary
// download failed during `npm install`, npm dropped the whole (optional) package; the build and the type checks
// still need it, so reinstall it without the binary. npm also skips it where Node is older than its installer
// needs (Electron 45: Node 22.12): then the locked version's tarball is unpacked from a cached `npm pack`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

const hasElectronPackage = () => existsSync(path.resolve('node_modules', 'electron', 'package.json'))

/** The Electron version package-lock.json names. */
function lockedElectronVersion() {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'))
  return lock.packages?.['node_modules/electron']?.version ?? null
}

/** Unpacks the locked electron package (types, version, no binary) from a cached `npm pack`. */
function unpackElectron() {
  const version = lockedElectronVersion()
  if (!version) return false
  const cache = path.resolve('.cache', 'electron-package')
  const tarball = path.join(cache, `electron-${version}.tgz`)
  mkdirSync(cache, { recursive: true })
  if (!existsSync(tarball)) {
    const packed = spawnSync('npm', ['pack', `electron@${version}`, '--pack-destination', cache], {
      stdio: 'inherit'
    })
    if (packed.status !== 0 || !existsSync(tarball)) return false
  }
  const target = path.resolve('node_modules', 'electron')
  mkdirSync(target, { recursive: true })
  const unpacked = spawnSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], {
    stdio: 'inherit'
  })
  return unpacked.status === 0 && hasElectronPackage()
}

export function ensureElectronPackage() {
  if (hasElectronPackage()) return true
  console.log(
    'The electron package is missing (its binary download failed); reinstalling it without the binary.'
  )
  spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }
  })
  if (hasElectronPackage()) return true
  console.log(
    `npm skipped electron on Node ${process.version}; unpacking the locked package without its binary.`
  )
  return unpackElectron()
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
