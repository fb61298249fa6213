#!/usr/bin/env node
/**
 * digit-studio: the engine's services on the command line (train, eval, predict, import, read, cut, calibrate, tune).
 * Exit codes: 0 done, 1 bad input (the message names the file and the reason), 2 usage.
 */
// First: the util shim tfjs-node needs on Node 23+ (see core/backend/node-compat).
import '../core/backend/node-compat'
import { pathToFileURL } from 'node:url'
import { realpathSync } from 'node:fs'
import { systemErrorText } from '../core/system-errors'
import { CliError, UsageError, type CliCommand, type CliIo } from './types'

/** One line per command; modules load lazily so `--help` does not start TensorFlow. */
const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  train: () => import('./commands/train'),
  eval: () => import('./commands/eval'),
  predict: () => import('./commands/predict'),
  import: () => import('./commands/import'),
  read: () => import('./commands/read'),
  cut: () => import('./commands/cut'),
  calibrate: () => import('./commands/calibrate'),
  tune: () => import('./commands/tune')
}

const nodeIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY)
}

async function help(io: CliIo): Promise<void> {
  io.stdout('Usage: digit-studio <command> [options]\n\nCommands:\n')
  for (const name of Object.keys(COMMANDS)) {
    const loaded = await COMMANDS[name]().then(
      (m) => m.command,
      () => null
    )
    if (loaded) io.stdout(`  ${loaded.usage}\n      ${loaded.summary}\n`)
  }
  io.stdout('\nRun `digit-studio <command> --help` for the options of one command.\n')
}

/** Error classes with a `code` and a `file` are bad input (exit 1). */
function isInputError(error: unknown): error is Error & { code: string; file: string } {
  return error instanceof Error && typeof (error as { file?: unknown }).file === 'string'
}

/** One line for any failure: the file and the reason in plain words. */
function errorLine(error: unknown): string {
  if (error instanceof CliError || isInputError(error)) return error.message
  const system = systemErrorText(error)
  if (system) return system
  const message = error instanceof Error ? error.message : String(error)
  return `${message.split('\n')[0]} (an internal error; DIGIT_STUDIO_DEBUG=1 shows the details)`
}

export async function main(argv: string[], io: CliIo = nodeIo): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help(io)
    return name ? 0 : 2
  }
  const load = COMMANDS[name]
  if (!load) {
    io.stderr(`digit-studio: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}\n`)
    return 2
  }
  let command: CliCommand
  try {
    command = (await load()).command
  } catch (error) {
    io.stderr(`digit-studio: command '${name}' is not available (${(error as Error).message})\n`)
    return 1
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')) {
      io.stderr(`digit-studio ${name}: ${(error as Error).message}\nUsage: ${command.usage}\n`)
      return 2
    }
    io.stderr(`digit-studio ${name}: ${errorLine(error)}\n`)
    // Never a stack trace for the user; DIGIT_STUDIO_DEBUG=1 shows it to a developer.
    if (process.env.DIGIT_STUDIO_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`)
    return 1
  }
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
