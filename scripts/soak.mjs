// `npm run soak`: the hardening tests and the contract fuzzer with large counts, one file at a time (so memory
// figures are not mixed between files), then one JSON summary of the figures the tests recorded.
// Every count can be overridden from the environment, e.g. `HARDENING_KILLS=20 npm run soak`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const counts = {
  HARDENING_PARSER_RUNS: 5000,
  HARDENING_KILLS: 100,
  HARDENING_CANCELS: 10,
  HARDENING_PREDICTIONS: 10000,
  HARDENING_IMPORT_FILES: 60000,
  FUZZ_RUNS: 1000,
  // Hardening, round 2 (issue 13)
  HARDENING_WEB_REQUESTS: 5000,
  HARDENING_TARGETS: 1000,
  HARDENING_HOSTILE_FILES: 1000,
  HARDENING_CSV_NAMES: 5000,
  HARDENING_CHURN_FILES: 5000,
  HARDENING_LIFECYCLE_CANCELS: 10
}
for (const name of Object.keys(counts)) {
  if (process.env[name]) counts[name] = Number(process.env[name])
}

const figuresDir = path.resolve('.cache', 'soak-figures')
const report = path.resolve('.cache', 'soak-vitest.json')
rmSync(figuresDir, { recursive: true, force: true })
mkdirSync(figuresDir, { recursive: true })

const env = { ...process.env, HARDENING_FIGURES_DIR: figuresDir }
for (const [name, value] of Object.entries(counts)) env[name] = String(value)

console.log(`soak: ${JSON.stringify(counts)}`)
const started = Date.now()
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--project',
    'unit',
    '--no-file-parallelism',
    '--testTimeout=1800000',
    '--hookTimeout=1800000',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    'test/integration/hardening',
    'test/integration/main/contract-fuzz.test.ts'
  ],
  { stdio: 'inherit', env }
)

/** The contract fuzzer runs ceil(FUZZ_RUNS / 3) well-formed and FUZZ_RUNS random payloads per call. */
function contractPayloads() {
  if (!existsSync(report)) return null
  const results = JSON.parse(readFileSync(report, 'utf8'))
  const fuzz = results.testResults.find((file) => file.name.endsWith('contract-fuzz.test.ts'))
  if (!fuzz) return null
  let payloads = 0
  let passedCalls = 0
  for (const test of fuzz.assertionResults) {
    if (test.status !== 'passed') continue
    passedCalls++
    payloads += /well-formed/.test(test.title) ? Math.ceil(counts.FUZZ_RUNS / 3) : counts.FUZZ_RUNS
  }
  return {
    payloadsTried: payloads,
    propertiesPassed: passedCalls,
    propertiesRun: fuzz.assertionResults.length
  }
}

const figures = {}
for (const file of readdirSync(figuresDir)
  .filter((name) => name.endsWith('.json'))
  .sort()) {
  figures[path.basename(file, '.json')] = JSON.parse(readFileSync(path.join(figuresDir, file), 'utf8'))
}
let tests = null
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'))
  tests = { passed: results.numPassedTests, failed: results.numFailedTests, skipped: results.numPendingTests }
}
const summary = {
  counts,
  minutes: Math.round((Date.now() - started) / 6000) / 10,
  tests,
  contractFuzz: contractPayloads(),
  ...figures
}
const summaryFile = path.resolve('.cache', 'soak-summary.json')
writeFileSync(summaryFile, JSON.stringify(summary, null, 2))
console.log(`\n=== soak summary (also in ${path.relative(process.cwd(), summaryFile)})`)
console.log(JSON.stringify(summary, null, 2))
process.exit(run.status ?? 1)
