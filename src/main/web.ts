/** Web mode entry (`npm run web`, and `npm start` where no Electron binary exists). */
import { createInterface } from 'node:readline'
import { startWebApp } from './web/app'

const port = process.env.DIGIT_STUDIO_PORT ? Number(process.env.DIGIT_STUDIO_PORT) : undefined
const app = await startWebApp({ port })
console.log(`Digit Studio (web mode) is serving on ${app.url}`)
console.log(`Data folder: ${app.dataDir}. Open the URL above in a browser; press Ctrl+C to stop.`)
const stop = async (): Promise<void> => {
  await app.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
if (process.stdin.isTTY) createInterface({ input: process.stdin }).on('close', stop)
