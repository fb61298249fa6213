/**
 * tfjs-node 4.22 calls util.isNullOrUndefined and util.isArray, which Node 23 removed: on Node 24 (Electron 45)
 * its import fails without them. Every entry (Electron main, web mode, CLI, training worker) imports this module
 * first, and the backend installs it again right before importing tfjs-node, so no path reaches tfjs-node
 * without it. Importing it also quietens TensorFlow's start-up notes (TF_CPP_MIN_LOG_LEVEL) unless asked for.
 */
import util from 'node:util'

export function installNodeUtilShim(): void {
  const legacy = util as unknown as Record<string, unknown>
  if (typeof legacy.isNullOrUndefined !== 'function') {
    legacy.isNullOrUndefined = (value: unknown) => value === null || value === undefined
  }
  if (typeof legacy.isArray !== 'function') legacy.isArray = Array.isArray
}

installNodeUtilShim()
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2'
