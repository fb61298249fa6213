/** Every command's arguments: strict flags, positionals allowed, and --help printing the command's help. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import type { CliIo } from './types'

type CommandConfig<O extends ParseArgsOptionsConfig, P extends boolean> = {
  args: string[]
  strict: true
  allowPositionals: P
  options: O
}

/** The parsed arguments, or null when --help was asked for (the help is printed then). */
export function parseCommandArgs<
  O extends ParseArgsOptionsConfig & { help: { type: 'boolean' } },
  P extends boolean = true
>(
  args: string[],
  options: O,
  help: string,
  io: CliIo,
  /** false: the command takes flags only (anything else is a usage error). */
  allowPositionals: P = true as P
): ReturnType<typeof parseArgs<CommandConfig<O, P>>> | null {
  const parsed = parseArgs<CommandConfig<O, P>>({ args, strict: true, allowPositionals, options })
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(help)
    return null
  }
  return parsed
}
