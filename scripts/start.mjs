// `npm start`: build, then launch the desktop app, or, where this machine has no Electron binary, say so and
// serve web mode.
import { spawn, spawnSync } from 'node:child_process'
import { electronBinary, ensureElectronPackage } from './electron-package.mjs'

if (!ensureElectronPackage()) process.exit(1)
const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

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
