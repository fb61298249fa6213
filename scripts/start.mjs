// `npm start`: launch the desktop app, or, where this machine has no Electron binary, say so and serve web mode.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

function electronBinary() {
  try {
    // The electron package exports the path of its downloaded binary; it is missing where the download failed.
    const binary = require('electron')
    return typeof binary === 'string' && existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

const run = (command, args) => {
  const child = spawn(command, args, { stdio: 'inherit' })
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)))
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
}

const binary = electronBinary()
if (binary) {
  run(binary, ['.'])
} else {
  console.log(
    [
      '',
      'Digit Studio: no Electron binary is installed on this machine (its download failed or was skipped during',
      '`npm install`), so the desktop window cannot open. Starting web mode instead: the same app and services,',
      'served on 127.0.0.1 for your browser. To get the desktop app, run `npm install` again with internet access',
      '(or `node node_modules/electron/install.js`), then `npm start`.',
      ''
    ].join('\n')
  )
  run(process.execPath, ['out/main/web.js'])
}
