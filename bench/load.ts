/**
 * Is other work running while the bench times something? Linux: the CPU time the whole machine spent busy
 * (/proc/stat) minus this bench's own, children included (/proc/self/stat), over the window, in cores.
 * Elsewhere only the load average is known. Speed ratios taken while others use a core are not final.
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'

interface Sample {
  at: number
  busyTicks: number | null
  ownTicks: number | null
}

/** Clock ticks per second of /proc (USER_HZ, 100 on every mainstream Linux). */
const HZ = 100

function machineBusyTicks(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]
    // cpu user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number)
    return user + nice + system + irq + softirq + (steal || 0)
  } catch {
    return null
  }
}

function ownTicks(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    // Fields after the command name: utime stime cutime cstime are fields 14–17 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0)
  } catch {
    return null
  }
}

export function sample(): Sample {
  return { at: performance.now(), busyTicks: machineBusyTicks(), ownTicks: ownTicks() }
}

export interface LoadReport {
  loadAverage: number[]
  /** Average cores used by other processes over the window (null where /proc is missing). */
  otherCores: number | null
  warning: string | null
}

/** Others above this share of one core make the timing unreliable. */
const QUIET = 0.15

export function loadSince(start: Sample, what: string): LoadReport {
  const end = sample()
  const seconds = (end.at - start.at) / 1000
  const loadAverage = os.loadavg().map((v) => Math.round(v * 100) / 100)
  let otherCores: number | null = null
  if (
    start.busyTicks !== null &&
    end.busyTicks !== null &&
    start.ownTicks !== null &&
    end.ownTicks !== null
  ) {
    const others = end.busyTicks - start.busyTicks - (end.ownTicks - start.ownTicks)
    otherCores = Math.max(0, Math.round((others / HZ / Math.max(seconds, 1e-3)) * 100) / 100)
  }
  const busy = otherCores !== null ? otherCores > QUIET : loadAverage[0] > 1.5
  const warning = busy
    ? `other work was running during ${what} (${otherCores !== null ? `${otherCores} cores used by other processes, ` : ''}load average ${loadAverage.join(' ')}): its times and ratios are not final`
    : null
  return { loadAverage, otherCores, warning }
}
