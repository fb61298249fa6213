// Chromium for the end-to-end tests: CHROMIUM_PATH, else /usr/bin/chromium, else `chromium` on the PATH. On a
// fresh Debian machine where the run is root (as in CI), Debian's chromium is installed; anywhere else the reason
// and exactly what to install is returned, and the caller skips the end-to-end tests with it.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'

const DEFAULT_PATH = '/usr/bin/chromium'

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = dir && join(dir, name)
    if (candidate && existsSync(candidate)) return candidate
  }
  return null
}

function find(defaultPath) {
  if (process.env.CHROMIUM_PATH)
    return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null
  if (existsSync(defaultPath)) return defaultPath
  return onPath('chromium')
}

const isDebian = () => existsSync('/etc/debian_version') && onPath('apt-get') !== null
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0

/**
 * { path } of a usable Chromium, or { reason } saying why there is none and what to install. `options` are for the
 * tests: another default path, and whether installing is allowed at all.
 */
export function ensureChromium({ defaultPath = DEFAULT_PATH, install = true } = {}) {
  if (process.env.CHROMIUM_PATH && !existsSync(process.env.CHROMIUM_PATH))
    return { reason: `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist` }
  const found = find(defaultPath)
  if (found) return { path: found }
  if (install && isDebian() && isRoot()) {
    console.log(
      "Chromium is missing: installing Debian's chromium (apt-get update && apt-get install -y chromium)"
    )
    const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit' }).status === 0
    if (run(['update']) && run(['install', '-y', 'chromium'])) {
      const installed = find(defaultPath)
      if (installed) return { path: installed }
    }
    return {
      reason: "installing Debian's chromium failed (see apt-get's output above; is the network reachable?)"
    }
  }
  const how = isDebian()
    ? 'sudo apt-get install -y chromium'
    : "install Chromium from your system's packages (Debian/Ubuntu: sudo apt-get install -y chromium)"
  return {
    reason: `no Chromium at ${DEFAULT_PATH} or on the PATH: ${how}, or set CHROMIUM_PATH to a Chromium binary`
  }
}
