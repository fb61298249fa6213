import { describe, expect, it } from 'vitest'
import { parseCommandArgs } from '../../../src/cli/parse-args'

const options = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false }
} as const

function io() {
  const out: string[] = []
  return { out, io: { stdout: (text: string) => out.push(text), stderr: () => undefined, isTTY: false } }
}

describe("a command's arguments", () => {
  it('prints the help for --help and says there is nothing more to do', () => {
    const { out, io: cli } = io()
    expect(parseCommandArgs(['--help', 'x.png'], options, 'usage: this\n', cli)).toBeNull()
    expect(out).toEqual(['usage: this\n'])
  })

  it('gives the flags and positionals, and refuses unknown flags', () => {
    const { out, io: cli } = io()
    const parsed = parseCommandArgs(['a.png', '--json', 'b.png'], options, 'help', cli)
    expect(parsed?.values.json).toBe(true)
    expect(parsed?.positionals).toEqual(['a.png', 'b.png'])
    expect(() => parseCommandArgs(['--jsn'], options, 'help', cli)).toThrow(/--jsn/)
    expect(out).toEqual([])
  })

  it('refuses positionals where the command takes flags only', () => {
    const { io: cli } = io()
    expect(() => parseCommandArgs(['stray'], options, 'help', cli, false)).toThrow(/stray/)
    expect(parseCommandArgs(['--json'], options, 'help', cli, false)?.values.json).toBe(true)
  })
})
