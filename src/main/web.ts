/** Web mode entry (`npm run web`, and `npm start` where no Electron binary exists). */
// First: the util shim tfjs-node needs on Node 23+ (see core/backend/node-compat).
import '../core/backend/node-compat'
import { createInterface } from 'node:readline'
import { startWebApp } from './web/app'

const port = process.env.DIGIT_STUDIO_PORT ? Number(process.env.DIGIT_STUDIO_PORT) : undefined
const app = await startWebApp({ port })
console.log(`Digit Studio (web mode) is serving on ${app.url}`)
console.log(`Data folder: ${app.dataDir}. Open the URL above in a browser; press Ctrl+C to stop.`)
let stopping = false
/** Ctrl+C or SIGTERM ends web mode in every state: a second one, or a shutdown stuck for 10 s, exits at once. */
const stop = async (): Promise<void> => {
  if (stopping) process.exit(130)
  stopping = true
  setTimeout(() => process.exit(1), 10_000).unref()
  await app.close().catch(() => undefined)
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
if (process.stdin.isTTY) createInterface({ input: process.stdin }).on('close', stop)
