/**
 * Child process for the kill-mid-save test: saves model version after version into one library slot, as fast as
 * it can, printing "saved N" after each, until it is killed. Version N's weights come from seed N, so the parent
 * can rebuild exactly what any version held. It warms up, prints "ready" and waits for "go" on stdin, so the
 * parent can start the next child while it checks the previous one.
 * Usage: node --import tsx save-child.ts <modelsDir> <firstVersion>
 */
import { once } from 'node:events'
import { selectBackend } from '../../../src/core/backend'
import { ModelStore, toArtifacts } from '../../../src/core/models'
import { modelVersion, SLOT } from './saved-versions'

const [dir, first] = process.argv.slice(2)
await selectBackend('cpu')
// The first tfjs model built in a process is slow; build one now so every save after "go" takes the same time.
await toArtifacts(modelVersion(0).weights)
const store = new ModelStore({ dir })
process.stdout.write('ready\n')
await once(process.stdin, 'data')
for (let version = Number(first); ; version++) {
  const { weights, metadata } = modelVersion(version)
  await store.save(SLOT, weights, metadata)
  process.stdout.write(`saved ${version}\n`)
}
