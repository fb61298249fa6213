// `npm test`: type checks, lint, build, then unit, integration and end-to-end tests; ends with one summary line.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { ensureChromium } from './chromium.mjs'
import { ensureElectronPackage } from './electron-package.mjs'

const steps = []

function step(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`)
  const started = Date.now()
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  const ok = result.status === 0
  steps.push({ name, ok, seconds: (Date.now() - started) / 1000 })
  return ok
}

if (!ensureElectronPackage()) process.exit(1)

const npx = (name, ...args) => step(name, 'npx', args)
npx('tsc', 'tsc', '--noEmit', '-p', 'tsconfig.json')
npx(
  'svelte-check',
  'svelte-check',
  '--tsconfig',
  './src/renderer/tsconfig.json',
  '--fail-on-warnings',
  '--output',
  'human'
)
npx('eslint', 'eslint', '.')
npx('prettier', 'prettier', '--check', '.')
const built = npx('build', 'electron-vite', 'build')

mkdirSync('.cache', { recursive: true })
const report = '.cache/vitest-report.json'
const chromium = built ? ensureChromium() : null
const e2eSkipped = !built
  ? 'the build failed'
  : chromium?.reason
    ? `Chromium is missing (${chromium.reason})`
    : null
const projects = e2eSkipped ? ['--project', 'unit'] : []
if (e2eSkipped) console.log(`End-to-end tests are skipped: ${e2eSkipped}.`)
// The e2e harness uses the same Chromium (it reads CHROMIUM_PATH).
if (chromium?.path) process.env.CHROMIUM_PATH = chromium.path
npx(
  'vitest',
  'vitest',
  'run',
  ...projects,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`
)

let passed = 0
let failed = 0
let skipped = 0
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'))
  passed = results.numPassedTests
  failed = results.numFailedTests
  skipped = results.numPendingTests + results.numTodoTests
}
const failedSteps = steps.filter((s) => !s.ok)
console.log('\n=== summary')
for (const s of steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.seconds.toFixed(1)} s)`)
if (e2eSkipped) console.log(`skip end-to-end tests: ${e2eSkipped}`)
console.log(
  `tests: ${passed} passed, ${failed + failedSteps.filter((s) => s.name !== 'vitest').length} failed, ${skipped} skipped`
)
process.exit(failedSteps.length === 0 ? 0 : 1)
