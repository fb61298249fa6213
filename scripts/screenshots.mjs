// `npm run screenshots`: builds, then runs the UI journeys with DIGIT_STUDIO_SCREENSHOTS=1, so they write the
// tracked docs/screenshots. Plain e2e runs (npm test) save their screenshots to a temporary folder instead.
import { spawnSync } from 'node:child_process'

const run = (args, env = {}) =>
  spawnSync('npx', args, {
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32'
  })

if (run(['electron-vite', 'build']).status !== 0) process.exit(1)
const journeys = process.argv.slice(2)
const result = run(
  ['vitest', 'run', '--project', 'e2e', ...(journeys.length ? journeys : ['test/e2e/ui-'])],
  { DIGIT_STUDIO_SCREENSHOTS: '1' }
)
process.exit(result.status ?? 1)
