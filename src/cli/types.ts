/** What every CLI command module exports as `command`. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** True when stdout is a terminal (progress bars are drawn only then). */
  isTTY: boolean
}

export interface CliCommand {
  name: string
  usage: string
  summary: string
  /** Returns the exit code: 0 done, 1 bad input, 2 usage. */
  run(args: string[], io: CliIo): Promise<number>
}

/** Wrong flags or arguments: exit code 2 with the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A problem the user can fix (a missing folder, a file in the way): exit code 1 with one line, no stack. */
export class CliError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CliError'
  }
}
