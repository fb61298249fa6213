/** Runs the digit-studio CLI in-process, capturing what it prints. */
import { main } from '../../src/cli/index'
import type { CliIo } from '../../src/cli/types'

export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false }
  const code = await main(args, io)
  return { code, out, err }
}
